// The catalog service: the SQLite store for durability, in-memory maps and the search index for
// speed. The catalog is ready as soon as the file is open: until the background warm-up has read
// every product, point lookups (scan, typed code, scale PLU) and searches are answered by the file's
// indexes; afterwards they never touch the disk. The warm-up and the search index are built in
// slices of a few milliseconds: a scan never waits for them (it needs only the maps, or the file).
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
  /** null while it is built (warm-up, after a large import): searches are answered by the file meanwhile. */
  index: SearchIndex | null;
  /** The build in progress, if any. */
  building: Promise<SearchIndex | null> | null;
  /** Ids written while the index is built from an older snapshot: applied to it when it is done. */
  touched: Set<string>;
  /** A large write while building: the snapshot is too old, the build starts over. */
  stale: boolean;
}

/** A sliced build's stage: reading the file into the maps, or building the search index. */
export type WarmStage = 'warm' | 'index';

interface CatalogOptions {
  /** Awaited between two slices of the warm-up and of the index build (tests hold it to look inside). */
  pause?: (stage: WarmStage) => Promise<void>;
}

const PAGE = 4_000;
/** Products put in the maps between two pauses of the warm-up. */
const SLICE = 8_192;
/** Up to this many products per write, the search index is updated in place rather than rebuilt. */
const INCREMENTAL_MAX = 500;

export class Catalog implements CatalogReader {
  readonly #store: ProductStore | null;
  #mem: Memory | null = null;
  #warming: Promise<void> | null = null;
  /** Ids written while the warm-up reads the file: read again once it is done. */
  #warmTouched = new Set<string>();
  readonly #pause: (stage: WarmStage) => Promise<void>;
  readonly #profiles = new Map<string, TaxProfile>();
  #version = 0;
  #closed = false;

  /** `store` null keeps the catalog in memory only (benchmarks, tests of the index). */
  constructor(store: ProductStore | null, products?: readonly Product[], options: CatalogOptions = {}) {
    this.#store = store;
    this.#pause = options.pause ?? yieldToLoop;
    for (const p of store?.profiles() ?? []) this.#profiles.set(p.id, p);
    if (products || !store) this.#mem = buildMemory(products ?? []);
  }

  static open(path: string, seed?: () => readonly Product[], now = new Date().toISOString(), options: CatalogOptions = {}): Catalog {
    const store = new ProductStore(path);
    if (seed && store.count() === 0) store.upsertMany(seed(), now);
    return new Catalog(store, undefined, options);
  }

  /**
   * Reads every product into the in-memory maps in small slices (the event loop keeps serving scans),
   * then starts the search index's build, also in slices. Resolves when the maps are ready.
   */
  warm(): Promise<void> {
    if (this.#mem) return Promise.resolve();
    this.#warming ??= (async () => {
      const store = this.#store!;
      const list: Product[] = [];
      for (const page of store.pages(PAGE)) {
        list.push(...page);
        // Closed meanwhile (the app quits, the profile switches): stop reading, quietly.
        if (!(await this.#go('warm'))) return;
      }
      const mem = emptyMemory();
      for (let i = 0; i < list.length; i++) {
        remember(mem, list[i]!);
        if (i % SLICE === SLICE - 1 && !(await this.#go('warm'))) return;
      }
      // Saved while the file was read: the file has the last word.
      for (const id of this.#warmTouched) {
        const old = mem.byId.get(id);
        if (old) forget(mem, old);
        const now = store.get(id);
        if (now) remember(mem, now);
      }
      this.#warmTouched.clear();
      this.#mem = mem;
      this.#startIndex();
    })();
    return this.#warming;
  }

  /** Resolves when searches are answered by the in-memory index (the register's list waits for it). */
  async indexed(): Promise<void> {
    await this.warm();
    await this.#indexed();
  }

  /** The in-memory index is ready (else searches read the file). */
  get searchIndexed(): boolean {
    return this.#mem?.index != null;
  }

  /** One pause of a sliced build; false when the catalog was closed meanwhile. */
  async #go(stage: WarmStage): Promise<boolean> {
    await this.#pause(stage);
    return !this.#closed;
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
    const index = (await this.#indexed()) ?? this.#index();
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

  /** The search index, built now, at once (a catalog without a file, or one closed while building). */
  #index(): SearchIndex {
    const mem = this.#mem!;
    mem.index ??= new SearchIndex([...mem.byId.values()]);
    return mem.index;
  }

  /** The search index, built in slices when it is missing (null: the catalog was closed meanwhile). */
  #indexed(): Promise<SearchIndex | null> {
    const mem = this.#mem!;
    if (mem.index) return Promise.resolve(mem.index);
    mem.building ??= this.#build(mem);
    return mem.building;
  }

  /** In the background: a failed build leaves searches on the file, and the register's list reports it. */
  #startIndex(): void {
    this.#indexed().catch(() => {});
  }

  async #build(mem: Memory): Promise<SearchIndex | null> {
    try {
      for (;;) {
        // The caller (an import, the warm-up) answers first; the build starts on a later turn.
        if (!(await this.#go('index'))) return null;
        mem.touched.clear();
        mem.stale = false;
        const index = await SearchIndex.build([...mem.byId.values()], async () => (await this.#go('index')) && !mem.stale);
        if (this.#closed) return null;
        if (!index) continue;
        for (const id of mem.touched) {
          index.remove(id);
          const p = mem.byId.get(id);
          if (p) index.upsert(p);
        }
        mem.touched.clear();
        mem.index = index;
        return index;
      }
    } finally {
      mem.building = null;
    }
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
    if (!this.#mem && this.#warming) for (const p of parsed) this.#warmTouched.add(p.id);
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
      const mem = this.#mem;
      const small = parsed.length <= Math.max(INCREMENTAL_MAX, mem.byId.size / 50);
      const index = mem.index;
      if (!index) {
        // Being built from a snapshot: small writes are replayed on it, a large one restarts it.
        if (small) for (const p of parsed) mem.touched.add(p.id);
        else mem.stale = true;
        if (this.#store) this.#startIndex();
      } else if (small) for (const p of parsed) index.upsert(p);
      else if (!this.#store) mem.index = new SearchIndex([...mem.byId.values()]);
      else {
        mem.index = null;
        this.#startIndex();
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

function emptyMemory(): Memory {
  return { byId: new Map(), byGtin: new Map(), byCode: new Map(), byPlu: new Map(), index: null, building: null, touched: new Set(), stale: false };
}

function buildMemory(products: readonly Product[]): Memory {
  const mem = emptyMemory();
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
