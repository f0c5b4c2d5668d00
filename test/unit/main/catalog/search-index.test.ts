// The search index edited in place (one product saved, inserted or taken out) must answer exactly
// as an index built from scratch over the same products: same products, same order, every query.
import { describe, expect, it } from 'vitest';
import { PRODUCT_DEFAULTS, type Product } from '../../../../shared/sale.ts';
import { SearchIndex } from '../../../../main/catalog/search-index.ts';
import { Catalog } from '../../../../main/catalog/catalog.ts';
import { withCheckDigit } from '../../../../main/catalog/gtin.ts';
import { seededRandom } from '../../../fixtures/seeded-random.ts';

// A small vocabulary on purpose: many products share words, prefixes and even whole names (ties).
const WORDS = ['Pão', 'Pão de Queijo', 'Paçoca', 'Arroz', 'Arroba', 'Açúcar', 'Café', 'Cafeteira', 'Leite', 'Leitoa', 'Queijo', 'Quiabo', '1kg', '500g'];

function product(rand: () => number, id: string): Product {
  const pick = () => WORDS[Math.floor(rand() * WORDS.length)]!;
  const n = 1 + Math.floor(rand() * 3);
  const description = Array.from({ length: n }, pick).join(' ');
  return {
    ...PRODUCT_DEFAULTS,
    id,
    code: String(Math.floor(rand() * 400)),
    gtin: rand() < 0.3 ? null : withCheckDigit(`789${String(Math.floor(rand() * 1000)).padStart(9, '0')}`),
    description,
    unit: 'UN',
    priceCents: 100,
    ncm: '19059090',
    cfop: '5102',
    cest: null,
    origin: '0',
    icms: '102',
    icmsRateBp: 0,
    approxTaxBp: 0,
    weighed: false,
    active: rand() > 0.15,
  };
}

/** Every query a cashier or the register could type against this vocabulary: prefixes, pairs, codes. */
function queries(products: Iterable<Product>): string[] {
  const qs = new Set<string>(['a', 'p', 'pa', 'pao', 'pao q', 'caf', 'cafe leite', 'qu', 'queijo pao', '1', '1k', '50', '789', '7890000', 'zz']);
  for (const w of WORDS) for (let i = 1; i <= w.length; i++) qs.add(w.slice(0, i));
  for (const p of products) {
    qs.add(p.code);
    if (p.gtin) qs.add(p.gtin.slice(0, 6));
  }
  return [...qs];
}

const ids = (ps: Iterable<Product>) => [...ps].map((p) => p.id);

function expectSame(inc: SearchIndex, live: Map<string, Product>): void {
  const full = new SearchIndex([...live.values()]);
  expect(inc.size).toBe(full.size);
  expect(ids(inc.all())).toEqual(ids(full.all()));
  for (const q of queries(live.values())) {
    for (const [limit, inactive] of [
      [5, false],
      [50, false],
      [1_000, true],
    ] as const) {
      expect(ids(inc.search(q, limit, inactive)), `${q} / ${limit} / ${inactive}`).toEqual(ids(full.search(q, limit, inactive)));
    }
  }
}

describe('SearchIndex edited in place', () => {
  it('answers every query like a full rebuild after random inserts, updates and removals (seeded)', () => {
    for (const seed of [1, 7, 2026]) {
      const rand = seededRandom(seed);
      const live = new Map<string, Product>();
      for (let i = 0; i < 60; i++) live.set(`P${i}`, product(rand, `P${i}`));
      const inc = new SearchIndex([...live.values()]);
      let next = 60;
      for (let step = 0; step < 300; step++) {
        const r = rand();
        const existing = [...live.keys()];
        if (r < 0.35 || existing.length === 0) {
          const p = product(rand, `P${next++}`);
          live.set(p.id, p);
          inc.upsert(p);
        } else if (r < 0.85) {
          const id = existing[Math.floor(rand() * existing.length)]!;
          const p = product(rand, id);
          live.set(id, p);
          inc.upsert(p);
        } else {
          const id = existing[Math.floor(rand() * existing.length)]!;
          live.delete(id);
          inc.remove(id);
        }
        if (step % 50 === 49) expectSame(inc, live);
      }
      expectSame(inc, live);
    }
  });

  it('keeps name order with ties broken by id, whatever the insertion order', () => {
    const rand = seededRandom(3);
    const a = { ...product(rand, 'B'), description: 'Pão Francês', active: true };
    const b = { ...product(rand, 'A'), description: 'Pao frances', active: true };
    const c = { ...product(rand, 'C'), description: 'Arroz', active: true };
    const inc = new SearchIndex([a]);
    inc.upsert(c);
    inc.upsert(b);
    expect(ids(inc.all())).toEqual(['C', 'A', 'B']);
    expect(ids(inc.search('pao', 10))).toEqual(['A', 'B']);
    inc.upsert({ ...a, description: 'Broa' });
    expect(ids(inc.search('pao', 10))).toEqual(['A']);
    expect(ids(inc.search('broa', 10))).toEqual(['B']);
    inc.remove('A');
    expect(ids(inc.search('pao', 10))).toEqual([]);
    expect(ids(inc.all())).toEqual(['C', 'B']);
  });
});

describe('Catalog saves', () => {
  it('one product saved at a time leaves the catalog searching like a freshly loaded one', () => {
    const rand = seededRandom(11);
    const start = Array.from({ length: 80 }, (_, i) => ({ ...product(rand, `P${i}`), code: `C${i}`, gtin: null }));
    const cat = new Catalog(null, start);
    const live = new Map(start.map((p) => [p.id, p]));
    for (let step = 0; step < 120; step++) {
      const id = rand() < 0.3 ? `N${step}` : `P${Math.floor(rand() * 80)}`;
      const p = { ...product(rand, id), code: live.get(id)?.code ?? `X${step}`, gtin: null };
      cat.upsert(p);
      live.set(id, p);
    }
    const fresh = new Catalog(null, [...live.values()]);
    for (const q of queries(live.values())) expect(ids(cat.search(q, 20)), q).toEqual(ids(fresh.search(q, 20)));
  });
});
