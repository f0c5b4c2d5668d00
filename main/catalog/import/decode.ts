// Bytes of a CSV → text. Brazilian spreadsheets are saved as UTF-8 (with or without BOM), as
// Windows-1252 (Excel's "CSV (separado por vírgulas)" on Windows) or, rarely, UTF-16 ("Texto
// Unicode"). UTF-8 is tried strictly first: Windows-1252 text with accents is never valid UTF-8.
import { ImportError } from './errors.ts';

export type TextEncodingName = 'utf-8' | 'windows-1252' | 'utf-16le';

export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  if (bytes.length === 0) throw new ImportError('import_empty', 'O arquivo está vazio. Nada foi importado.');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  // NUL bytes never occur in a text spreadsheet: this is a binary file (or UTF-16 without BOM).
  const probe = body.subarray(0, 4096);
  if (probe.includes(0)) {
    throw new ImportError(
      'import_encoding',
      'O arquivo não é um texto CSV (parece um arquivo binário ou de outra codificação). Salve a planilha como "CSV UTF-8" ou "CSV (separado por ponto e vírgula)" e tente de novo. Nada foi importado.',
    );
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(body), encoding: 'windows-1252' };
  }
}
