// The finalize payload as it crosses the process boundary: zod with Portuguese messages.
import { z } from 'zod';
import { SaleDraft } from '../../shared/sale.ts';
import { SaleRefusedError } from './errors.ts';

const ptLocale = z.locales.pt();

const FIELD_PT: Record<string, string> = {
  items: 'itens',
  payments: 'pagamentos',
  qtyE4: 'quantidade',
  unitPriceCents: 'preço unitário',
  discountCents: 'desconto',
  amountCents: 'valor',
  productId: 'produto',
  customer: 'cliente',
  document: 'CPF/CNPJ',
  name: 'nome',
  email: 'e-mail',
  method: 'forma de pagamento',
  clientId: 'identificador da venda',
  managerPin: 'PIN do gerente',
  description: 'descrição',
  card: 'cartão',
};

/** 'items.0.qtyE4' → 'item 1, quantidade'. */
export function describePath(path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const k = path[i];
    const nextIsIndex = typeof path[i + 1] === 'number';
    if (typeof k === 'number') continue;
    const label = FIELD_PT[String(k)] ?? String(k);
    if (nextIsIndex) {
      const n = (path[i + 1] as number) + 1;
      parts.push(k === 'items' ? `item ${n}` : k === 'payments' ? `pagamento ${n}` : `${label} ${n}`);
    } else {
      parts.push(label);
    }
  }
  return parts.join(', ');
}

type Issue = Parameters<typeof ptLocale.localeError>[0];

/** The messages a cashier may actually see, in Brazilian Portuguese; anything rarer falls back to zod's pt locale. */
function issueMessage(iss: Issue): string | undefined {
  const key = String(iss.path?.[iss.path.length - 1] ?? '');
  const isQty = key === 'qtyE4';
  const isMoney = /Cents$/.test(key);
  switch (iss.code) {
    case 'too_small':
      if (isQty) return 'a quantidade deve ser maior que zero';
      if (isMoney) return Number(iss.minimum) > 0 ? 'o valor deve ser maior que zero' : 'o valor não pode ser negativo';
      if (iss.origin === 'array') return 'lista vazia';
      if (iss.origin === 'string') return 'texto curto demais';
      return 'valor pequeno demais';
    case 'too_big':
      if (isQty) return 'quantidade grande demais (confira se não digitou o código no lugar da quantidade)';
      if (isMoney) return 'valor grande demais';
      if (iss.origin === 'array') return 'itens demais';
      if (iss.origin === 'string') return 'texto longo demais';
      return 'valor grande demais';
    case 'invalid_type':
      if (iss.path?.length === 0 || iss.path === undefined) return 'os dados da venda não chegaram no formato esperado';
      return iss.input === undefined ? 'campo obrigatório' : 'formato inválido';
    case 'invalid_format':
      return 'formato inválido';
    case 'invalid_value':
      return 'valor não permitido';
    case 'unrecognized_keys':
      return 'campos desconhecidos';
    default:
      return undefined;
  }
}

const errorMap = (iss: Issue) => issueMessage(iss) ?? ptLocale.localeError(iss);

/** Parses an untrusted finalize payload; throws SaleRefusedError (pt-BR) on anything malformed. */
export function parseDraft(input: unknown): SaleDraft {
  const r = SaleDraft.safeParse(input, { error: errorMap });
  if (r.success) return r.data;
  const fields = r.error.issues.slice(0, 20).map((iss) => ({ path: iss.path.map(String).join('.'), message: iss.message }));
  const first = r.error.issues[0];
  const where = first ? describePath(first.path) : '';
  const message = first ? `Venda inválida${where ? ` (${where})` : ''}: ${first.message}.` : 'Venda inválida.';
  throw new SaleRefusedError('invalid_draft', message, fields);
}
