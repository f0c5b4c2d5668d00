import { describe, expect, it } from 'vitest';
import { cartFigures, computeCart, computeSale, summarizePayments, type CartLine } from '../../../shared/cart.ts';
import { computeTotals } from '../../../renderer/state/cart-logic.ts';
import { MAX_SALE_CENTS } from '../../../shared/limits.ts';
import { cash, pay, product } from './fixtures.ts';
import { seededRandom } from '../../fixtures/seeded-random.ts';

const line = (qtyE4: number, unitPriceCents: number, extra: Partial<CartLine> = {}): CartLine => ({
  product: product({ priceCents: Math.max(0, unitPriceCents) }),
  qtyE4,
  unitPriceCents,
  ...extra,
});

/** 1..maxLines random lines, a third of them weighed. */
function randomLines(rnd: () => number, maxLines: number, o: { minPriceCents: number; taxed?: boolean; discounts?: boolean }): CartLine[] {
  const n = 1 + Math.floor(rnd() * maxLines);
  return Array.from({ length: n }, (_, k) => {
    const weighed = rnd() < 0.3;
    const qtyE4 = weighed ? 1 + Math.floor(rnd() * 50_000) : (1 + Math.floor(rnd() * 5)) * 10_000;
    const unitPriceCents = o.minPriceCents + Math.floor(rnd() * 20_000);
    const p = product({ id: `p${k}`, weighed, unit: weighed ? 'KG' : 'UN', ...(o.taxed ? { approxTaxBp: Math.floor(rnd() * 4000) } : {}) });
    const discountCents = o.discounts && rnd() < 0.3 ? Math.floor(rnd() * 50) : 0;
    return { product: p, qtyE4, unitPriceCents, ...(o.discounts ? { discountCents } : {}) };
  });
}

function ok<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(`expected ok, got: ${r.error.message}`);
  return r.value;
}

describe('computeSale: the published Focus example (2 × R$ 39,50, cash R$ 100)', () => {
  it('totals, troco and Lei 12.741 taxes', () => {
    const s = ok(computeSale([line(20_000, 3950)], 0, [cash(10_000)]));
    expect(s.grossCents).toBe(7900);
    expect(s.discountCents).toBe(0);
    expect(s.totalCents).toBe(7900);
    expect(s.paidCents).toBe(10_000);
    expect(s.changeCents).toBe(2100);
    expect(s.approxTaxCents).toBe(2429); // 30,75 % of 79,00 = 24,2925 → 24,29
    expect(s.items).toHaveLength(1);
    expect(s.items[0]).toMatchObject({
      seq: 1,
      productId: 'p1',
      code: '251887',
      gtin: '7891000100103',
      description: 'CAMISA POLO',
      unit: 'UN',
      ncm: '62044200',
      cfop: '5102',
      cest: null,
      origin: '0',
      icms: '102',
      icmsRateBp: 0,
      approxTaxBp: 3075,
      qtyE4: 20_000,
      unitPriceCents: 3950,
      grossCents: 7900,
      discountCents: 0,
      totalCents: 7900,
      approxTaxCents: 2429,
    });
  });
});

