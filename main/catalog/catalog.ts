// The catalog service: the SQLite store for durability, in-memory maps and the search index for
// speed. The catalog is ready as soon as the file is open: until the background warm-up has read
// every product, point lookups (scan, typed code, scale PLU) and searches are answered by the file's
// indexes; afterwards they never touch the disk.
import { UserFacingError } from '../../shared/errors.ts';
import type { CodeLookup } from '../../shared/contract.ts';
import { Product, type Crt, type TaxProfile } from '../../shared/sale.ts';
import { effectiveProduct } from '../../shared/catalog/effective.ts';
import { productIssues } from '../../shared/catalog/rules.ts';
import { scaleFormat } from '../../shared/catalog/scale.ts';
import type { ScaleLabelMode } from '../settings/schema.ts';
import { lookupCode, type CatalogReader } from './code-lookup.ts';
import { gtinKey } from './gtin.ts';
import { fold, tokens } from './normalize.ts';
import { ProductStore } from './product-store.ts';
import { SearchIndex } from './search-index.ts';

export interface ListFilter {
  query?: string;
  status?: 'active' | 'inactive' | 'all';
  noGtin?: boolean;
  fiscalIssues?: boolean;
  weighed?: boolean;
  /** A profile id, or '' for products without a profile. */
  taxProfileId?: string;
}

export interface ListRow {
  product: Product;
  issues: string[];
}

interface Memory {
  byId: Map<string, Product>;
  byGtin: Map<string, Product>;
  byCode: Map<string, Product>;
  byPlu: Map<number, Product>;
  /** null while it is rebuilt after a large import (searches are answered by the file meanwhile). */
  index: SearchIndex | null;
}

const PAGE = 4_000;
/** Up to this many products per write, the search index is updated in place rather than rebuilt. */
const INCREMENTAL_MAX = 500;

export class Catalog implements CatalogReader {
  readonly #store: ProductStore | null;
  #mem: Memory | null = null;
  #warming: Promise<void> | null = null;
  readonly #profiles = new Map<string, TaxProfile>();
  #version = 0;
  #closed = false;

  /** `store` null keeps the catalog in memory only (benchmarks, tests of the index). */
  constructor(store: ProductStore | null, products?: readonly Product[]) {
    this.#store = store;
    for (const p of store?.profiles() ?? []) this.#profiles.set(p.id, p);
    if (products || !store) this.#mem = buildMemory(products ?? []);
  }

  static open(path: string, seed?: () => readonly Product[], now = new Date().toISOString()): Catalog {
    const store = new ProductStore(path);
    if (seed && store.count() === 0) store.upsertMany(seed(), now);
    return new Catalog(store);
  }

  /** Reads every product into memory in small slices (the event loop keeps serving scans). */
  warm(): Promise<void> {
    if (this.#mem) return Promise.resolve();
    this.#warming ??= (async () => {
      const store = this.#store!;
      const list: Product[] = [];
      for (const page of store.pages(PAGE)) {
        list.push(...page);
        await yieldToLoop();
        // Closed meanwhile (the app quits, the profile switches): stop reading, quietly.
        if (this.#closed) return;
      }
      this.#mem = buildMemory(list);
    })();
    return this.#warming;
  }

  /** Bumped by every write: an import checked before a write is checked again. */
  get version(): number {
    return this.#version;
  }

  get warmed(): boolean {
    return this.#mem !== null;
  }

  get size(): number {
    return this.#mem ? this.#mem.byId.size : this.#store!.count();
  }

  get(id: string): Product | null {
    return this.#mem ? (this.#mem.byId.get(id) ?? null) : this.#store!.get(id);
  }

  /** The product as a sale uses it: active, with its tax profile applied. */
  forSale(id: string): Product | null {
    const p = Product.safeParse(this.get(id));
    return p.success && p.data.active ? this.effective(p.data) : null;
  }

