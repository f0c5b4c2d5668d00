// The catalog service: the SQLite store for durability, in-memory maps and the search index for
// speed. Reads never touch the disk after start.
import { UserFacingError } from '../../shared/errors.ts';
import type { CodeLookup } from '../../shared/contract.ts';
import { Product } from '../../shared/sale.ts';
import type { ScaleLabelMode } from '../settings/schema.ts';
import { lookupCode, type CatalogReader } from './code-lookup.ts';
import { gtinKey } from './gtin.ts';
import { fold } from './normalize.ts';
import { ProductStore } from './product-store.ts';
import { SearchIndex } from './search-index.ts';

export class Catalog implements CatalogReader {
  readonly #store: ProductStore | null;
  readonly #byId = new Map<string, Product>();
  readonly #byGtin = new Map<string, Product>();
  readonly #byCode = new Map<string, Product>();
  readonly #byPlu = new Map<number, Product>();
  readonly #index: SearchIndex;

  /** `store` null keeps the catalog in memory only (benchmarks, tests of the index). */
  constructor(store: ProductStore | null, products?: readonly Product[]) {
    this.#store = store;
    const list = products ?? store?.all() ?? [];
    for (const p of list) this.#remember(p);
    this.#index = new SearchIndex([...this.#byId.values()]);
  }

  static open(path: string, seed?: () => readonly Product[], now = new Date().toISOString()): Catalog {
    const store = new ProductStore(path);
    if (seed && store.count() === 0) store.upsertMany(seed(), now);
    return new Catalog(store);
  }

  get size(): number {
    return this.#byId.size;
  }

  get(id: string): Product | null {
    return this.#byId.get(id) ?? null;
  }

  byGtin(gtin: string): Product | null {
    return this.#byGtin.get(gtinKey(gtin)) ?? null;
  }

  byCode(code: string): Product | null {
    return this.#byCode.get(fold(code.trim())) ?? null;
  }

  byPlu(plu: number): Product | null {
    return this.#byPlu.get(plu) ?? null;
  }

  search(query: string, limit: number): Product[] {
    return this.#index.search(query, limit);
  }

  lookup(code: string, mode: ScaleLabelMode): CodeLookup | null {
    return lookupCode(code, this, mode);
  }

  upsert(product: Product, now = new Date().toISOString()): Product {
    const p = Product.parse(product);
    const clash = p.gtin ? this.byGtin(p.gtin) : null;
    if (clash && clash.id !== p.id) throw new CatalogConflict(`O código de barras ${p.gtin} já pertence a "${clash.description}".`);
    const codeClash = this.byCode(p.code);
    if (codeClash && codeClash.id !== p.id) throw new CatalogConflict(`O código ${p.code} já pertence a "${codeClash.description}".`);
    this.#store?.upsertMany([p], now);
    const old = this.#byId.get(p.id);
    if (old) this.#forget(old);
    this.#remember(p);
    this.#index.upsert(p);
    return p;
  }

  close(): void {
    this.#store?.close();
  }

  #remember(p: Product): void {
    this.#byId.set(p.id, p);
    if (p.gtin) this.#byGtin.set(gtinKey(p.gtin), p);
    this.#byCode.set(fold(p.code), p);
    if (p.weighed && /^\d{1,5}$/.test(p.code)) this.#byPlu.set(Number(p.code), p);
  }

  #forget(p: Product): void {
    this.#byId.delete(p.id);
    if (p.gtin && this.#byGtin.get(gtinKey(p.gtin)) === p) this.#byGtin.delete(gtinKey(p.gtin));
    if (this.#byCode.get(fold(p.code)) === p) this.#byCode.delete(fold(p.code));
    if (p.weighed && this.#byPlu.get(Number(p.code)) === p) this.#byPlu.delete(Number(p.code));
  }
}

export class CatalogConflict extends UserFacingError<'catalog_conflict'> {
  constructor(message: string) {
    super('catalog_conflict', message);
  }
}
