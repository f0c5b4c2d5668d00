import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Product } from '../../../../shared/sale.ts';
import { Product as ProductSchema } from '../../../../shared/sale.ts';
import { Catalog, type WarmStage } from '../../../../main/catalog/catalog.ts';
import { gtinCheckDigit, isValidGtin, withCheckDigit } from '../../../../main/catalog/gtin.ts';
import { LookupError } from '../../../../main/catalog/code-lookup.ts';
import { demoCatalog } from '../../../../main/demo/catalog.ts';
import { SEARCH_QUERIES, syntheticProducts } from '../../../fixtures/synthetic-catalog.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function product(over: Partial<Product> & Pick<Product, 'id' | 'code' | 'description'>): Product {
  return ProductSchema.parse({ gtin: null, unit: 'UN', priceCents: 100, ncm: '19059090', cfop: '5102', origin: '0', icms: '102', ...over });
}

/** An EAN-13 scale label: 2 + PLU(5) + value(6) + check digit. */
function label(plu: number, value: number): string {
  return withCheckDigit(`2${String(plu).padStart(5, '0')}${String(value).padStart(6, '0')}`);
}

describe('GTIN check digits', () => {
  it('matches published examples', () => {
    expect(gtinCheckDigit('789100000001')).toBe(4);
    expect(isValidGtin('4006381333931')).toBe(true);
    expect(isValidGtin('4006381333932')).toBe(false);
    expect(isValidGtin('96385074')).toBe(true); // EAN-8
    expect(isValidGtin('036000291452')).toBe(true); // UPC-A
  });
});

describe('demo catalog', () => {
  const list = demoCatalog();
  it('has a few hundred valid, unique products with fiscal data', () => {
    expect(list.length).toBeGreaterThanOrEqual(250);
    expect(new Set(list.map((p) => p.id)).size).toBe(list.length);
    expect(new Set(list.map((p) => p.code)).size).toBe(list.length);
    for (const p of list) {
      ProductSchema.parse(p);
      if (p.gtin) expect(isValidGtin(p.gtin)).toBe(true);
      expect(['5102', '5405']).toContain(p.cfop);
      expect(p.icms).toBe(p.cfop === '5405' ? '500' : '102');
    }
    expect(list.filter((p) => p.weighed).every((p) => p.unit === 'KG' && /^\d{1,5}$/.test(p.code))).toBe(true);
    expect(list.some((p) => p.weighed)).toBe(true);
    expect(list.some((p) => p.cfop === '5405')).toBe(true);
  });
  it('is deterministic', () => {
    expect(demoCatalog()).toEqual(list);
  });
});

describe('Catalog lookup', () => {
  const cat = new Catalog(null, demoCatalog());
  const pao = cat.byCode('1')!;
  const arroz = cat.get('DEMO-0001')!;

  it('finds by GTIN, by GTIN-14 form and by internal code', () => {
    expect(cat.lookup(arroz.gtin!, 'price')).toEqual({ product: arroz, qtyE4: null, labelTotalCents: null });
    expect(cat.lookup('0' + arroz.gtin!, 'price')?.product.id).toBe(arroz.id);
    expect(cat.lookup(arroz.code, 'price')?.product.id).toBe(arroz.id);
    expect(cat.lookup('  ' + arroz.code + ' ', 'price')?.product.id).toBe(arroz.id);
  });

  it('reads qty*code with integer and decimal comma quantities', () => {
    expect(cat.lookup(`3*${arroz.gtin}`, 'price')).toMatchObject({ product: { id: arroz.id }, qtyE4: 30_000 });
    expect(cat.lookup(`0,5*${pao.code}`, 'price')).toMatchObject({ product: { id: pao.id }, qtyE4: 5_000 });
    expect(cat.lookup(`1.25 x ${pao.code}`, 'price')).toMatchObject({ qtyE4: 12_500 });
    expect(() => cat.lookup(`0,5*${arroz.code}`, 'price')).toThrow(/quantidade inteira/);
    expect(() => cat.lookup(`0*${arroz.code}`, 'price')).toThrow(LookupError);
  });

  it('decodes price-embedded scale labels', () => {
    // R$ 9,50 of Pão Francês at R$ 18,99/kg → 0,5003 kg.
    const r = cat.lookup(label(1, 950), 'price')!;
    expect(r.product.id).toBe(pao.id);
    expect(r.labelTotalCents).toBe(950);
    expect(r.qtyE4).toBe(Math.round((950 * 10_000) / pao.priceCents));
  });

  it('decodes weight-embedded scale labels when the setting says so', () => {
    const r = cat.lookup(label(1, 512), 'weight')!;
    expect(r).toEqual({ product: pao, qtyE4: 5_120, labelTotalCents: null });
  });

  it('refuses a label with a wrong check digit or an unknown PLU, in Portuguese', () => {
    const good = label(1, 950);
    const bad = good.slice(0, 12) + String((Number(good[12]) + 1) % 10);
    expect(() => cat.lookup(bad, 'price')).toThrow(/dígito verificador/);
    expect(() => cat.lookup(label(99_999, 100), 'price')).toThrow(/não cadastrado/);
  });

  it('refuses a mistyped EAN-13 and returns null for an unknown valid one', () => {
    const typo = arroz.gtin!.slice(0, 12) + String((Number(arroz.gtin![12]) + 1) % 10);
    expect(() => cat.lookup(typo, 'price')).toThrow(/dígito verificador/);
    expect(cat.lookup(withCheckDigit('789999999999'), 'price')).toBeNull();
    expect(cat.lookup('nada-disso', 'price')).toBeNull();
  });
});

