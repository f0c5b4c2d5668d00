import { describe, expect, it } from 'vitest';
import type { CodeLookup } from '../../../../shared/contract.ts';
import { PRODUCT_DEFAULTS, type Product } from '../../../../shared/sale.ts';
import {
  buildDraft,
  checkPayment,
  computeTotals,
  exceedsLimit,
  lineFromLookup,
  newClientId,
  parseDiscount,
  type CartLine,
} from '../../../../renderer/state/cart-logic.ts';

const product = (over: Partial<Product> = {}): Product => ({
  ...PRODUCT_DEFAULTS,
  id: 'p1',
  code: '1',
  gtin: '7891000100103',
  description: 'ARROZ 5KG',
  unit: 'UN',
  priceCents: 2590,
  ncm: '10063021',
  cfop: '5102',
  cest: null,
  origin: '0',
  icms: '102',
  icmsRateBp: 0,
  approxTaxBp: 0,
  weighed: false,
  ibsCbsCst: null,
  cClassTrib: null,
  ...over,
});

const cheese = product({ id: 'p2', code: '00042', gtin: null, description: 'QUEIJO MUSSARELA KG', unit: 'KG', priceCents: 3990, weighed: true });

function line(seq: number, over: Partial<CartLine> = {}): CartLine {
  return {
    seq,
    productId: 'p1',
    code: '1',
    description: 'X',
    unit: 'UN',
    weighed: false,
    qtyE4: 10_000,
    unitPriceCents: 1000,
    discountCents: 0,
    cancelled: false,
    ...over,
  };
}

describe('lineFromLookup', () => {
  it('uses the typed quantity for a plain product', () => {
    const r = lineFromLookup({ product: product(), qtyE4: null, labelTotalCents: null }, 30_000);
    expect(r.ok && r.line.qtyE4).toBe(30_000);
    expect(r.ok && r.line.unitPriceCents).toBe(2590);
  });
  it('refuses a fractional quantity of a unit product', () => {
    const r = lineFromLookup({ product: product(), qtyE4: null, labelTotalCents: null }, 5_000);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/quantidade inteira/);
  });
  it('takes the weight from a weight label', () => {
    const r = lineFromLookup({ product: cheese, qtyE4: 5_120, labelTotalCents: null }, null);
    expect(r.ok && r.line.qtyE4).toBe(5_120);
    expect(r.ok && r.line.unitPriceCents).toBe(3990);
  });
  it('makes a price label line total exactly the printed total', () => {
    const found: CodeLookup = { product: cheese, qtyE4: 5_120, labelTotalCents: 2043 };
    const r = lineFromLookup(found, null);
    expect(r.ok).toBe(true);
    if (r.ok) expect(computeTotals([{ ...r.line, seq: 1 }], 0, []).totalCents).toBe(2043);
  });
});

describe('computeTotals', () => {
  it('sums active lines, subtracts discounts and works out troco', () => {
    const lines = [line(1), line(2, { cancelled: true }), line(3, { qtyE4: 5_120, unitPriceCents: 3990, discountCents: 43 })];
    const t = computeTotals(lines, 100, [{ method: '01', amountCents: 5000 }]);
    expect(t.itemCount).toBe(2);
    expect(t.grossCents).toBe(1000 + 2043);
    expect(t.totalCents).toBe(3043 - 43 - 100);
    expect(t.remainingCents).toBe(0);
    expect(t.changeCents).toBe(5000 - 2900);
  });
});

describe('parseDiscount', () => {
  it('reads reais and percentages', () => {
    expect(parseDiscount('5,00', 10_000)).toEqual({ ok: true, cents: 500, bp: 500 });
    expect(parseDiscount('R$ 2', 10_000)).toEqual({ ok: true, cents: 200, bp: 200 });
    expect(parseDiscount('10%', 2590)).toEqual({ ok: true, cents: 259, bp: 1000 });
    expect(parseDiscount('2,5 %', 10_000)).toEqual({ ok: true, cents: 250, bp: 250 });
  });
  it('refuses a discount that eats the whole value, and nonsense', () => {
    expect(parseDiscount('100%', 1000).ok).toBe(false);
    expect(parseDiscount('abc', 1000).ok).toBe(false);
    expect(parseDiscount('', 1000).ok).toBe(false);
  });
});

describe('exceedsLimit', () => {
  it('compares in basis points, exactly at the limit is allowed', () => {
    expect(exceedsLimit(1000, 10_000, 1000)).toBe(false);
    expect(exceedsLimit(1001, 10_000, 1000)).toBe(true);
    expect(exceedsLimit(0, 0, 0)).toBe(false);
  });
});

describe('checkPayment', () => {
  const totals = computeTotals([line(1, { unitPriceCents: 3000 })], 0, [{ method: '03', amountCents: 1000 }]);
  it('lets cash exceed what is due (troco) but not a card', () => {
    expect(checkPayment('01', 5000, totals).ok).toBe(true);
    const card = checkPayment('04', 2001, totals);
    expect(card.ok).toBe(false);
    expect(!card.ok && card.message).toContain('R$ 20,00');
    expect(checkPayment('04', 2000, totals).ok).toBe(true);
  });
  it('refuses zero and a payment after the sale is covered', () => {
    expect(checkPayment('01', 0, totals).ok).toBe(false);
    const paid = computeTotals([line(1)], 0, [{ method: '01', amountCents: 1000 }]);
    expect(checkPayment('01', 100, paid).ok).toBe(false);
  });
});

describe('buildDraft', () => {
  it('leaves cancelled lines out and carries the idempotency key', () => {
    const id = newClientId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    const d = buildDraft({
      clientId: id,
      lines: [line(1), line(2, { cancelled: true, productId: 'gone' })],
      saleDiscountCents: 0,
      payments: [{ method: '01', amountCents: 1000 }],
      customerDocument: '52998224725',
      managerPin: null,
    });
    expect(d.items).toEqual([{ productId: 'p1', qtyE4: 10_000, unitPriceCents: 1000, discountCents: 0 }]);
    expect(d.customer).toEqual({ document: '52998224725' });
    expect(d.managerPin).toBeUndefined();
    expect(d.clientId).toBe(id);
  });
});