  effective(p: Product): Product {
    return effectiveProduct(p, p.taxProfileId ? (this.#profiles.get(p.taxProfileId) ?? null) : null);
  }

  byGtin(gtin: string): Product | null {
    const p = this.#mem ? (this.#mem.byGtin.get(gtinKey(gtin)) ?? null) : this.#store!.byGtinKey(gtinKey(gtin));
    return p && p.active ? this.effective(p) : null;
  }

  byCode(code: string): Product | null {
    const key = fold(code.trim());
    const p = this.#mem ? (this.#mem.byCode.get(key) ?? null) : this.#store!.byCodeKey(key);
    return p && p.active ? this.effective(p) : null;
  }

  byPlu(plu: number): Product | null {
    const p = this.#mem ? (this.#mem.byPlu.get(plu) ?? null) : this.#store!.byPlu(plu);
    return p && p.active ? this.effective(p) : null;
  }

  search(query: string, limit: number): Product[] {
    if (this.#mem?.index) return this.#mem.index.search(query, limit).map((p) => this.effective(p));
    if (!this.#store)
      return this.#index()
        .search(query, limit)
        .map((p) => this.effective(p));
    return this.#store.searchFolded([...new Set(tokens(query))], limit).map((p) => this.effective(p));
  }

  lookup(code: string, mode: ScaleLabelMode, format?: string): CodeLookup | null {
    return lookupCode(code, this, mode, scaleFormat(format));
  }

  /** The register's list: every product (active or not) matching the filter, in name order. */
  async list(filter: ListFilter, crt: Crt, offset: number, limit: number): Promise<{ total: number; rows: ListRow[] }> {
    await this.warm();
    const index = this.#index();
    const q = filter.query?.trim() ?? '';
    let candidates: Iterable<Product>;
    if (q === '') candidates = index.all();
    else {
      const byCode = this.#findAnyCode(q);
      const hits = index.search(q, 100_000, true);
      candidates = byCode && !hits.includes(byCode) ? [byCode, ...hits] : hits;
    }
    const rows: ListRow[] = [];
    let total = 0;
    for (const p of candidates) {
      const status = filter.status ?? 'active';
      if (status === 'active' && !p.active) continue;
      if (status === 'inactive' && p.active) continue;
      if (filter.noGtin && p.gtin !== null) continue;
      if (filter.weighed !== undefined && p.weighed !== filter.weighed) continue;
      if (filter.taxProfileId !== undefined && (p.taxProfileId ?? '') !== filter.taxProfileId) continue;
      const issues = productIssues(this.effective(p), crt).map((i) => i.code);
      if (filter.fiscalIssues && issues.length === 0) continue;
      if (total >= offset && rows.length < limit) rows.push({ product: p, issues });
      total++;
    }
    return { total, rows };
  }

  /** The search index, built now if a large import left it to the background. */
  #index(): SearchIndex {
    const mem = this.#mem!;
    mem.index ??= new SearchIndex([...mem.byId.values()]);
    return mem.index;
  }

  #findAnyCode(q: string): Product | null {
    if (/^\d{8,14}$/.test(q)) {
      const g = this.#mem!.byGtin.get(gtinKey(q));
      if (g) return g;
    }
    return this.#mem!.byCode.get(fold(q)) ?? null;
  }

  /** Refuses a product whose GTIN or code belongs to another one. */
  checkConflicts(p: Product): void {
    const clash = p.gtin ? this.#anyByGtin(p.gtin) : null;
    if (clash && clash.id !== p.id) throw new CatalogConflict(`O código de barras ${p.gtin} já pertence a "${clash.description}".`);
    const codeClash = this.#anyByCode(p.code);
    if (codeClash && codeClash.id !== p.id) throw new CatalogConflict(`O código ${p.code} já pertence a "${codeClash.description}".`);
  }

  #anyByGtin(gtin: string): Product | null {
    return this.#mem ? (this.#mem.byGtin.get(gtinKey(gtin)) ?? null) : this.#store!.byGtinKey(gtinKey(gtin));
  }

  #anyByCode(code: string): Product | null {
    const key = fold(code.trim());
    return this.#mem ? (this.#mem.byCode.get(key) ?? null) : this.#store!.byCodeKey(key);
  }

  /** The stored product matching an import row: same code first, else same GTIN. */
  findForUpsert(code: string, gtin: string | null): Product | null {
    return this.#anyByCode(code) ?? (gtin ? this.#anyByGtin(gtin) : null);
  }

