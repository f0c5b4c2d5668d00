// Small builders for shared-domain tests: real zod parsing, so defaults match production.
import { Product, type Payment } from '../../../shared/sale.ts';

export function product(overrides: Partial<Product> = {}): Product {
  return Product.parse({
    id: 'p1',
    code: '251887',
    gtin: '7891000100103',
    description: 'CAMISA POLO',
    unit: 'UN',
    priceCents: 3950,
    ncm: '62044200',
    cfop: '5102',
    origin: '0',
    icms: '102',
    approxTaxBp: 3075,
    ...overrides,
  });
}

export const cash = (amountCents: number): Payment => ({ method: '01', amountCents });
export const pay = (method: string, amountCents: number, extra: Partial<Payment> = {}): Payment => ({ method, amountCents, ...extra });
