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

describe('SearchIndex queries', () => {
  const base = (id: string, description: string, over: Partial<Product> = {}): Product => ({
    ...product(seededRandom(1), id),
    code: id.toLowerCase(),
    gtin: null,
    description,
    active: true,
    ...over,
  });
  const shelf = [
    base('A1', 'Pão Francês'),
    base('A2', 'Pão de Queijo Mineiro', { gtin: withCheckDigit('789100000001') }),
    base('A3', 'Paçoca Rolha'),
    base('A4', 'AÇÚCAR Cristal 1kg', { gtin: withCheckDigit('789100000002') }),
    base('A5', 'Queijo Prato Fatiado'),
    base('A6', 'Café Torrado e Moído 500g', { code: '1050' }),
    base('A7', 'Cafeteira Elétrica', { code: '1051' }),
    base('A8', 'Biscoito de Queijo', { active: false }),
  ];

  it('matches word prefixes, not the middle of a word, and says nothing for a word no product has', () => {
    const index = new SearchIndex(shelf);
    expect(ids(index.search('pa', 10))).toEqual(['A3', 'A2', 'A1']);
    expect(ids(index.search('caf', 10))).toEqual(['A6', 'A7']);
    expect(ids(index.search('eijo', 10))).toEqual([]);
    expect(ids(index.search('paoz', 10))).toEqual([]);
  });

  it('folds accents and case on both sides', () => {
    const index = new SearchIndex(shelf);
    expect(ids(index.search('acucar', 10))).toEqual(['A4']);
    expect(ids(index.search('AÇÚC', 10))).toEqual(['A4']);
    expect(ids(index.search('Paçoca', 10))).toEqual(['A3']);
    expect(ids(index.search('moido', 10))).toEqual(['A6']);
  });

  it('needs every word, in any order, each as a word prefix', () => {
    const index = new SearchIndex(shelf);
    expect(ids(index.search('queijo pao', 10))).toEqual(['A2']);
    expect(ids(index.search('pao queijo', 10))).toEqual(['A2']);
    expect(ids(index.search('qu', 10))).toEqual(['A2', 'A5']);
    expect(ids(index.search('queijo fat', 10))).toEqual(['A5']);
    expect(ids(index.search('pao arroz', 10))).toEqual([]);
    expect(ids(index.search('cafe 500', 10))).toEqual(['A6']);
  });

  it('finds codes and barcodes by prefix, codes first', () => {
    const index = new SearchIndex(shelf);
    expect(ids(index.search('105', 10))).toEqual(['A6', 'A7']);
    expect(ids(index.search('1051', 10))).toEqual(['A7']);
    expect(ids(index.search('7891000', 10))).toEqual(['A2', 'A4']);
  });

  it('stops at the limit with the first products in name order', () => {
    const many = Array.from({ length: 300 }, (_, i) => base(`M${String(i).padStart(3, '0')}`, `Maçã Gala ${i % 7}`));
    const index = new SearchIndex(many);
    const all = ids(index.search('maca', 1_000));
    expect(all).toHaveLength(300);
    for (const limit of [1, 2, 50, 299]) expect(ids(index.search('maca gala', limit))).toEqual(all.slice(0, limit));
    expect(ids(index.search('ma', 5))).toEqual(all.slice(0, 5));
    expect(index.search('maca', 0)).toEqual([]);
  });

  it('keeps in step with a renamed or deactivated product', () => {
    const index = new SearchIndex(shelf);
    index.upsert({ ...shelf[0]!, description: 'Broa de Milho' });
    expect(ids(index.search('frances', 10))).toEqual([]);
    expect(ids(index.search('broa', 10))).toEqual(['A1']);
    index.upsert({ ...shelf[4]!, active: false });
    expect(ids(index.search('queijo', 10))).toEqual(['A2']);
    expect(ids(index.search('queijo', 10, true))).toEqual(['A8', 'A2', 'A5']);
    index.upsert({ ...shelf[7]!, active: true });
    expect(ids(index.search('queijo', 10))).toEqual(['A8', 'A2']);
    index.upsert({ ...shelf[6]!, code: '2051' });
    expect(ids(index.search('105', 10))).toEqual(['A6']);
    expect(ids(index.search('205', 10))).toEqual(['A7']);
  });
});

describe('SearchIndex built in slices', () => {
  it('pauses between slices and ends with the same index as a build at once', async () => {
    const rand = seededRandom(5);
    const list = Array.from({ length: 9_000 }, (_, i) => product(rand, `P${i}`));
    let pauses = 0;
    // Slices of 256: several of each step (entries, sorted runs, merge passes, postings, vocabulary).
    const sliced = await SearchIndex.build(list, () => Promise.resolve(++pauses > 0), 256);
    expect(pauses).toBeGreaterThan(200);
    const whole = new SearchIndex(list);
    expect(ids(sliced!.all())).toEqual(ids(whole.all()));
    for (const q of queries(list)) expect(ids(sliced!.search(q, 50)), q).toEqual(ids(whole.search(q, 50)));
  });

  it('stops, answering null, when a pause says so', async () => {
    const rand = seededRandom(6);
    const list = Array.from({ length: 9_000 }, (_, i) => product(rand, `P${i}`));
    let pauses = 0;
    expect(await SearchIndex.build(list, () => Promise.resolve(++pauses < 3))).toBeNull();
    expect(pauses).toBe(3);
  });
});
