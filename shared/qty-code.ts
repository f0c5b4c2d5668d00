// The `qty*code` grammar of the code field, one rule for the renderer (what the cashier typed)
// and main (catalog.lookup, for any caller that sends the prefix along):
//
//   <qty> <sep> <code or name>
//   qty  = 1 to 5 integer digits, optionally ',' or '.' and 1 to 4 decimals   (3 · 0,5 · 1.250)
//   sep  = '*', 'x' or 'X', spaces around it allowed                          (3*789… · 2 x 123)
//
// Five integer digits and four decimals are exactly what a quantity may hold (MAX_QTY_E4 =
// 99 999 units, ten-thousandths). A prefix with more digits is still recognised as a quantity, so
// the cashier hears "quantidade inválida" instead of a search for "123456*…".
import { MAX_QTY_E4, QTY_ONE } from './limits.ts';

const PREFIX = /^\s*([0-9]+(?:[.,][0-9]*)?)\s*[*xX]\s*(.*)$/;
const QTY = /^([0-9]{1,5})(?:[.,]([0-9]{1,4}))?$/;

export const QTY_HINT = 'Use, por exemplo, 3*código ou 0,5*código.';

/** "3", "0,5", "1.250" → ten-thousandths without float error; null when outside the grammar or range. */
export function parseQtyE4(text: string): number | null {
  const m = QTY.exec(text.trim());
  if (!m) return null;
  const q = Number(m[1]) * QTY_ONE + Number(((m[2] ?? '') + '0000').slice(0, 4));
  return q > 0 && q <= MAX_QTY_E4 ? q : null;
}

export type QtyPrefix =
  | { kind: 'none' }
  /** qtyE4 null: the typed quantity is not valid (qtyText says what was typed). */
  | { kind: 'prefix'; qtyText: string; qtyE4: number | null; rest: string };

/** Splits `3*789…` into the quantity and what follows; `none` when there is no quantity prefix. */
export function splitQtyPrefix(raw: string): QtyPrefix {
  const m = PREFIX.exec(raw);
  if (!m) return { kind: 'none' };
  const qtyText = m[1] ?? '';
  return { kind: 'prefix', qtyText, qtyE4: parseQtyE4(qtyText), rest: (m[2] ?? '').trim() };
}