describe('Catalog search', () => {
  const cat = new Catalog(null, demoCatalog());

  it('is accent- and case-insensitive, any word order, by word prefix', () => {
    const hits = cat.search('pao frances', 10).map((p) => p.description);
    expect(hits).toContain('Pão Francês');
    expect(cat.search('ACUCAR refin', 10).every((p) => p.description.startsWith('Açúcar Refinado'))).toBe(true);
    expect(cat.search('acucar refin', 10).length).toBe(3);
    expect(cat.search('1kg arroz', 20).every((p) => /Arroz/.test(p.description) && /1kg/.test(p.description))).toBe(true);
    expect(cat.search('xyzw', 10)).toEqual([]);
    expect(cat.search('   ', 10)).toEqual([]);
  });

  it('finds by code and GTIN prefix, code matches first', () => {
    const arroz = cat.get('DEMO-0001')!;
    expect(cat.search(arroz.code, 5)[0]!.id).toBe(arroz.id);
    expect(cat.search(arroz.gtin!.slice(0, 11), 50).map((p) => p.id)).toContain(arroz.id);
  });

  it('respects the limit and orders by name', () => {
    const hits = cat.search('cafe', 3);
    expect(hits.length).toBe(3);
    const names = hits.map((p) =>
      p.description
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase(),
    );
    expect([...names].sort()).toEqual(names);
  });
});

describe('Catalog persistence and update', () => {
  it('seeds an empty file once, keeps updates, and reindexes them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'balcao-cat-'));
    dirs.push(dir);
    const path = join(dir, 'catalog.sqlite');
    const a = Catalog.open(path, demoCatalog);
    const n = a.size;
    const p = a.get('DEMO-0001')!;
    a.upsert({ ...p, description: 'Arroz Agulhinha Especial 1kg', priceCents: 777 });
    a.upsert(product({ id: 'NEW-1', code: '99001', description: 'Broa de Milho', gtin: withCheckDigit('789555000001') }));
    expect(a.search('agulhinha', 5).map((x) => x.id)).toEqual(['DEMO-0001']);
    expect(a.search('tio joao', 50).map((x) => x.id)).not.toContain('DEMO-0001');
    a.close();
    const b = Catalog.open(path, () => {
      throw new Error('must not reseed');
    });
    expect(b.size).toBe(n + 1);
    expect(b.get('DEMO-0001')!.priceCents).toBe(777);
    expect(b.search('broa', 5).map((x) => x.id)).toEqual(['NEW-1']);
    expect(() => b.upsert(product({ id: 'NEW-2', code: '99002', description: 'Outro', gtin: p.gtin }))).toThrow(/já pertence/);
    b.close();
  });

  it('after a large import, finds the new products at once (from the file) and again once the index is rebuilt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'balcao-cat-'));
    dirs.push(dir);
    const cat = Catalog.open(join(dir, 'catalog.sqlite'), demoCatalog);
    await cat.warm();
    const many = Array.from({ length: 600 }, (_, i) =>
      product({ id: `IMP-${i}`, code: String(70_000 + i), description: `Pamonha Doce ${i}`, gtin: withCheckDigit(`78977${String(i).padStart(7, '0')}`) }),
    );
    cat.upsertMany(many);
    // Right after the write: point lookups and searches already see every new product.
    expect(cat.byCode('70599')?.id).toBe('IMP-599');
    expect(cat.byGtin(many[10]!.gtin!)?.id).toBe('IMP-10');
    const now = cat.search('pamonha doce 59', 20).map((x) => x.id);
    expect(now).toContain('IMP-59');
    expect(now).toContain('IMP-599');
    // After the background rebuild: the same answers from the index, and the register lists them all.
    await new Promise<void>((r) => setImmediate(r));
    expect(cat.search('pamonha doce 59', 20).map((x) => x.id)).toEqual(now);
    expect((await cat.list({ query: 'pamonha' }, 1, 0, 1_000)).total).toBe(600);
    cat.close();
  });
});