  ownerOfGtin(gtin: string): Product | null {
    return this.#anyByGtin(gtin);
  }

  upsert(product: Product, now = new Date().toISOString()): Product {
    return this.upsertMany([product], now)[0]!;
  }

  /**
   * One transaction for the whole list: all saved, or none. `validated`: the products are already
   * Product.parse output (the importer's rows), so they are not parsed a second time.
   */
  upsertMany(products: readonly Product[], now = new Date().toISOString(), validated = false): Product[] {
    const parsed = validated ? products : products.map((p) => Product.parse(p));
    const seen = new Map<string, string>();
    for (const p of parsed) {
      this.checkConflicts(p);
      for (const key of [`c:${fold(p.code.trim())}`, ...(p.gtin ? [`g:${gtinKey(p.gtin)}`] : [])]) {
        const other = seen.get(key);
        if (other !== undefined && other !== p.id)
          throw new CatalogConflict(`Código ${key.startsWith('c:') ? p.code : p.gtin} repetido em dois produtos da mesma gravação.`);
        seen.set(key, p.id);
      }
    }
    this.#store?.upsertMany(parsed, now);
    this.#version++;
    if (this.#mem) {
      for (const p of parsed) {
        const old = this.#mem.byId.get(p.id);
        if (old) forget(this.#mem, old);
        remember(this.#mem, p);
      }
      // A save or a small import edits the index in place; a large import sorts once instead of
      // splicing thousands of times. Both give the same index (search-index.ts: a total order).
      // The large rebuild waits for the next turn of the event loop: the import answers first, and
      // until the index is back the file answers searches (point lookups use the maps, already current).
      const index = this.#mem.index;
      if (!index) return [...parsed];
      if (parsed.length <= Math.max(INCREMENTAL_MAX, this.#mem.byId.size / 50)) for (const p of parsed) index.upsert(p);
      else if (!this.#store) this.#mem.index = new SearchIndex([...this.#mem.byId.values()]);
      else {
        const mem = this.#mem;
        mem.index = null;
        setImmediate(() => {
          if (this.#mem === mem) this.#index();
        });
      }
    }
    return [...parsed];
  }

  profiles(): TaxProfile[] {
    return [...this.#profiles.values()].sort((a, b) => a.name.localeCompare(b.name, 'pt-BR'));
  }

  profile(id: string): TaxProfile | null {
    return this.#profiles.get(id) ?? null;
  }

  saveProfiles(profiles: readonly TaxProfile[], now = new Date().toISOString()): void {
    this.#store?.upsertProfiles(profiles, now);
    this.#version++;
    for (const p of profiles) this.#profiles.set(p.id, p);
  }

  close(): void {
    this.#closed = true;
    this.#store?.close();
  }
}

function buildMemory(products: readonly Product[]): Memory {
  const mem: Memory = { byId: new Map(), byGtin: new Map(), byCode: new Map(), byPlu: new Map(), index: new SearchIndex() };
  for (const p of products) remember(mem, p);
  mem.index = new SearchIndex([...mem.byId.values()]);
  return mem;
}

function remember(m: Memory, p: Product): void {
  m.byId.set(p.id, p);
  if (p.gtin) m.byGtin.set(gtinKey(p.gtin), p);
  m.byCode.set(fold(p.code.trim()), p);
  if (p.weighed && p.active && /^\d{1,6}$/.test(p.code)) m.byPlu.set(Number(p.code), p);
}

function forget(m: Memory, p: Product): void {
  m.byId.delete(p.id);
  if (p.gtin && m.byGtin.get(gtinKey(p.gtin)) === p) m.byGtin.delete(gtinKey(p.gtin));
  if (m.byCode.get(fold(p.code.trim())) === p) m.byCode.delete(fold(p.code.trim()));
  if (p.weighed && m.byPlu.get(Number(p.code)) === p) m.byPlu.delete(Number(p.code));
}

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class CatalogConflict extends UserFacingError<'catalog_conflict'> {
  constructor(message: string) {
    super('catalog_conflict', message);
  }
}
