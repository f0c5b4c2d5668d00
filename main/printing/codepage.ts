// The printer's character table is a setting: Brazilian ESC/POS clones (Elgin, Bematech, Daruma,
// Tanca, generic POS-58/80) disagree with Epson on the `ESC t n` numbering, so the setting names the
// code page and, optionally, the table number ("cp860", "cp860:3", "windows1252:16").
// Text is transliterated to what the table can print rather than letting the printer show '?'.
import CodepageEncoder from '@point-of-sale/codepage-encoder';

/** Code pages with Portuguese accents, and their table number in Epson's ESC t numbering. */
export const PORTUGUESE_CODEPAGES = {
  cp860: 3,
  cp850: 2,
  cp858: 19,
  windows1252: 16,
  'iso8859-15': 40,
} as const satisfies Record<string, number>;

export type PortugueseCodepage = keyof typeof PORTUGUESE_CODEPAGES;

export const DEFAULT_CODEPAGE: PortugueseCodepage = 'cp860';

export interface CodePageSetting {
  name: PortugueseCodepage;
  /** ESC t n value the printer expects for this page. */
  table: number;
}

export class CodePageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodePageError';
  }
}

const isPortuguese = (s: string): s is PortugueseCodepage => Object.hasOwn(PORTUGUESE_CODEPAGES, s);

/** 'cp860' → {cp860, 3}; 'CP860:17' → {cp860, 17}; '' → the default. Throws CodePageError (pt-BR). */
export function parseCodePage(setting: string | undefined | null): CodePageSetting {
  const s = (setting ?? '').trim().toLowerCase().replace(/\s+/g, '');
  if (!s) return { name: DEFAULT_CODEPAGE, table: PORTUGUESE_CODEPAGES[DEFAULT_CODEPAGE] };
  const m = /^([a-z0-9-]+)(?:[:@](\d{1,3}))?$/.exec(s);
  const name = m?.[1]?.replace(/^pc/, 'cp').replace(/^(wpc|win|cp)1252$/, 'windows1252') ?? '';
  if (!m || !isPortuguese(name)) {
    throw new CodePageError(
      `Página de código "${setting}" não suportada. Use cp860, cp850, cp858 ou windows1252 ` +
        '(com o número da tabela da impressora, se for diferente da Epson: ex. cp860:3).',
    );
  }
  const table = m[2] === undefined ? PORTUGUESE_CODEPAGES[name] : Number(m[2]);
  if (table > 255) throw new CodePageError(`Número de tabela inválido (${m[2]}): use de 0 a 255.`);
  return { name, table };
}

/** Characters people type or our texts use that some code pages lack. */
const SUBSTITUTES: Readonly<Record<string, string>> = {
  '–': '-',
  '—': '-',
  '‒': '-',
  '−': '-',
  '“': '"',
  '”': '"',
  '„': '"',
  '«': '"',
  '»': '"',
  '‘': "'",
  '’': "'",
  '‚': "'",
  '´': "'",
  '`': "'",
  '…': '...',
  '•': '*',
  '·': '.',
  '€': 'EUR',
  '\u00a0': ' ',
  '\u202f': ' ',
  '\u2009': ' ',
  º: 'o',
  ª: 'a',
  '°': 'o',
  '²': '2',
  '³': '3',
};

/** Unicode code point → byte, per code page. Built once: the encoder's own per-call lookup clones
 * the whole table every time (~25 µs a line). */
const tables = new Map<string, Map<number, number>>();

function table(name: PortugueseCodepage): Map<number, number> {
  let map = tables.get(name);
  if (!map) {
    map = new Map();
    const points = CodepageEncoder.getCodepoints(name, true);
    // Control bytes are never text; the lower table (ASCII) wins over a duplicate in the upper half.
    for (let byte = 0x20; byte < points.length; byte++) {
      const cp = points[byte];
      if (cp !== undefined && cp > 0 && !map.has(cp)) map.set(cp, byte);
    }
    tables.set(name, map);
  }
  return map;
}

/** Rewrites `text` so every character exists in the code page: accents kept where the page has them. */
export function transliterate(text: string, name: PortugueseCodepage): string {
  const set = table(name);
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0) as number;
    if (set.has(cp) || cp === 0x20) {
      out += ch;
      continue;
    }
    const sub = SUBSTITUTES[ch];
    if (sub !== undefined && [...sub].every((c) => set.has(c.codePointAt(0) as number) || c === ' ')) {
      out += sub;
      continue;
    }
    const base = ch.normalize('NFD').replace(/\p{M}+/gu, '');
    out += base && [...base].every((c) => set.has(c.codePointAt(0) as number)) ? base : '?';
  }
  return out;
}

/** Text → bytes in the code page (after transliteration, so every character has a byte). */
export function encodeText(text: string, name: PortugueseCodepage): Uint8Array {
  const map = table(name);
  const out = new Uint8Array(text.length * 3);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    // A following combining mark (decomposed text) must be composed first: take the slow path.
    if (!(next >= 0x300 && next <= 0x36f)) {
      // Printable ASCII is the same byte in every supported page: the common case, no lookup.
      if (c >= 0x20 && c < 0x7f) {
        out[n++] = c;
        continue;
      }
      const b = map.get(c);
      if (b !== undefined) {
        out[n++] = b;
        continue;
      }
    }
    // Rare path: combining marks, surrogates, characters outside the page.
    const rest = transliterate(text.slice(i), name);
    for (const ch of rest) out[n++] = map.get(ch.codePointAt(0) as number) ?? 0x3f;
    break;
  }
  return out.subarray(0, n);
}