describe('a large catalog (timings: npm run bench:catalog-index)', () => {
  it('finds by words in any order, by GTIN and by qty*code among thousands of products', () => {
    const list = syntheticProducts(5_000);
    const cat = new Catalog(null, list);
    for (const q of SEARCH_QUERIES) expect(cat.search(q, 50).length, q).toBeLessThanOrEqual(50);
    const cafe = cat.search('cafe int', 50);
    expect(cafe.length).toBeGreaterThan(0);
    expect(cafe.every((h) => /Café Integral/.test(h.description))).toBe(true);
    // Words in any order, accents folded: P177 is "Feijão Tradicional Marca177 …".
    const brand = cat.search('marca177 trad feijao', 50);
    expect(brand.map((h) => h.id)).toContain('P177');
    expect(brand.every((h) => /^Feijão Tradicional Marca177/.test(h.description))).toBe(true);
    expect(cat.lookup(list[4_321]!.gtin!, 'price')?.product.id).toBe('P4321');
    expect(cat.lookup(`2*${list[7]!.code}`, 'price')).toMatchObject({ product: { id: 'P7' }, qtyE4: 20_000 });
  });
});

describe('Catalog warm-up in slices', () => {
  /**
   * Holds the search index's build at its `at`-th pause until released (the 3rd: the build has taken
   * its snapshot of the products and made its entries); the file reading runs freely.
   */
  function gate(at = 3) {
    let release: (() => void) | null = null;
    let holding = true;
    let seen = 0;
    return {
      pause: (stage: WarmStage) =>
        stage === 'index' && holding && ++seen >= at ? new Promise<void>((r) => (release = r)) : new Promise<void>((r) => setImmediate(r)),
      held: () => release !== null,
      open() {
        holding = false;
        release?.();
      },
    };
  }

  function seeded(n: number): string {
    const dir = mkdtempSync(join(tmpdir(), 'balcao-cat-'));
    dirs.push(dir);
    const path = join(dir, 'catalog.sqlite');
    Catalog.open(path, () => syntheticProducts(n)).close();
    return path;
  }

  it('answers scans and searches while the search index is still building, and the index keeps the saves made meanwhile', async () => {
    const path = seeded(12_000);
    const g = gate();
    const cat = Catalog.open(path, undefined, undefined, { pause: g.pause });
    await cat.warm();
    await vi.waitFor(() => expect(g.held()).toBe(true));
    expect(cat.searchIndexed).toBe(false);
    // A scan (GTIN), a typed code and qty*code: from memory, at once.
    const list = syntheticProducts(12_000);
    expect(cat.lookup(list[11_000]!.gtin!, 'price')?.product.id).toBe('P11000');
    expect(cat.lookup(list[42]!.code, 'price')?.product.id).toBe('P42');
    expect(cat.lookup(`3*${list[7]!.code}`, 'price')).toMatchObject({ product: { id: 'P7' }, qtyE4: 30_000 });
    // A search: from the file meanwhile.
    const fromFile = cat.search('cafe int', 20);
    expect(fromFile).toHaveLength(20);
    expect(fromFile.every((p) => /^Café Integral/.test(p.description))).toBe(true);
    // A save during the build: in the index once it is done.
    cat.upsert({ ...list[5]!, description: 'Rapadura Especial' });
    expect(cat.searchIndexed).toBe(false);
    g.open();
    await cat.indexed();
    expect(cat.searchIndexed).toBe(true);
    expect(cat.search('rapadura', 5).map((p) => p.id)).toEqual(['P5']);
    expect(cat.search(list[5]!.description, 50).map((p) => p.id)).not.toContain('P5');
    expect(
      cat
        .search('cafe int', 20)
        .map((p) => p.id)
        .sort(),
    ).toEqual(fromFile.map((p) => p.id).sort());
    expect((await cat.list({ status: 'all' }, 1, 0, 1)).total).toBe(12_000);
    cat.close();
  });

  it('a large import during the build starts it over with the new products', async () => {
    const path = seeded(6_000);
    const g = gate();
    const cat = Catalog.open(path, undefined, undefined, { pause: g.pause });
    await cat.warm();
    await vi.waitFor(() => expect(g.held()).toBe(true));
    const many = Array.from({ length: 700 }, (_, i) =>
      product({ id: `IMP-${i}`, code: String(90_000 + i), description: `Pamonha Doce ${i}`, gtin: withCheckDigit(`78977${String(i).padStart(7, '0')}`) }),
    );
    cat.upsertMany(many);
    g.open();
    await cat.indexed();
    expect(cat.searchIndexed).toBe(true);
    expect((await cat.list({ query: 'pamonha' }, 1, 0, 1_000)).total).toBe(700);
    expect(cat.search('pamonha doce 699', 5).map((p) => p.id)).toEqual(['IMP-699']);
    cat.close();
  });

  it('stops quietly when the catalog is closed during the build', async () => {
    const path = seeded(6_000);
    const g = gate();
    const cat = Catalog.open(path, undefined, undefined, { pause: g.pause });
    await cat.warm();
    await vi.waitFor(() => expect(g.held()).toBe(true));
    cat.close();
    g.open();
    await expect(cat.indexed()).resolves.toBeUndefined();
    expect(cat.searchIndexed).toBe(false);
  });
});
