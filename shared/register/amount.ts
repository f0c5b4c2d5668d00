// Amounts typed by people at the till (float, sangria, declared totals): one parser for the form
// and the core, with a code and a pt-BR sentence for every refusal.
import { parseMoneyInput } from '../money.ts';

export type AmountProblem = 'amount_empty' | 'amount_negative' | 'amount_format' | 'amount_zero';

export type AmountParse = { ok: true; cents: number } | { ok: false; code: AmountProblem; message: string };

export function parseAmount(text: string, opts: { allowZero?: boolean } = {}): AmountParse {
  const t = text.trim();
  if (t === '') return { ok: false, code: 'amount_empty', message: 'Informe o valor, por exemplo 150,00.' };
  if (/^-|^R\$\s*-/.test(t)) return { ok: false, code: 'amount_negative', message: 'O valor não pode ser negativo.' };
  const cents = parseMoneyInput(t);
  if (cents === null) {
    return { ok: false, code: 'amount_format', message: `"${t.slice(0, 20)}" não é um valor. Use vírgula para os centavos, por exemplo 1.234,56.` };
  }
  if (cents === 0 && !opts.allowZero) return { ok: false, code: 'amount_zero', message: 'O valor tem de ser maior que zero.' };
  return { ok: true, cents };
}
