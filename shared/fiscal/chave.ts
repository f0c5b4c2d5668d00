// The 44-character chave de acesso (nfce-rules §1): layout, mod-11 check digit with the
// ASCII − 48 character value (so alphanumeric CNPJs need no special case), and the cNF rules.
// The PDV builds it itself only in manual offline contingency; Focus must later return the same one.
import type { Uf } from '../sale.ts';
import { yearMonthAAMM } from '../datetime.ts';
import { UF_IBGE, ufFromIbge } from './uf.ts';

const CHAVE_RE = /^\d{6}[0-9A-Z]{12}\d{26}$/;

/** Mod-11 DV of the first 43 characters (weights 2..9 from the right; remainder 0 or 1 → 0). */
export function chaveDv(first43: string): number {
  if (!/^[0-9A-Z]{43}$/.test(first43)) throw new RangeError('a chave sem o DV deve ter 43 caracteres (0-9, A-Z)');
  let sum = 0;
  let weight = 2;
  for (let i = first43.length - 1; i >= 0; i--) {
    sum += (first43.charCodeAt(i) - 48) * weight;
    weight = weight === 9 ? 2 : weight + 1;
  }
  const r = sum % 11;
  return r < 2 ? 0 : 11 - r;
}

/** 'NFe4126…' (Focus's chave_nfe, the XML Id) → '4126…'. */
export function stripNfePrefix(chave: string): string {
  return chave.startsWith('NFe') ? chave.slice(3) : chave;
}

export function isValidChave(chave: string): boolean {
  if (typeof chave !== 'string' || !CHAVE_RE.test(chave)) return false;
  return chaveDv(chave.slice(0, 43)) === Number(chave[43]);
}

export type TpEmis = 1 | 4 | 9;

export interface ChaveInput {
  /** Either the UF or its IBGE code. */
  uf?: Uf;
  cUF?: string;
  /** Emission date-time WITH offset; AAMM is taken from its local date, not UTC. */
  dhEmi: string;
  /** Issuer CNPJ (14, may be alphanumeric) or CPF (11 digits, left-padded with 000). */
  cnpj: string;
  modelo?: '65' | '55';
  serie: number;
  numero: number;
  tpEmis: TpEmis;
  /** 8 digits (a number is zero-padded). */
  cnf: string | number;
}

/** Assembles the chave (44 chars, DV included). Throws RangeError (pt-BR) on any field out of range. */
export function buildChave(input: ChaveInput): string {
  const cUF = input.cUF ?? (input.uf ? UF_IBGE[input.uf] : undefined);
  if (!cUF || !ufFromIbge(cUF)) throw new RangeError('UF do emitente inválida');
  if (input.uf && input.cUF && UF_IBGE[input.uf] !== input.cUF) throw new RangeError('UF e código IBGE não conferem');
  const aamm = yearMonthAAMM(input.dhEmi);
  const doc = input.cnpj.toUpperCase();
  let doc14: string;
  if (/^[0-9A-Z]{12}\d{2}$/.test(doc)) doc14 = doc;
  else if (/^\d{11}$/.test(doc)) doc14 = `000${doc}`;
  else throw new RangeError('CNPJ/CPF do emitente inválido para a chave');
  const modelo = input.modelo ?? '65';
  if (!Number.isInteger(input.serie) || input.serie < 0 || input.serie > 999) throw new RangeError('série deve estar entre 0 e 999');
  if (!Number.isInteger(input.numero) || input.numero < 1 || input.numero > 999_999_999) {
    throw new RangeError('número da nota deve estar entre 1 e 999.999.999');
  }
  if (![1, 4, 9].includes(input.tpEmis)) throw new RangeError('tipo de emissão inválido');
  const cnf = typeof input.cnf === 'number' ? String(input.cnf).padStart(8, '0') : input.cnf;
  if (!/^\d{8}$/.test(cnf)) throw new RangeError('código numérico (cNF) deve ter 8 dígitos');
  const first43 = cUF + aamm + doc14 + modelo + String(input.serie).padStart(3, '0') + String(input.numero).padStart(9, '0') + input.tpEmis + cnf;
  return first43 + chaveDv(first43);
}

export interface ChaveFields {
  cUF: string;
  uf: Uf;
  /** 'AAMM' */
  aamm: string;
  /** Full year (2000 + AA). */
  year: number;
  month: number;
  /** 14 characters (a CPF issuer keeps its 000 padding). */
  cnpj: string;
  modelo: string;
  serie: number;
  numero: number;
  tpEmis: number;
  cnf: string;
  dv: number;
}

/** Splits a valid chave (with or without 'NFe') into its fields; null if invalid (format or DV). */
export function parseChave(chave: string): ChaveFields | null {
  const c = stripNfePrefix(String(chave ?? '').replace(/\s+/g, ''));
  if (!isValidChave(c)) return null;
  const cUF = c.slice(0, 2);
  const uf = ufFromIbge(cUF);
  if (!uf) return null;
  const aamm = c.slice(2, 6);
  const month = Number(aamm.slice(2));
  if (month < 1 || month > 12) return null;
  return {
    cUF,
    uf,
    aamm,
    year: 2000 + Number(aamm.slice(0, 2)),
    month,
    cnpj: c.slice(6, 20),
    modelo: c.slice(20, 22),
    serie: Number(c.slice(22, 25)),
    numero: Number(c.slice(25, 34)),
    tpEmis: Number(c.slice(34, 35)),
    cnf: c.slice(35, 43),
    dv: Number(c.slice(43)),
  };
}

/** cNF values SEFAZ rejects with cStat 897 (rule B03-10, sped-common Keys::cNFIsValid). */
export const FORBIDDEN_CNF: readonly string[] = [
  '00000000',
  '11111111',
  '22222222',
  '33333333',
  '44444444',
  '55555555',
  '66666666',
  '77777777',
  '88888888',
  '99999999',
  '12345678',
  '23456789',
  '34567890',
  '45678901',
  '56789012',
  '67890123',
  '78901234',
  '89012345',
  '90123456',
  '01234567',
];
const FORBIDDEN_SET = new Set(FORBIDDEN_CNF);

/** 8 digits, not in the forbidden list, and numerically different from the note number. */
export function isValidCnf(cnf: string, numero: number): boolean {
  return /^\d{8}$/.test(cnf) && !FORBIDDEN_SET.has(cnf) && Number(cnf) !== numero;
}

/**
 * Draws a cNF with the caller's random source (pass a CSPRNG: node:crypto randomInt in main),
 * redrawing forbidden values and the note number. Bounded so a broken source cannot hang the sale.
 */
export function generateCnf(numero: number, randomInt: (maxExclusive: number) => number): string {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const n = randomInt(100_000_000);
    if (!Number.isInteger(n) || n < 0 || n >= 100_000_000) throw new RangeError('gerador aleatório devolveu valor fora do intervalo');
    const cnf = String(n).padStart(8, '0');
    if (isValidCnf(cnf, numero)) return cnf;
  }
  throw new Error('não foi possível sortear um código numérico (cNF) válido');
}

/** 11 groups of 4 separated by spaces, as printed on the DANFCe. */
export function formatChave(chave: string): string {
  const c = stripNfePrefix(chave);
  return (c.match(/.{1,4}/g) ?? []).join(' ');
}
