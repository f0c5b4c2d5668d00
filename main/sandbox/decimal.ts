// Exact decimal arithmetic for the values the Focus JSON carries as strings ("79.00", "0.5120",
// "39.5000000000"). SEFAZ compares totals to the centavo, so nothing here goes through floats.

export type DecimalResult = { ok: true; value: bigint } | { ok: false; reason: 'format' | 'precision' | 'negative' };

/**
 * "12.5" with scale 2 → 1250n. Accepts JSON numbers too (the docs show both). More decimals than
 * `scale` are allowed only when they are zeros ("79.0000" as money is fine).
 */
export function parseDecimal(input: unknown, scale: number): DecimalResult {
  let s: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, reason: 'format' };
    s = numberToPlain(input);
  } else if (typeof input === 'string') {
    s = input.trim();
  } else {
    return { ok: false, reason: 'format' };
  }
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return { ok: false, reason: 'format' };
  const neg = m[1] === '-';
  const int = m[2] as string;
  const frac = m[3] ?? '';
  if (frac.length > scale && /[1-9]/.test(frac.slice(scale))) return { ok: false, reason: 'precision' };
  const digits = int + frac.slice(0, scale).padEnd(scale, '0');
  const value = BigInt(digits);
  if (neg && value !== 0n) return { ok: false, reason: 'negative' };
  return { ok: true, value };
}

/** Plain decimal text for a JS number (no exponent), e.g. 1e-7 → "0.0000001". */
function numberToPlain(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/\.?0+$/, '');
}

/** round-half-up(n / d) for non-negative bigints. */
export function divRound(n: bigint, d: bigint): bigint {
  return (n * 2n + d) / (2n * d);
}

/** 1250 → "12.50" */
export function centsText(cents: number | bigint): string {
  const v = BigInt(cents);
  const neg = v < 0n;
  const abs = neg ? -v : v;
  return `${neg ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** Scaled integer → fixed text: (51200n, 4) → "5.1200". */
export function scaledText(value: bigint, scale: number): string {
  const p = 10n ** BigInt(scale);
  const int = value / p;
  const frac = value % p;
  return scale === 0 ? String(int) : `${int}.${String(frac).padStart(scale, '0')}`;
}
