// Accent- and case-folding: cashiers type "pao" for "Pão", spreadsheets say "Descricao" or "DESCRIÇÃO".
// The reference is NFD decomposition without the combining marks, lower-cased. Latin text (what a
// Brazilian catalog holds) goes through a table built from that same rule, because normalize() is the
// most expensive step of a 100,000-row import and of building the search index.

/** Highest code point the table covers: Latin-1 Supplement and Latin Extended-A/B. */
const TABLE_END = 0x250;

function reference(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

const TABLE: readonly string[] = Array.from({ length: TABLE_END }, (_, c) => reference(String.fromCharCode(c)));
const ASCII = /^[\x00-\x7f]*$/;

export function fold(s: string): string {
  if (ASCII.test(s)) return s.toLowerCase();
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= TABLE_END) return reference(s);
    out += TABLE[c]!;
  }
  return out;
}