describe('items and discounts', () => {
  it('numbers items 1..n and rounds weighed lines half up', () => {
    const cart = ok(
      computeCart([
        line(10_000, 1000),
        { product: product({ id: 'kg', unit: 'KG', weighed: true }), qtyE4: 5_120, unitPriceCents: 3990 },
        { product: product({ id: 'kg2', unit: 'KG', weighed: true }), qtyE4: 3_335, unitPriceCents: 1000 },
      ]),
    );
    expect(cart.items.map((i) => i.seq)).toEqual([1, 2, 3]);
    expect(cart.items.map((i) => i.grossCents)).toEqual([1000, 2043, 334]);
    expect(cart.totalCents).toBe(3377);
  });

  it('spreads the sale discount over the lines (after their own discounts), exactly', () => {
    const cart = ok(computeCart([line(10_000, 1000, { discountCents: 100 }), line(10_000, 2000), line(10_000, 3000)], 100));
    // Net values 900, 2000, 3000 (5900); shares of 100: 15.25, 33.90, 50.85 → 15, 34, 51.
    expect(cart.items.map((i) => i.discountCents)).toEqual([115, 34, 51]);
    expect(cart.discountCents).toBe(200);
    expect(cart.totalCents).toBe(5800);
    expect(cart.items.reduce((a, i) => a + i.totalCents, 0)).toBe(cart.totalCents);
    for (const i of cart.items) expect(i.totalCents).toBe(i.grossCents - i.discountCents);
  });

  it('keeps at least one centavo on every item when a proportional share would zero it', () => {
    // 1 centavo item + R$ 10,00 item, discount 999: exact share of the small item is 0.998… → 1 = its whole value.
    const cart = ok(computeCart([line(10_000, 1), line(10_000, 1000)], 999));
    expect(cart.items.map((i) => i.totalCents)).toEqual([1, 1]);
    expect(cart.totalCents).toBe(2);
  });

  it('approximate taxes are computed on each item total after discounts', () => {
    const cart = ok(
      computeCart([line(10_000, 1000, { product: product({ approxTaxBp: 1000 }) }), line(10_000, 333, { product: product({ approxTaxBp: 1500 }) })], 133),
    );
    for (const i of cart.items) expect(i.approxTaxCents).toBe(Math.floor((i.totalCents * i.approxTaxBp) / 10_000 + 0.5));
    expect(cart.approxTaxCents).toBe(cart.items.reduce((a, i) => a + i.approxTaxCents, 0));
  });

  it('random carts: totals always add up and no item goes to zero', () => {
    const rnd = seededRandom(1234);
    for (let round = 0; round < 500; round++) {
      const lines = randomLines(rnd, 8, { minPriceCents: 1, taxed: true });
      const plain = computeCart(lines);
      if (!plain.ok) continue; // e.g. a weighed line rounding to R$ 0,00 with nothing else
      const saleDiscount = Math.floor(rnd() * plain.value.totalCents * 0.5);
      const r = computeCart(lines, saleDiscount);
      if (!r.ok) {
        expect(r.error.code).toBe('sale-discount');
        continue;
      }
      const c = r.value;
      expect(c.totalCents).toBe(plain.value.totalCents - saleDiscount);
      expect(c.grossCents - c.discountCents).toBe(c.totalCents);
      expect(c.items.reduce((a, i) => a + i.totalCents, 0)).toBe(c.totalCents);
      for (const i of c.items) {
        expect(i.discountCents).toBeGreaterThanOrEqual(0);
        if (i.grossCents > 0) expect(i.totalCents).toBeGreaterThan(0);
      }
    }
  });
});

describe('errors in Portuguese', () => {
  it.each([
    ['empty', /não tem itens/, [], 0],
    ['invalid-quantity', /quantidade inválida/, [line(0, 100)], 0],
    ['fractional-quantity', /fracionada/, [line(15_000, 100)], 0],
    ['invalid-price', /preço/, [line(10_000, -1)], 0],
    ['item-discount', /desconto de R\$ 10,00 deve ser menor que o valor do item \(R\$ 10,00\)/, [line(10_000, 1000, { discountCents: 1000 })], 0],
    ['invalid-discount', /desconto inválido/, [line(10_000, 1000, { discountCents: -5 })], 0],
    ['sale-discount', /desconto da venda \(R\$ 10,00\) deve ser menor que o subtotal/, [line(10_000, 1000)], 1000],
    ['sale-discount', /valor zero/, [line(10_000, 1), line(10_000, 1)], 1],
    ['total-not-positive', /maior que zero/, [line(10_000, 0)], 0],
    ['total-too-large', /R\$ 200\.000,00/, [line(10_000, MAX_SALE_CENTS), line(10_000, 1)], 0],
  ] as const)('%s (case %#)', (code, message, lines, discount) => {
    const r = computeCart(lines, discount);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message).toMatch(message);
    }
  });

  it('points at the faulty line', () => {
    const r = computeCart([line(10_000, 100), line(10_000, 100, { discountCents: 200 })]);
    expect(!r.ok && r.error.index).toBe(1);
  });

  it('exactly R$ 200.000,00 is allowed', () => {
    expect(ok(computeCart([line(10_000, MAX_SALE_CENTS)])).totalCents).toBe(MAX_SALE_CENTS);
  });
});

