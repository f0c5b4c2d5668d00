// Before the engine adopts a note Focus already holds under a ref (POST answered "already
// authorized", or a GET after a crash), it checks that the note is this sale's: same total, same
// number of items, issued in this sale's time window. A journal copied back to an older state could
// otherwise adopt the note of a sale the copy lost. A mismatch is never "Autorizada": the attempt is
// blocked with NOTE_MISMATCH for a manager (resend then issues the sale under a new ref).
import type { FocusDocument } from '../focus/types.ts';
import type { Sale } from '../../shared/sale.ts';

export const NOTE_MISMATCH = 'note_mismatch' as const;

export const NOTE_MISMATCH_TITLE = 'A Focus devolveu a nota de outra venda';

/** How far data_emissao may be from the sale (and its last POST): refreshed dates, clock drift. */
const WINDOW_MS = 10 * 60_000;

const cents = (v: unknown): number | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.round(v * 100);
  if (typeof v === 'string' && /^-?\d+(\.\d{1,2})?$/.test(v.trim())) return Math.round(Number(v) * 100);
  return null;
};

const brl = (c: number) => `R$ ${(c / 100).toFixed(2).replace('.', ',')}`;

/**
 * Null when the note can be this sale's; otherwise the pt-BR reason. Fields Focus did not send are
 * not held against the note (real Focus sends them all with completa=1).
 */
export function noteMismatch(sale: Sale, saleCreatedMs: number, lastPostMs: number | null, doc: FocusDocument): string | null {
  const req = doc.requisicao_nota_fiscal ?? {};
  const total = cents(req.valor_total ?? doc.valor_total);
  if (total !== null && total !== sale.totalCents) {
    return `a nota da Focus vale ${brl(total)} e a venda ${brl(sale.totalCents)}`;
  }
  const items = Array.isArray(req.items) ? req.items.length : Array.isArray(req.itens) ? (req.itens as unknown[]).length : null;
  if (items !== null && items !== sale.items.length) {
    return `a nota da Focus tem ${items} ${items === 1 ? 'item' : 'itens'} e a venda ${sale.items.length}`;
  }
  const when = typeof (req.data_emissao ?? doc.data_emissao) === 'string' ? Date.parse(String(req.data_emissao ?? doc.data_emissao)) : NaN;
  if (Number.isFinite(when)) {
    const from = saleCreatedMs - WINDOW_MS;
    const to = Math.max(saleCreatedMs, lastPostMs ?? saleCreatedMs) + WINDOW_MS;
    if (when < from || when > to) {
      return `a nota da Focus foi emitida em ${new Date(when).toISOString()}, fora do horário desta venda`;
    }
  }
  return null;
}
