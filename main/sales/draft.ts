// The finalize payload as it crosses the process boundary: zod with Portuguese messages
// (shared/zod-pt.ts), refused as a SaleRefusedError.
import { SaleDraft } from '../../shared/sale.ts';
import { fieldLabel, zodFields } from '../../shared/zod-pt.ts';
import { SaleRefusedError } from './errors.ts';

/** Parses an untrusted finalize payload; throws SaleRefusedError (pt-BR) on anything malformed. */
export function parseDraft(input: unknown): SaleDraft {
  const r = SaleDraft.safeParse(input);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  const where = first ? fieldLabel(first.path) : '';
  const message = first ? `Venda inválida${where ? ` (${where})` : ''}: ${first.message}.` : 'Venda inválida.';
  throw new SaleRefusedError('invalid_draft', message, zodFields(r.error));
}
