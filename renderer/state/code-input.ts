// What the cashier typed (or the scanner sent) in the code field, before any catalog lookup.
// `3*7891000100103` and `0,5*123` set the quantity; letters mean "search by name".
import { MAX_QTY_E4, QTY_ONE } from '../../shared/sale.ts';

export type CodeInput =
  | { kind: 'empty' }
  | { kind: 'code'; code: string; qtyE4: number | null }
  | { kind: 'search'; query: string; qtyE4: number | null }
  | { kind: 'invalid'; message: string };

// Codes are digits, or short internal codes without spaces that start with a digit (e.g. "12A").
// Anything else is a name to search (an internal code with letters is still tried as a code first).
const CODE = /^[0-9][0-9A-Za-z._-]*$/;
const QTY_PREFIX = /^\s*([0-9]+(?:[.,][0-9]*)?)\s*\*\s*(.*)$/;

/** Parse a decimal quantity ("3", "0,5", "1.250") into ten-thousandths without float error. */
export function parseQtyE4(text: string): number | null {
  const m = /^([0-9]{1,6})(?:[.,]([0-9]{0,4}))?$/.exec(text.trim());
  if (!m) return null;
  const whole = Number(m[1]);
  const frac = Number(((m[2] ?? '') + '0000').slice(0, 4));
  const q = whole * QTY_ONE + frac;
  return q > 0 && q <= MAX_QTY_E4 ? q : null;
}

export function parseCodeInput(raw: string): CodeInput {
  const text = raw.trim();
  if (text === '') return { kind: 'empty' };
  const m = QTY_PREFIX.exec(text);
  if (m) {
    const qtyE4 = parseQtyE4(m[1] ?? '');
    const code = (m[2] ?? '').trim();
    if (qtyE4 === null) {
      return { kind: 'invalid', message: `Quantidade "${m[1]}" inválida. Use, por exemplo, 3*código ou 0,5*código.` };
    }
    if (code === '') return { kind: 'invalid', message: 'Falta o código depois do "*". Digite, por exemplo, 3*7891000100103.' };
    return CODE.test(code) ? { kind: 'code', code, qtyE4 } : { kind: 'search', query: code, qtyE4 };
  }
  return CODE.test(text) ? { kind: 'code', code: text, qtyE4: null } : { kind: 'search', query: text, qtyE4: null };
}

/** Whether live search should run for what is in the field while the cashier types. */
export function liveSearchQuery(raw: string): string | null {
  const parsed = parseCodeInput(raw);
  return parsed.kind === 'search' && parsed.query.length >= 2 ? parsed.query : null;
}
