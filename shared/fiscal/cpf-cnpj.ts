// CPF and CNPJ check digits (nfce-rules §7.2, §7.3), including the alphanumeric CNPJ of
// IN RFB 2.229/2024: every base character is worth ASCII − 48 ('0'..'9' → 0..9, 'A'..'Z' → 17..42),
// which is the classic rule for an all-numeric CNPJ. Documents are always strings.

export type DocumentKind = 'cpf' | 'cnpj';

/** Strips the mask ('.', '/', '-', spaces) and uppercases; does not validate. */
export function normalizeDocument(input: string): string {
  return String(input ?? '')
    .replace(/[./\-\s]/g, '')
    .toUpperCase();
}

const charValue = (c: string) => c.charCodeAt(0) - 48;

function mod11Dv(chars: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < chars.length; i++) sum += charValue(chars[i] as string) * (weights[i] as number);
  const r = sum % 11;
  return r < 2 ? 0 : 11 - r;
}

const allEqual = (s: string) => /^(.)\1*$/.test(s);

export function isValidCpf(input: string): boolean {
  const s = normalizeDocument(input);
  if (!/^\d{11}$/.test(s) || allEqual(s)) return false;
  const dv1 = mod11Dv(s.slice(0, 9), [10, 9, 8, 7, 6, 5, 4, 3, 2]);
  const dv2 = mod11Dv(s.slice(0, 9) + dv1, [11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
  return s.slice(9) === `${dv1}${dv2}`;
}

const CNPJ_W1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] as const;
const CNPJ_W2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] as const;

/** The two check digits of a 12-character CNPJ base ('12ABC34501DE' → '35'). */
export function cnpjCheckDigits(base12: string): string {
  const b = normalizeDocument(base12);
  if (!/^[0-9A-Z]{12}$/.test(b)) throw new RangeError('a raiz do CNPJ deve ter 12 caracteres (0-9, A-Z)');
  const dv1 = mod11Dv(b, CNPJ_W1);
  const dv2 = mod11Dv(b + dv1, CNPJ_W2);
  return `${dv1}${dv2}`;
}

/** Numeric or alphanumeric CNPJ (12 × [0-9A-Z] + 2 numeric check digits). */
export function isValidCnpj(input: string): boolean {
  const s = normalizeDocument(input);
  if (!/^[0-9A-Z]{12}\d{2}$/.test(s) || allEqual(s)) return false;
  return cnpjCheckDigits(s.slice(0, 12)) === s.slice(12);
}

/** 'cpf' / 'cnpj' when the normalised input has that shape (not necessarily valid), else null. */
export function documentKind(input: string): DocumentKind | null {
  const s = normalizeDocument(input);
  if (/^\d{11}$/.test(s)) return 'cpf';
  if (/^[0-9A-Z]{12}\d{2}$/.test(s)) return 'cnpj';
  return null;
}

/** '12345678909' → '123.456.789-09'; anything not 11 digits is returned normalised. */
export function formatCpf(input: string): string {
  const s = normalizeDocument(input);
  const m = /^(\d{3})(\d{3})(\d{3})(\d{2})$/.exec(s);
  return m ? `${m[1]}.${m[2]}.${m[3]}-${m[4]}` : s;
}

/** '12ABC34501DE35' → '12.ABC.345/01DE-35'; anything not CNPJ-shaped is returned normalised. */
export function formatCnpj(input: string): string {
  const s = normalizeDocument(input);
  const m = /^([0-9A-Z]{2})([0-9A-Z]{3})([0-9A-Z]{3})([0-9A-Z]{4})(\d{2})$/.exec(s);
  return m ? `${m[1]}.${m[2]}.${m[3]}/${m[4]}-${m[5]}` : s;
}

export function formatDocument(input: string): string {
  const kind = documentKind(input);
  if (kind === 'cpf') return formatCpf(input);
  if (kind === 'cnpj') return formatCnpj(input);
  return normalizeDocument(input);
}

export type DocumentValidation = { ok: true; value: string; kind: DocumentKind } | { ok: false; message: string };

/** What the cashier typed for "CPF na nota" → the normalised document, or a message in pt-BR. */
export function validateDocument(input: string): DocumentValidation {
  const raw = String(input ?? '');
  if (raw.trim() === '') return { ok: false, message: 'Informe o CPF ou o CNPJ.' };
  if (/[^0-9A-Za-z./\-\s]/.test(raw)) {
    return { ok: false, message: 'O documento só pode ter números, letras (CNPJ alfanumérico), ponto, barra e hífen.' };
  }
  const s = normalizeDocument(raw);
  if (/^\d{11}$/.test(s)) {
    return isValidCpf(s) ? { ok: true, value: s, kind: 'cpf' } : { ok: false, message: `CPF inválido: ${formatCpf(s)}. Confira os dígitos.` };
  }
  if (/^[0-9A-Z]{14}$/.test(s)) {
    if (!/\d{2}$/.test(s)) return { ok: false, message: 'CNPJ inválido: os dois últimos caracteres (dígitos verificadores) devem ser números.' };
    return isValidCnpj(s) ? { ok: true, value: s, kind: 'cnpj' } : { ok: false, message: `CNPJ inválido: ${formatCnpj(s)}. Confira os caracteres.` };
  }
  if (/^\d+$/.test(s)) {
    return { ok: false, message: `O documento tem ${s.length} dígitos: o CPF tem 11 e o CNPJ tem 14.` };
  }
  return { ok: false, message: `O documento tem ${s.length} caracteres: o CNPJ tem 14 (CPF tem 11 números).` };
}