describe('payments', () => {
  const lines = [line(10_000, 5000)]; // R$ 50,00

  it('says how much is missing', () => {
    const r = computeSale(lines, 0, [cash(2000), pay('04', 1000)]);
    expect(r).toEqual({ ok: false, error: { code: 'payment-short', message: 'Faltam R$ 20,00 para completar o pagamento.' } });
  });

  it('accepts mixed payments and cash change', () => {
    const s = ok(computeSale(lines, 0, [pay('03', 3000), cash(5000)]));
    expect(s.paidCents).toBe(8000);
    expect(s.changeCents).toBe(3000);
  });

  it('refuses change that does not come from cash', () => {
    const r = computeSale(lines, 0, [pay('03', 6000)]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('change-exceeds-cash');
      expect(r.error.message).toMatch(/Só pagamento em dinheiro pode gerar troco.*R\$ 10,00/);
    }
    const r2 = computeSale(lines, 0, [cash(1000), pay('17', 5500)]);
    expect(!r2.ok && r2.error.message).toBe('O troco (R$ 15,00) é maior que o valor recebido em dinheiro (R$ 10,00). Ajuste os valores dos outros pagamentos.');
  });

  it('exact payment by card has no change', () => {
    expect(ok(computeSale(lines, 0, [pay('04', 5000)])).changeCents).toBe(0);
  });

  it('validates each payment', () => {
    const code = (payments: Parameters<typeof computeSale>[2]) => {
      const r = computeSale(lines, 0, payments);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(code([])).toBe('no-payment');
    expect(code([pay('14', 5000)])).toBe('invalid-payment');
    expect(code([pay('42', 5000)])).toBe('invalid-payment');
    expect(code([pay('01', 0)])).toBe('invalid-payment');
    expect(code([pay('99', 5000)])).toBe('payment-description');
    expect(code([pay('99', 5000, { description: 'Permuta' })])).toBe('ok');
    expect(code([pay('03', 5000, { card: { integration: '1' } })])).toBe('card-data');
    expect(code([pay('03', 5000, { card: { integration: '1', acquirerCnpj: '01027058000191', authorization: 'R07242' } })])).toBe('ok');
    expect(code([pay('03', 5000, { card: { integration: '1', acquirerCnpj: '01027058000192', authorization: 'R07242' } })])).toBe('card-data');
    expect(code([pay('04', 5000, { card: { integration: '2', acquirerCnpj: '11111111111111' } })])).toBe('card-data');
  });

  it('cart errors come before payment errors', () => {
    const r = computeSale([], 0, []);
    expect(!r.ok && r.error.code).toBe('empty');
  });

  it('summarizePayments for the payment screen', () => {
    expect(summarizePayments(5000, [cash(2000)])).toEqual({ paidCents: 2000, remainingCents: 3000, changeCents: 0, cashCents: 2000 });
    expect(summarizePayments(5000, [cash(2000), pay('03', 4000)])).toEqual({ paidCents: 6000, remainingCents: 0, changeCents: 1000, cashCents: 2000 });
  });
});

describe('one computation for the screen and the core', () => {
  it('the checkout figures (renderer) equal the committed totals (main) for random carts', () => {
    const rnd = seededRandom(99);
    for (let round = 0; round < 300; round++) {
      const lines = randomLines(rnd, 6, { minPriceCents: 100, discounts: true });
      const saleDiscount = rnd() < 0.5 ? Math.floor(rnd() * 100) : 0;
      const core = computeCart(lines, saleDiscount);
      if (!core.ok) continue;
      const screenLines = lines.map((l, i) => ({
        seq: i + 1,
        productId: l.product.id,
        code: l.product.code,
        description: l.product.description,
        unit: l.product.unit,
        weighed: l.product.weighed,
        qtyE4: l.qtyE4,
        unitPriceCents: l.unitPriceCents,
        discountCents: l.discountCents ?? 0,
        cancelled: false,
      }));
      const cancelled = { ...screenLines[0]!, seq: 99, cancelled: true, qtyE4: 10_000, unitPriceCents: 12_345 };
      const screen = computeTotals([...screenLines, cancelled], saleDiscount, [{ method: '01', amountCents: 1 }]);
      expect(screen.totalCents).toBe(core.value.totalCents);
      expect(screen.grossCents).toBe(core.value.grossCents);
      expect(screen.itemDiscountCents + screen.saleDiscountCents).toBe(core.value.discountCents);
      expect(screen.itemCount).toBe(lines.length);
      expect(cartFigures(lines, saleDiscount, []).totalCents).toBe(core.value.totalCents);
    }
  });
});
