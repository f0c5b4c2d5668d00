import { describe, expect, it } from 'vitest';
import { orderBrands } from '../../../../../renderer/features/payment/brands.ts';

describe('card brands', () => {
  it('start with Visa, Mastercard and Elo, then the rest; every brand once', () => {
    const list = orderBrands({});
    expect(list.slice(0, 3).map((b) => b.name)).toEqual(['Visa', 'Mastercard', 'Elo']);
    expect(new Set(list.map((b) => b.code)).size).toBe(list.length);
    expect(list.map((b) => b.code)).toContain('99');
  });

  it('put what this till uses most first', () => {
    const list = orderBrands({ '07': 5, '02': 2 });
    expect(list.slice(0, 3).map((b) => b.name)).toEqual(['Hipercard', 'Mastercard', 'Visa']);
  });
});
