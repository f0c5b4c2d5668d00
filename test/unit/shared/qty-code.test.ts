// One qty*code grammar: the renderer's code field and main's catalog lookup read the same input
// the same way (before, main took 'x' and 5 digits, the renderer only '*' and 6).
import { describe, expect, it } from 'vitest';
import { parseQtyE4, splitQtyPrefix } from '../../../shared/qty-code.ts';
import { parseCodeInput } from '../../../renderer/state/code-input.ts';
import { lookupCode, type CatalogReader } from '../../../main/catalog/code-lookup.ts';
import { Product } from '../../../shared/sale.ts';

const product: Product = Product.parse({
  id: 'P1',
  code: '123',
  gtin: null,
  description: 'Pão',
  unit: 'UN',
  priceCents: 100,
  ncm: '19052010',
  cfop: '5102',
  cest: null,
  origin: '0',
  icms: '102',
  icmsRateBp: 0,
  approxTaxBp: 0,
  weighed: true,
});
const catalog: CatalogReader = { byGtin: () => null, byCode: (c) => (c === '123' ? product : null), byPlu: () => null };

/** The quantity each side reads from what the cashier typed (null: refused or no quantity). */
function renderer(raw: string): number | null | 'invalid' {
  const r = parseCodeInput(raw);
  return r.kind === 'invalid' ? 'invalid' : r.kind === 'code' || r.kind === 'search' ? r.qtyE4 : null;
}
function main(raw: string): number | null | 'invalid' {
  try {
    return lookupCode(raw, catalog, 'price')?.qtyE4 ?? null;
  } catch {
    return 'invalid';
  }
}

describe('qty*code grammar', () => {
  it('reads up to 5 integer digits and 4 decimals, with *, x or X', () => {
    expect(parseQtyE4('99999')).toBe(999_990_000);
    expect(parseQtyE4('123456')).toBeNull();
    expect(parseQtyE4('1,2345')).toBe(12_345);
    expect(parseQtyE4('1,23456')).toBeNull();
    expect(splitQtyPrefix('3x123')).toEqual({ kind: 'prefix', qtyText: '3', qtyE4: 30_000, rest: '123' });
    expect(splitQtyPrefix('3 X 123')).toMatchObject({ qtyE4: 30_000, rest: '123' });
    expect(splitQtyPrefix('7891000100103')).toEqual({ kind: 'none' });
  });

  it('gives the renderer and main the same answer for the same input', () => {
    for (const raw of ['3*123', '3x123', '3 X 123', '0,5*123', '1.25 x 123', '99999*123', '123456*123', '0*123', '1,23456*123']) {
      expect({ raw, qty: renderer(raw) }).toEqual({ raw, qty: main(raw) });
    }
    expect(renderer('3x123')).toBe(30_000);
    expect(main('123456*123')).toBe('invalid');
  });
});
