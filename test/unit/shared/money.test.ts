import { describe, expect, it } from 'vitest';
import {
  applyBasisPoints,
  centsToDecimal,
  formatBRL,
  formatQty,
  lineTotalCents,
  parseMoneyInput,
  qtyToDecimal,
  spreadDiscount,
} from '../../../shared/money.ts';
import { seededRandom } from '../../fixtures/seeded-random.ts';

describe('formatBRL', () => {
  it.each([
    [0, 'R$ 0,00'],
    [1, 'R$ 0,01'],
    [100, 'R$ 1,00'],
    [123456, 'R$ 1.234,56'],
    [20_000_000, 'R$ 200.000,00'],
    [123_456_789_012, 'R$ 1.234.567.890,12'],
  ])('%i centavos → %s with a plain space', (cents, text) => {
    expect(formatBRL(cents)).toBe(text);
    expect(formatBRL(cents)).not.toMatch(/[\u00a0\u202f]/);
  });

  it('writes negatives with a minus sign', () => {
    expect(formatBRL(-505)).toBe('-R$ 5,05');
  });

  it("writes what ICU's pt-BR currency format writes, for any amount", () => {
    const icu = new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' });
    const reference = (cents: number) => icu.format(centsToDecimal(cents) as unknown as number).replace(/[\u00a0\u202f]/g, ' ');
    const rnd = seededRandom(65);
    const samples = [0, 1, -1, 99, 100, -100, 999_99, 1_000_00, -1_000_00, 999_999_99, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
    for (let i = 0; i < 2_000; i++) samples.push(Math.floor((rnd() - 0.5) * 10 ** (1 + Math.floor(rnd() * 15))));
    for (const cents of samples) expect(formatBRL(cents), String(cents)).toBe(reference(cents));
  });

  it('refuses non-integer centavos instead of printing a rounded amount', () => {
    expect(() => formatBRL(10.5)).toThrow(RangeError);
    expect(() => formatBRL(Number.NaN)).toThrow(RangeError);
  });
});

describe('formatQty', () => {
  it.each([
    [10_000, 'UN', '1'],
    [15_000, 'UN', '1,5'],
    [12_345, 'UN', '1,2345'],
    [123_450_000, 'UN', '12.345'],
    [5_120, 'KG', '0,512'],
    [10_000, 'KG', '1,000'],
    [12_345, 'KG', '1,2345'],
    [2_500, 'L', '0,250'],
    [1, 'KG', '0,0001'],
  ])('%i %s → %s', (q, unit, text) => {
    expect(formatQty(q, unit)).toBe(text);
  });
});

describe('parseMoneyInput', () => {
  it.each([
    ['12', 1200],
    ['12,5', 1250],
    ['12,50', 1250],
    ['0,01', 1],
    [',99', null],
    ['1.234,56', 123456],
    ['1234,56', 123456],
    ['1.234.567,89', 123456789],
    ['R$ 1.234,56', 123456],
    ['  r$12,00 ', 1200],
    ['12.50', 1250],
    ['12.5', 1250],
    ['1.234', 123400],
    ['1.000.000', 100000000],
  ])('%j → %j', (input, cents) => {
    expect(parseMoneyInput(input)).toBe(cents);
  });

  it.each(['', '   ', 'abc', '-5', '12,345', '1.23,45', '12.3.4', '1,2,3', '12a', '1.2345', '1e3', 'R$', '12,50,00', 'NaN', '99999999999999'])(
    'rejects %j',
    (input) => {
      expect(parseMoneyInput(input)).toBeNull();
    },
  );
});

describe('decimal strings for the Focus JSON', () => {
  it('centsToDecimal always has two decimals and a dot', () => {
    expect(centsToDecimal(0)).toBe('0.00');
    expect(centsToDecimal(5)).toBe('0.05');
    expect(centsToDecimal(1250)).toBe('12.50');
    expect(centsToDecimal(6090)).toBe('60.90');
    expect(centsToDecimal(20_000_000)).toBe('200000.00');
    expect(centsToDecimal(-5)).toBe('-0.05');
    expect(centsToDecimal(Number.MAX_SAFE_INTEGER)).toBe('90071992547409.91');
  });

  it('qtyToDecimal always has four decimals', () => {
    expect(qtyToDecimal(10_000)).toBe('1.0000');
    expect(qtyToDecimal(5_120)).toBe('0.5120');
    expect(qtyToDecimal(1)).toBe('0.0001');
    expect(qtyToDecimal(999_990_000)).toBe('99999.0000');
  });
});

describe('lineTotalCents (vProd = qCom × vUnCom, half up to the centavo)', () => {
  it.each([
    [10_000, 3950, 3950], // 1 × 39,50
    [20_000, 3950, 7900], // 2 × 39,50 (focus example)
    [5_120, 3990, 2043], // 0,512 kg × 39,90 = 20,4288
    [3_335, 1000, 334], // 0,3335 × 10,00 = 3,335 → 3,34 (half up)
    [3_334, 1000, 333], // 3,334 → 3,33
    [5_000, 1, 1], // 0,5 × 0,01 = 0,005 → 0,01
    [4_999, 1, 0], // 0,004999 → 0,00
    [1, 1, 0],
    [12_345, 0, 0],
    [15_000, 199, 299], // 1,5 × 1,99 = 2,985 → 2,99
  ])('%i × %i → %i', (q, p, total) => {
    expect(lineTotalCents(q, p)).toBe(total);
  });

  it('is exact when qty × price passes 2^53', () => {
    // 99.999 units × R$ 200.000,00 = R$ 19.999.800.000,00 (2e16 intermediate)
    expect(lineTotalCents(999_990_000, 20_000_000)).toBe(1_999_980_000_000);
    expect(lineTotalCents(999_995_001, 20_000_001)).toBe(Number((999_995_001n * 20_000_001n * 2n + 10_000n) / 20_000n));
  });

  it('matches the reference formula on random weighed lines', () => {
    const rnd = seededRandom(42);
    for (let i = 0; i < 2000; i++) {
      const q = 1 + Math.floor(rnd() * 200_000);
      const p = Math.floor(rnd() * 100_000);
      const exact = (q * p) / 10_000;
      const got = lineTotalCents(q, p);
      expect(Math.abs(got - exact)).toBeLessThanOrEqual(0.5);
      if (Math.abs(got - exact) === 0.5) expect(got).toBeGreaterThan(exact); // ties go up
    }
  });

  it('rejects negative or fractional inputs', () => {
    expect(() => lineTotalCents(-1, 100)).toThrow(RangeError);
    expect(() => lineTotalCents(10_000, -1)).toThrow(RangeError);
    expect(() => lineTotalCents(1.5, 100)).toThrow(RangeError);
  });
});

describe('applyBasisPoints', () => {
  it('rounds half up', () => {
    expect(applyBasisPoints(10_000, 1800)).toBe(1800);
    expect(applyBasisPoints(7900, 3075)).toBe(2429); // 24,2925 → 24,29
    expect(applyBasisPoints(50, 100)).toBe(1); // 0,5 centavo → 1
    expect(applyBasisPoints(49, 100)).toBe(0);
    expect(applyBasisPoints(0, 1800)).toBe(0);
  });
});

describe('spreadDiscount (rateio)', () => {
  it('splits proportionally and gives leftover centavos to the largest remainders', () => {
    expect(spreadDiscount([100, 200, 300], 100)).toEqual([17, 33, 50]);
    expect(spreadDiscount([1000, 1000, 1000], 100)).toEqual([34, 33, 33]);
    expect(spreadDiscount([500, 500], 1)).toEqual([1, 0]);
    expect(spreadDiscount([300, 700], 1)).toEqual([0, 1]);
    expect(spreadDiscount([333, 333, 334], 1000)).toEqual([333, 333, 334]);
  });

  it('zero discount, zero weights', () => {
    expect(spreadDiscount([10, 20], 0)).toEqual([0, 0]);
    expect(spreadDiscount([0, 0, 10], 5)).toEqual([0, 0, 5]);
    expect(spreadDiscount([], 0)).toEqual([]);
  });

  it('refuses a discount larger than the items, negative values and fractions', () => {
    expect(() => spreadDiscount([10, 20], 31)).toThrow(RangeError);
    expect(() => spreadDiscount([10, -1], 1)).toThrow(RangeError);
    expect(() => spreadDiscount([10, 20], -1)).toThrow(RangeError);
    expect(() => spreadDiscount([10.5], 1)).toThrow(RangeError);
    expect(() => spreadDiscount([], 1)).toThrow(RangeError);
  });

  // 500 seeded cases here; bench:money runs 10 000 more with the same checks and times them.
  it('sums exactly, never exceeds a weight and stays within a centavo of the exact share (500 random cases)', () => {
    const rnd = seededRandom(20261124);
    for (let round = 0; round < 500; round++) {
      const n = 1 + Math.floor(rnd() * 12);
      const weights = Array.from({ length: n }, () => (rnd() < 0.1 ? 0 : 1 + Math.floor(rnd() * (rnd() < 0.5 ? 100 : 5_000_000))));
      const total = weights.reduce((a, w) => a + w, 0);
      const discount = Math.floor(rnd() * (total + 1));
      const shares = spreadDiscount(weights, discount);
      expect(shares).toHaveLength(n);
      expect(shares.reduce((a, s) => a + s, 0)).toBe(discount);
      shares.forEach((s, i) => {
        const w = weights[i] as number;
        expect(Number.isInteger(s)).toBe(true);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(w);
        const exact = total === 0 ? 0 : (w * discount) / total;
        expect(Math.abs(s - exact)).toBeLessThan(1);
      });
    }
  });

  it('is deterministic', () => {
    expect(spreadDiscount([7, 7, 7, 7], 2)).toEqual(spreadDiscount([7, 7, 7, 7], 2));
    expect(spreadDiscount([7, 7, 7, 7], 2)).toEqual([1, 1, 0, 0]);
  });
});
