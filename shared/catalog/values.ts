// Reading spreadsheet values the way Brazilian shops write them: "1.234,56", "12,5", "R$ 9,90",
// "18%", "Sim"/"Não", "SEM GTIN", NCM "1905.90.90". Each reader returns a value or a pt-BR reason.
export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const bad = (reason: string): Read<never> => ({ ok: false, reason });

/** A decimal in pt-BR (or plain) notation → integer in 10^-scale units. Numbers from XLSX cells pass as numbers. */
export function readDecimal(raw: string | number, scale: number): Read<number> {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return bad('não é um número');
    return ok(Math.round(raw * 10 ** scale));
  }
  let s = raw
    .trim()
    .replace(/^R\$\s*/i, '')
    .replace(/%$/, '')
    .replace(/\s/g, '');
  if (s === '') return bad('vazio');
  const negative = s.startsWith('-');
  if (negative) s = s.slice(1);
  let int: string;
  let frac: string;
  if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(s) || /^\d+(,\d+)?$/.test(s)) {
    // pt-BR: dots group thousands, the comma is the decimal mark.
    [int, frac = ''] = s.replace(/\./g, '').split(',') as [string, string?];
  } else if (/^\d+\.\d+$/.test(s)) {
    [int, frac = ''] = s.split('.') as [string, string?];
  } else if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) {
    [int, frac = ''] = s.replace(/,/g, '').split('.') as [string, string?];
  } else {
    return bad(`"${raw.trim().slice(0, 20)}" não é um número (use, por exemplo, 12,90)`);
  }
  if (frac.length > scale && /[1-9]/.test(frac.slice(scale))) return bad(`no máximo ${scale} casas decimais`);
  const value = Number(int) * 10 ** scale + Number((frac + '0'.repeat(scale)).slice(0, scale) || '0');
  return ok(negative ? -value : value);
}

export function readCents(raw: string | number): Read<number> {
  const r = readDecimal(raw, 2);
  if (!r.ok) return r;
  if (r.value < 0) return bad('preço negativo');
  if (r.value > 20_000_000) return bad('preço acima de R$ 200.000,00');
  return r;
}

/** "18", "18%", "18,5" → basis points (1850). */
export function readPercentBp(raw: string | number): Read<number> {
  const r = readDecimal(raw, 2);
  if (!r.ok) return r;
  if (r.value < 0 || r.value > 10_000) return bad('porcentagem de 0 a 100');
  return r;
}

export function readBool(raw: string | number | boolean): Read<boolean> {
  if (typeof raw === 'boolean') return ok(raw);
  const s = String(raw)
    .trim()
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
  if (['s', 'sim', 'x', '1', 'true', 'ativo', 'kg', 'verdadeiro'].includes(s)) return ok(true);
  if (['n', 'nao', '0', 'false', 'inativo', '', 'falso'].includes(s)) return ok(false);
  return bad(`"${String(raw).slice(0, 20)}" deve ser Sim ou Não`);
}

/** Only digits, as XLSX may have turned "04012010" into the number 4012010: pad to `len`. */
export function readDigits(raw: string | number, len: number, name: string): Read<string> {
  const s = typeof raw === 'number' ? String(Math.trunc(raw)).padStart(len, '0') : raw.trim().replace(/[.\-\s/]/g, '');
  if (!/^\d+$/.test(s)) return bad(`${name} deve ter só números`);
  if (s.length !== len) return bad(`${name} tem ${len} dígitos (veio ${s.length})`);
  return ok(s);
}

/** GTIN digits, or null for "SEM GTIN" / empty. The check digit is validated by the rules. */
export function readGtin(raw: string | number): Read<string | null> {
  if (typeof raw === 'number') raw = String(Math.trunc(raw));
  const s = raw.trim().toUpperCase();
  if (s === '' || s === 'SEM GTIN' || s === 'SEMGTIN') return ok(null);
  const digits = s.replace(/[\s.-]/g, '');
  if (!/^(\d{8}|\d{12,14})$/.test(digits)) return bad('GTIN tem 8, 12, 13 ou 14 dígitos (ou escreva SEM GTIN)');
  return ok(digits);
}

/** A spreadsheet cell that would run as a formula when the file is opened (=, +, -, @, tab, CR). */
export function looksLikeFormula(s: string): boolean {
  return /^[=+\-@\t\r]/.test(s) && !/^[+-]?\d+([.,]\d+)?%?$/.test(s.trim());
}

/** For exports: a text cell that a spreadsheet would run is prefixed with an apostrophe. */
export function neutraliseFormula(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** Markup over cost: price = cost × (1 + markup). Rounded to the centavo. */
export function priceWithMarkup(costCents: number, markupBp: number): number {
  return Math.round((costCents * (10_000 + markupBp)) / 10_000);
}
