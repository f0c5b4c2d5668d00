// What the cashier typed (or the scanner sent) in the code field, before any catalog lookup.
// `3*7891000100103` and `0,5*123` set the quantity (grammar: shared/qty-code.ts); letters mean
// "search by name".
import { QTY_HINT, splitQtyPrefix } from '../../shared/qty-code.ts';

export type CodeInput =
  | { kind: 'empty' }
  | { kind: 'code'; code: string; qtyE4: number | null }
  | { kind: 'search'; query: string; qtyE4: number | null }
  | { kind: 'invalid'; message: string };

// Codes are digits, or short internal codes without spaces that start with a digit (e.g. "12A").
// Anything else is a name to search (an internal code with letters is still tried as a code first).
const CODE = /^[0-9][0-9A-Za-z._-]*$/;

export function parseCodeInput(raw: string): CodeInput {
  const text = raw.trim();
  if (text === '') return { kind: 'empty' };
  const m = splitQtyPrefix(text);
  if (m.kind === 'prefix') {
    const { qtyE4, rest: code } = m;
    if (qtyE4 === null) {
      return { kind: 'invalid', message: `Quantidade "${m.qtyText}" inválida. ${QTY_HINT}` };
    }
    if (code === '') return { kind: 'invalid', message: 'Falta o código depois do "*". Digite, por exemplo, 3*7891000100103.' };
    return CODE.test(code) ? { kind: 'code', code, qtyE4 } : { kind: 'search', query: code, qtyE4 };
  }
  return CODE.test(text) ? { kind: 'code', code: text, qtyE4: null } : { kind: 'search', query: text, qtyE4: null };
}

/** The text after a `qty*` prefix (F2 search mode searches the name, not the quantity). */
export function withoutQtyPrefix(raw: string): string {
  const m = splitQtyPrefix(raw);
  return m.kind === 'prefix' ? m.rest : raw.trim();
}

/** Whether live search should run for what is in the field while the cashier types. */
export function liveSearchQuery(raw: string): string | null {
  const parsed = parseCodeInput(raw);
  return parsed.kind === 'search' && parsed.query.length >= 2 ? parsed.query : null;
}
