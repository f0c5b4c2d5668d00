// CSV for spreadsheets (Excel pt-BR): ';' separated, CRLF, UTF-8 with BOM, decimal comma, through
// csv-stringify. Text cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) get a
// leading apostrophe, so a product called "=HYPERLINK(…)" stays text.
import { stringify } from 'csv-stringify/sync';

const FORMULA = /^[=+\-@\t\r]/;

export function neutralise(cell: string): string {
  return FORMULA.test(cell) ? `'${cell}` : cell;
}

/** Centavos → '1234,56' (no thousands separator: spreadsheets read it as a number). */
export function csvMoney(cents: number): string {
  const neg = cents < 0;
  const a = Math.abs(cents);
  return `${neg ? '-' : ''}${Math.floor(a / 100)},${String(a % 100).padStart(2, '0')}`;
}

export type CsvCell = string | { number: string };

/** Rows of text cells (neutralised) and numeric cells (written as given). */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const data = rows.map((r) => r.map((c) => (typeof c === 'string' ? neutralise(c) : c.number)));
  return '\uFEFF' + stringify([header.map(neutralise), ...data], { delimiter: ';', record_delimiter: '\r\n', quoted_match: /[";\r\n]/ });
}
