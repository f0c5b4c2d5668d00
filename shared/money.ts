// Money is integer centavos and quantity is integer ten-thousandths (qtyE4) everywhere, so no
// floating-point value ever reaches a fiscal document. These helpers convert at the edges:
// pt-BR text for people, dot-decimal strings for the Focus JSON.
import { QTY_ONE } from './limits.ts';

function assertInt(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} deve ser um inteiro (recebido ${n})`);
}

/**
 * 123456 → 'R$ 1.234,56', -505 → '-R$ 5,05': what ICU's pt-BR currency format writes, with a plain space
 * after the symbol (receipts and tests want it). Written out from the integer, not through
 * Intl.NumberFormat: constructing that formatter loads ICU's locale and currency data, which cost a
 * fresh renderer 20–30 ms of its cold load to the checkout (bench:ui, renderer main-thread CPU), and the
 * text no longer depends on the ICU version of Node or Chromium. test/unit/shared/money.test.ts checks
 * it against Intl.
 */
export function formatBRL(cents: number): string {
  assertInt(cents, 'valor em centavos');
  const abs = Math.abs(cents);
  const frac = String(abs % 100).padStart(2, '0');
  return `${cents < 0 ? '-' : ''}R$ ${groupThousands(String(Math.floor(abs / 100)))},${frac}`;
}

/** Units whose quantity is usually fractional: show grams/millilitres (3 decimals) like a scale does. */
const MEASURED_UNITS = new Set(['KG', 'G', 'L', 'ML', 'M', 'M2', 'M3', 'TON']);

/**
 * Quantity for people: 10000 'UN' → '1', 15000 'UN' → '1,5', 5120 'KG' → '0,512', 10000 'KG' → '1,000'.
 * Counted units drop trailing zeros; measured units keep at least 3 decimals, as a scale prints them.
 */
export function formatQty(qtyE4: number, unit = 'UN'): string {
  assertInt(qtyE4, 'quantidade');
  const neg = qtyE4 < 0;
  const abs = Math.abs(qtyE4);
  const int = Math.floor(abs / QTY_ONE);
  let frac = String(abs % QTY_ONE).padStart(4, '0');
  const minDecimals = MEASURED_UNITS.has(unit.toUpperCase()) ? 3 : 0;
  while (frac.length > minDecimals && frac.endsWith('0')) frac = frac.slice(0, -1);
  const intText = groupThousands(String(int));
  return (neg ? '-' : '') + (frac ? `${intText},${frac}` : intText);
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** The largest amount a person may type (R$ 99.999.999.999,99), far above any sale, still a safe integer. */
const MAX_INPUT_CENTS = 9_999_999_999_999;

/**
 * What the cashier typed → centavos, or null when it is not an amount.
 * Accepts '12', '12,5', '12,50', '1.234,56', '1234,56', 'R$ 1.234,56', and '12.50' (numpad dot as decimal:
 * a single dot followed by 1–2 digits). Dots followed by exactly 3 digits are thousands separators.
 * Rejects negatives, more than 2 decimals, letters and misplaced separators.
 */
export function parseMoneyInput(input: string): number | null {
  if (typeof input !== 'string') return null;
  const s = input.replace(/^\s*R\$\s*/i, '').replace(/\s+/g, '');
  if (s === '') return null;
  let intPart: string;
  let fracPart = '';
  if (s.includes(',')) {
    const m = /^(\d{1,3}(?:\.\d{3})+|\d+),(\d{0,2})$/.exec(s);
    if (!m) return null;
    intPart = (m[1] as string).replace(/\./g, '');
    fracPart = m[2] as string;
  } else if (/^\d+\.\d{1,2}$/.test(s)) {
    const [i, f] = s.split('.') as [string, string];
    intPart = i;
    fracPart = f;
  } else if (/^(\d{1,3}(?:\.\d{3})+|\d+)$/.test(s)) {
    intPart = s.replace(/\./g, '');
  } else {
    return null;
  }
  if (intPart.length > 11) return null;
  const cents = Number(intPart) * 100 + Number(fracPart.padEnd(2, '0'));
  return cents <= MAX_INPUT_CENTS ? cents : null;
}

/** 1250 → '12.50', -5 → '-0.05' (the dot-decimal form the Focus JSON and the QR code use). */
export function centsToDecimal(cents: number): string {
  assertInt(cents, 'valor em centavos');
  const neg = cents < 0;
  const abs = Math.abs(cents);
  return `${neg ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** 10000 → '1.0000', 5120 → '0.5120' (qCom has 4 decimals). */
export function qtyToDecimal(qtyE4: number): string {
  assertInt(qtyE4, 'quantidade');
  const neg = qtyE4 < 0;
  const abs = Math.abs(qtyE4);
  return `${neg ? '-' : ''}${Math.floor(abs / QTY_ONE)}.${String(abs % QTY_ONE).padStart(4, '0')}`;
}

/** round-half-up(n / d) for non-negative bigints. */
function divRoundHalfUp(n: bigint, d: bigint): bigint {
  return (n * 2n + d) / (2n * d);
}

/**
 * vProd of a line: qCom × vUnCom rounded half up to the centavo, as SEFAZ checks it
 * (0,512 kg × R$ 39,90 = 20,4288 → R$ 20,43). BigInt because qty × price can pass 2^53.
 */
export function lineTotalCents(qtyE4: number, unitPriceCents: number): number {
  assertInt(qtyE4, 'quantidade');
  assertInt(unitPriceCents, 'preço unitário');
  if (qtyE4 < 0 || unitPriceCents < 0) throw new RangeError('quantidade e preço não podem ser negativos');
  return Number(divRoundHalfUp(BigInt(qtyE4) * BigInt(unitPriceCents), BigInt(QTY_ONE)));
}

/** round-half-up(valueCents × bp / 10000): percentages in basis points applied to money. */
export function applyBasisPoints(valueCents: number, bp: number): number {
  assertInt(valueCents, 'valor em centavos');
  assertInt(bp, 'alíquota');
  if (valueCents < 0 || bp < 0) throw new RangeError('valor e alíquota não podem ser negativos');
  return Number(divRoundHalfUp(BigInt(valueCents) * BigInt(bp), 10_000n));
}

/**
 * Rateio: splits `discountCents` over items in proportion to their weights (their values in centavos).
 * Each item first gets floor(weight × discount / Σweights); the centavos left over go one each to the
 * items with the largest remainders (ties: larger weight, then earlier item). The shares always sum
 * exactly to the discount, and no share exceeds its weight: an item only receives a leftover centavo
 * when its exact share was fractional, i.e. strictly below its weight.
 */
export function spreadDiscount(weightsCents: number[], discountCents: number): number[] {
  assertInt(discountCents, 'desconto');
  if (discountCents < 0) throw new RangeError('o desconto não pode ser negativo');
  weightsCents.forEach((w, i) => {
    assertInt(w, `valor do item ${i + 1}`);
    if (w < 0) throw new RangeError(`o valor do item ${i + 1} não pode ser negativo`);
  });
  const total = weightsCents.reduce((a, w) => a + BigInt(w), 0n);
  const d = BigInt(discountCents);
  if (d > total) throw new RangeError('o desconto é maior que o valor dos itens');
  if (d === 0n) return weightsCents.map(() => 0);
  const shares = weightsCents.map((w) => (BigInt(w) * d) / total);
  const rema = weightsCents.map((w) => (BigInt(w) * d) % total);
  let left = d - shares.reduce((a, s) => a + s, 0n);
  const order = weightsCents
    .map((_, i) => i)
    .filter((i) => (rema[i] as bigint) > 0n)
    .sort((a, b) => {
      const ra = rema[a] as bigint;
      const rb = rema[b] as bigint;
      if (ra !== rb) return ra > rb ? -1 : 1;
      const wa = weightsCents[a] as number;
      const wb = weightsCents[b] as number;
      return wa !== wb ? wb - wa : a - b;
    });
  for (const i of order) {
    if (left === 0n) break;
    shares[i] = (shares[i] as bigint) + 1n;
    left -= 1n;
  }
  return shares.map(Number);
}
