// A spreadsheet file → rows of cells, through real parsers: papaparse for CSV (quotes, embedded
// separators and line breaks), exceljs's streaming reader for XLSX (the whole workbook is never
// held in memory). The first row is the header.
import { Readable } from 'node:stream';
// The parsers load on first use: the till starts without them (exceljs alone costs ~250 ms to load).
import { decodeText, type TextEncodingName } from './decode.ts';
import { ImportError, MAX_IMPORT_ROWS } from './errors.ts';

/** A formula cell is kept as such: the row reader refuses it instead of trusting a cached result. */
export type Cell = string | number | boolean | { formula: string };

export interface Table {
  kind: 'csv' | 'xlsx';
  encoding: TextEncodingName | null;
  separator: string | null;
  header: string[];
  rows: Cell[][];
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export async function readTable(fileName: string, bytes: Uint8Array): Promise<Table> {
  const isZip = ZIP_MAGIC.every((b, i) => bytes[i] === b);
  if (/\.xlsx$/i.test(fileName) || isZip) {
    if (!isZip)
      throw new ImportError(
        'xlsx_damaged',
        'O arquivo .xlsx está danificado ou não é uma planilha do Excel. Abra-o no Excel e salve de novo. Nada foi importado.',
      );
    return readXlsx(bytes);
  }
  if (/\.xls$/i.test(fileName) || (bytes[0] === 0xd0 && bytes[1] === 0xcf)) {
    throw new ImportError('import_format', 'Planilhas .xls (Excel 97-2003) não são lidas: salve como .xlsx ou CSV e tente de novo. Nada foi importado.');
  }
  return readCsv(bytes, (await import('papaparse')).default);
}

function readCsv(bytes: Uint8Array, Papa: typeof import('papaparse')): Table {
  const { text, encoding } = decodeText(bytes);
  const parsed = Papa.parse<string[]>(text, { delimitersToGuess: [';', ',', '\t', '|'], skipEmptyLines: 'greedy' });
  const quote = parsed.errors.find((e) => e.type === 'Quotes');
  if (quote) {
    throw new ImportError(
      'import_csv_damaged',
      `O CSV tem aspas sem fechar perto da linha ${(quote.row ?? 0) + 1}. Confira o arquivo e tente de novo. Nada foi importado.`,
    );
  }
  const all = parsed.data;
  if (all.length === 0 || all[0]!.every((h) => h.trim() === '')) throw new ImportError('import_empty', 'O arquivo não tem linhas. Nada foi importado.');
  if (all.length - 1 > MAX_IMPORT_ROWS) throw tooMany(all.length - 1);
  const header = all[0]!.map((h) => h.trim());
  return { kind: 'csv', encoding, separator: parsed.meta.delimiter, header, rows: all.slice(1) };
}

async function readXlsx(bytes: Uint8Array): Promise<Table> {
  const ExcelJS = (await import('exceljs')).default;
  const rows: Cell[][] = [];
  let header: string[] | null = null;
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]), {
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'ignore',
      worksheets: 'emit',
      entries: 'emit',
    });
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = row.values as unknown[];
        const cells: Cell[] = [];
        for (let i = 1; i < values.length; i++) cells[i - 1] = cellOf(values[i]);
        for (let i = 0; i < cells.length; i++) cells[i] ??= '';
        if (header === null) header = cells.map((c) => String(typeof c === 'object' ? '' : c).trim());
        else if (cells.some((c) => c !== '')) {
          rows.push(cells);
          if (rows.length > MAX_IMPORT_ROWS) throw tooMany(rows.length);
        }
      }
      break; // the first sheet only
    }
  } catch (e) {
    if (e instanceof ImportError) throw e;
    throw new ImportError(
      'xlsx_damaged',
      'O arquivo .xlsx está danificado (incompleto ou corrompido). Abra-o no Excel, salve de novo e tente outra vez. Nada foi importado.',
      { cause: e },
    );
  }
  if (header === null || header.every((h) => h === '')) throw new ImportError('import_empty', 'A planilha não tem linhas. Nada foi importado.');
  return { kind: 'xlsx', encoding: null, separator: null, header, rows };
}

function cellOf(v: unknown): Cell {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.formula === 'string' || typeof o.sharedFormula === 'string') return { formula: String(o.formula ?? o.sharedFormula) };
    if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((t) => t.text).join('');
    if (typeof o.text === 'string') return o.text;
    if ('error' in o) return String(o.error);
  }
  return String(v);
}

function tooMany(n: number): ImportError {
  return new ImportError(
    'import_too_many_rows',
    `O arquivo tem ${n.toLocaleString('pt-BR')} linhas ou mais; o limite é ${MAX_IMPORT_ROWS.toLocaleString('pt-BR')} produtos por arquivo. Divida a planilha em partes e importe uma de cada vez. Nada foi importado.`,
  );
}
