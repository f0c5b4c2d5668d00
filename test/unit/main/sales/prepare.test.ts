import { describe, expect, it } from 'vitest';
import { prepareSale } from '../../../../main/sales/prepare.ts';
import { CHANNELS } from '../../../../shared/contract.ts';
import { toPosError } from '../../../../main/core/errors.ts';
import { SaleRefusedError } from '../../../../main/sales/errors.ts';
import { PRODUCTS, catalogOf, draftFor, prepareContext } from '../../../integration/emission/fixtures.ts';
import type { SaleDraft } from '../../../../shared/sale.ts';
import { LOOSE_PRODUCT_ID } from '../../../../shared/catalog/loose-ids.ts';

async function refusal(draft: SaleDraft, ctx = prepareContext()): Promise<SaleRefusedError> {
  try {
    await prepareSale(draft, ctx);
  } catch (e) {
    if (e instanceof SaleRefusedError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

const cafe = PRODUCTS[0]!;
const pao = PRODUCTS[1]!;

describe('prepareSale', () => {
  it('turns a draft into a sale with catalog data and exact money', async () => {
    const now = Date.UTC(2026, 4, 2, 13, 5, 9);
    const { sale, audit } = await prepareSale(
      {
        clientId: 'cli_00000001',
        items: [
          { productId: cafe.id, qtyE4: 20_000, unitPriceCents: cafe.priceCents, discountCents: 0 },
          { productId: pao.id, qtyE4: 5_120, unitPriceCents: pao.priceCents, discountCents: 0 },
        ],
        discountCents: 0,
        payments: [{ method: '01', amountCents: 10_000 }],
        customer: { document: '529.982.247-25' },
      },
      prepareContext({ now: () => now }),
    );
    expect(audit).toEqual([]);
    expect(sale.createdAt).toBe('2026-05-02T10:05:09-03:00');
    expect(sale.items[0]).toMatchObject({ seq: 1, productId: cafe.id, ncm: cafe.ncm, grossCents: 4798 });
    // 0,512 kg × R$ 16,99 = 8,69888 → R$ 8,70
    expect(sale.items[1]).toMatchObject({ seq: 2, grossCents: 870 });
    expect(sale.totalCents).toBe(5668);
    expect(sale.changeCents).toBe(10_000 - 5668);
    expect(sale.customer).toEqual({ document: '52998224725' });
  });

  it('refuses an unknown product', async () => {
    const e = await refusal({ ...draftFor(1), items: [{ productId: 'NOPE', qtyE4: 10_000, unitPriceCents: 100, discountCents: 0 }] });
    expect(e.code).toBe('product_not_found');
    expect(e.message).toMatch(/não está no cadastro/);
  });

  it('refuses a price that differs from the catalog, but accepts scale rounding on weighed items', async () => {
    const e = await refusal({ ...draftFor(1), items: [{ productId: cafe.id, qtyE4: 10_000, unitPriceCents: cafe.priceCents - 1, discountCents: 0 }] });
    expect(e.code).toBe('price_mismatch');
    expect(e.message).toMatch(/diferente do cadastro \(R\$ 23,99\)/);
    const ok = await prepareSale(
      { ...draftFor(1), items: [{ productId: pao.id, qtyE4: 5_000, unitPriceCents: pao.priceCents + 1, discountCents: 0 }] },
      prepareContext(),
    );
    expect(ok.sale.items[0]?.unitPriceCents).toBe(pao.priceCents + 1);
    const far = await refusal({ ...draftFor(1), items: [{ productId: pao.id, qtyE4: 5_000, unitPriceCents: pao.priceCents * 2, discountCents: 0 }] });
    expect(far.code).toBe('price_mismatch');
  });

  it('asks for the manager above the discount limit and audits the override', async () => {
    const draft: SaleDraft = {
      ...draftFor(1),
      items: [{ productId: cafe.id, qtyE4: 10_000, unitPriceCents: cafe.priceCents, discountCents: 500 }],
      payments: [{ method: '01', amountCents: 5_000 }],
    };
    const e = await refusal(draft);
    expect(e.code).toBe('discount_needs_manager');
    expect(e.message).toMatch(/passa do limite de 10%.*gerente/);
    expect((await refusal({ ...draft, managerPin: '0000' })).code).toBe('manager_pin_invalid');
    const ok = await prepareSale({ ...draft, managerPin: '4321' }, prepareContext());
    expect(ok.audit).toEqual([
      expect.objectContaining({ actor: 'gerente1', action: 'discount_override', details: expect.objectContaining({ discountCents: 500, cashier: 'op1' }) }),
    ]);
    // Within the limit nobody is asked.
    const small = await prepareSale({ ...draft, items: [{ ...draft.items[0]!, discountCents: 200 }] }, prepareContext());
    expect(small.audit).toEqual([]);
  });

  it('refuses invalid CPF/CNPJ check digits', async () => {
    const e = await refusal({ ...draftFor(1), customer: { document: '52998224726' } });
    expect(e.code).toBe('invalid_document');
    expect(e.message).toMatch(/CPF inválido/);
    const c = await refusal({ ...draftFor(1), customer: { document: '45286317000175' } });
    expect(c.message).toMatch(/CNPJ inválido/);
  });

  it('refuses payments that do not cover the total, and card overpayment', async () => {
    const short = await refusal({ ...draftFor(1), payments: [{ method: '01', amountCents: 100 }] });
    expect(short.code).toBe('payment');
    expect(short.message).toMatch(/Faltam R\$/);
    const card = await refusal({ ...draftFor(1), payments: [{ method: '03', amountCents: 900_000 }] });
    expect(card.message).toMatch(/troco/);
  });

  it('gives credit/debit payments the card group (machine not integrated) when the draft has none', async () => {
    const d = draftFor(3);
    const total = (await prepareSale(d, prepareContext())).sale.totalCents;
    const { sale } = await prepareSale({ ...d, payments: [{ method: '04', amountCents: total }] }, prepareContext());
    expect(sale.payments[0]).toEqual({ method: '04', amountCents: total, card: { integration: '2' } });
  });

  it('refuses control characters and runaway strings anywhere', async () => {
    const e = await refusal({ ...draftFor(1), customer: { name: 'Jo\u0007ão' } });
    expect(e.code).toBe('invalid_text');
    expect(e.message).toMatch(/caracteres de controle/);
    const long = await refusal({ ...draftFor(1), customer: { name: 'x'.repeat(10_000) } });
    expect(long.message).toMatch(/longo demais/);
  });

  it('never calls the manager check when no override is needed', async () => {
    let calls = 0;
    await prepareSale(draftFor(2), prepareContext({ verifyManagerPin: () => (calls++, 'x') }));
    expect(calls).toBe(0);
  });

  it('uses the catalog as it is now', async () => {
    const catalog = catalogOf();
    catalog.set({ ...cafe, priceCents: 2500 });
    const e = await refusal(draftFor(0), prepareContext({ catalog }));
    expect(e.code).toBe('price_mismatch');
  });
});

describe('the finalize boundary (sales.finalize schema)', () => {
  it('explains a malformed payload in Portuguese with the field', () => {
    const bad = { clientId: 'cli_00000001', items: [{ productId: 'P001', qtyE4: -5, unitPriceCents: 100 }], payments: [{ method: '01', amountCents: 100 }] };
    const r = CHANNELS['sales.finalize'].safeParse(bad);
    const err = toPosError(r.success ? null : r.error).error;
    expect(err.code).toBe('invalid_input');
    expect(err.message).toMatch(/item 1, quantidade: a quantidade deve ser maior que zero/);
    expect(err.message).not.toMatch(/Too small|expected/i);
    expect(err.fields?.[0]?.path).toBe('items.0.qtyE4');
  });

  it('accepts a valid draft and applies defaults', () => {
    const d = CHANNELS['sales.finalize'].parse({
      clientId: 'cli_00000001',
      items: [{ productId: 'P001', qtyE4: 10_000, unitPriceCents: 2399 }],
      payments: [{ method: '01', amountCents: 3000 }],
    });
    expect(d.discountCents).toBe(0);
    expect(d.items[0]?.discountCents).toBe(0);
  });
});

describe('item avulso', () => {
  const profile = {
    id: 'revenda',
    name: 'Revenda',
    cfop: '5102',
    origin: '0',
    icms: '102',
    icmsRateBp: 0,
    pisCofinsCst: '49',
    ibsCbsCst: '000',
    cClassTrib: '000001',
    approxTaxBp: 1500,
  };
  const enabled = { settings: { enabled: true, taxProfileId: 'revenda', ncm: '96089989', cest: null, maxPriceCents: 50_000 }, profile };
  const loose = (over: Partial<SaleDraft['items'][number]> = {}) => ({
    ...draftFor(1),
    items: [{ productId: LOOSE_PRODUCT_ID, looseDescription: 'Conserto de bolsa', qtyE4: 20_000, unitPriceCents: 1250, discountCents: 0, ...over }],
    payments: [{ method: '01', amountCents: 2500 }],
  });

  it('sells a typed description and price with the chosen profile’s fiscal data and the shop’s NCM', async () => {
    const { sale } = await prepareSale(loose(), prepareContext({ looseItem: enabled }));
    expect(sale.items[0]).toMatchObject({
      productId: LOOSE_PRODUCT_ID,
      code: 'AVULSO',
      gtin: null,
      description: 'Conserto de bolsa',
      unit: 'UN',
      ncm: '96089989',
      cfop: '5102',
      icms: '102',
      pisCofinsCst: '49',
      ibsCbsCst: '000',
      grossCents: 2500,
      approxTaxCents: 375,
    });
  });

  it('refuses in pt-BR when not enabled, out of the price bounds, without a description, or fractional', async () => {
    for (const looseItem of [undefined, { ...enabled, settings: { ...enabled.settings, enabled: false } }, { ...enabled, profile: null }]) {
      const e = await refusal(loose(), prepareContext(looseItem ? { looseItem } : {}));
      expect(e.code).toBe('loose_item_disabled');
      expect(e.message).toMatch(/item avulso não está habilitado/);
    }
    const ctx = prepareContext({ looseItem: enabled });
    expect((await refusal(loose({ unitPriceCents: 50_001 }), ctx)).message).toMatch(/de R\$ 0,01 a R\$ 500,00/);
    expect((await refusal(loose({ unitPriceCents: 0 }), ctx)).code).toBe('loose_item_price');
    const { looseDescription: _, ...noText } = loose().items[0]!;
    expect((await refusal({ ...loose(), items: [noText] }, ctx)).code).toBe('loose_item_invalid');
    expect((await refusal(loose({ productId: cafe.id }), ctx)).code).toBe('loose_item_invalid');
    expect((await refusal(loose({ qtyE4: 15_000 }), ctx)).code).toBe('cart');
  });

  it('the contract refuses a blank or overlong description before the core sees it', () => {
    const schema = CHANNELS['sales.finalize'];
    expect(schema.safeParse(loose({ looseDescription: ' ' })).success).toBe(false);
    expect(schema.safeParse(loose({ looseDescription: 'x'.repeat(121) })).success).toBe(false);
    expect(schema.safeParse(loose()).success).toBe(true);
  });
});

describe('PIS/COFINS rates at the sale', () => {
  it('stamps the regime’s rates on CST 01 items only', async () => {
    const catalog = catalogOf([
      { ...cafe, pisCofinsCst: '01' },
      { ...pao, pisCofinsCst: '49' },
    ]);
    const draft = {
      ...draftFor(1),
      items: [
        { productId: cafe.id, qtyE4: 10_000, unitPriceCents: cafe.priceCents, discountCents: 0 },
        { productId: pao.id, qtyE4: 5_000, unitPriceCents: pao.priceCents, discountCents: 0 },
      ],
      payments: [{ method: '01', amountCents: 10_000 }],
    };
    const { sale } = await prepareSale(draft, prepareContext({ catalog, pisCofinsRegime: 'nao_cumulativo' }));
    expect(sale.items[0]).toMatchObject({ pisCofinsCst: '01', pisRateBp: 165, cofinsRateBp: 760 });
    expect(sale.items[1]).toMatchObject({ pisCofinsCst: '49' });
    expect(sale.items[1]).not.toHaveProperty('pisRateBp');
  });
});
