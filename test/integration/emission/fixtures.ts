// Products, drafts and sales shared by the journal, engine, crash and bench tests. Fiscal data fits
// a Simples Nacional emitter (CRT 1 → CSOSN), like the sandbox's demo company.
import { PRODUCT_DEFAULTS, type Product, type SaleDraft } from '../../../shared/sale.ts';
import type { NewSale } from '../../../main/db/types.ts';
import { prepareSale, type PrepareContext } from '../../../main/sales/prepare.ts';

const base = { ...PRODUCT_DEFAULTS, cest: null, origin: '0', icms: '102', icmsRateBp: 0, approxTaxBp: 1800, weighed: false } as const;

export const PRODUCTS: Product[] = [
  { ...base, id: 'P001', code: '1', gtin: '7891000315507', description: 'Café Torrado 500g', unit: 'UN', priceCents: 2399, ncm: '09012100', cfop: '5102' },
  { ...base, id: 'P002', code: '2', gtin: null, description: 'Pão Francês', unit: 'KG', priceCents: 1699, ncm: '19059090', cfop: '5102', weighed: true },
  {
    ...base,
    id: 'P003',
    code: '3',
    gtin: '7894900011517',
    description: 'Refrigerante Cola 2L',
    unit: 'UN',
    priceCents: 999,
    ncm: '22021000',
    cfop: '5405',
    cest: '0300700',
    icms: '500',
  },
  { ...base, id: 'P004', code: '4', gtin: null, description: 'Bolo de Fubá Fatia', unit: 'UN', priceCents: 650, ncm: '19052090', cfop: '5102' },
];

export function catalogOf(products: Product[] = PRODUCTS): { getProduct(id: string): Product | null; set(p: Product): void } {
  const map = new Map(products.map((p) => [p.id, { ...p }]));
  return {
    getProduct: (id) => map.get(id) ?? null,
    set: (p) => void map.set(p.id, { ...p }),
  };
}

/** A plain cash sale of 1–3 items; deterministic from n. */
export function draftFor(n: number, clientId = `draft_${n}_${Date.now().toString(36)}`): SaleDraft {
  const p1 = PRODUCTS[n % PRODUCTS.length] as Product;
  const p3 = PRODUCTS[3] as Product;
  const items = [{ productId: p1.id, qtyE4: p1.weighed ? 5_120 : 10_000 * (1 + (n % 3)), unitPriceCents: p1.priceCents, discountCents: 0 }];
  if (n % 2 === 0) items.push({ productId: p3.id, qtyE4: 10_000, unitPriceCents: p3.priceCents, discountCents: 0 });
  return { clientId, items, discountCents: 0, payments: [{ method: '01', amountCents: 50_000 }] };
}

export function prepareContext(overrides: Partial<PrepareContext> = {}): PrepareContext {
  return {
    catalog: catalogOf(),
    operatorId: 'op1',
    terminalId: 'PDV01',
    discountLimitBp: 1_000,
    verifyManagerPin: (pin) => (pin === '4321' ? 'gerente1' : null),
    now: Date.now,
    utcOffsetMinutes: -180,
    ...overrides,
  };
}

export async function saleFor(n: number, clientId?: string, ctx?: Partial<PrepareContext>): Promise<NewSale> {
  return (await prepareSale(draftFor(n, clientId), prepareContext(ctx))).sale;
}
