// The catalog lives in its own SQLite file (catalog.sqlite) so it can be replaced or re-imported
// without touching the sales journal. Each row keeps the validated Product as JSON plus the columns
// lookups need (code, GTIN-14, PLU, folded description): a scan is answered from the file before
// the in-memory index exists, so the catalog is ready without reading every product at start.
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Product, TaxProfile } from '../../shared/sale.ts';
import { gtinKey } from '../../shared/catalog/gtin.ts';
import { fold } from './normalize.ts';

const SCHEMA_VERSION = 2;

/** Columns derived from a product: what point lookups and the search index read. */
export function lookupKeys(p: Product): { codeKey: string; gtinKey: string | null; plu: number | null; folded: string } {
  return {
    codeKey: fold(p.code.trim()),
    gtinKey: p.gtin ? gtinKey(p.gtin) : null,
    plu: p.weighed && /^\d{1,6}$/.test(p.code) ? Number(p.code) : null,
    folded: fold(p.description),
  };
}

export class ProductStore {
  readonly #db: DatabaseSync;
  readonly #byId: StatementSync;
  readonly #byCode: StatementSync;
  readonly #byGtin: StatementSync;
  readonly #byPlu: StatementSync;
  readonly #upsert: StatementSync;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384;');
    this.#migrate();
    this.#byId = this.#db.prepare('SELECT data FROM products WHERE id = ?');
    this.#byCode = this.#db.prepare('SELECT data FROM products WHERE code_key = ? ORDER BY active DESC LIMIT 1');
    this.#byGtin = this.#db.prepare('SELECT data FROM products WHERE gtin_key = ? ORDER BY active DESC LIMIT 1');
    this.#byPlu = this.#db.prepare('SELECT data FROM products WHERE plu = ? AND active = 1 LIMIT 1');
    this.#upsert = this.#db.prepare(
      `INSERT INTO products (id, code, gtin, data, updated_at, code_key, gtin_key, plu, folded, active, tax_profile_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET code = excluded.code, gtin = excluded.gtin, data = excluded.data,
         updated_at = excluded.updated_at, code_key = excluded.code_key, gtin_key = excluded.gtin_key,
         plu = excluded.plu, folded = excluded.folded, active = excluded.active, tax_profile_id = excluded.tax_profile_id`,
    );
  }

  #migrate(): void {
    const version = Number((this.#db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
    if (version >= SCHEMA_VERSION) return;
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      this.#db.exec(`CREATE TABLE IF NOT EXISTS products (
        id TEXT PRIMARY KEY, code TEXT NOT NULL, gtin TEXT, data TEXT NOT NULL, updated_at TEXT NOT NULL
      )`);
      const cols = new Set((this.#db.prepare('PRAGMA table_info(products)').all() as { name: string }[]).map((c) => c.name));
      for (const [name, type] of [
        ['code_key', 'TEXT'],
        ['gtin_key', 'TEXT'],
        ['plu', 'INTEGER'],
        ['folded', 'TEXT'],
        ['active', 'INTEGER NOT NULL DEFAULT 1'],
        ['tax_profile_id', 'TEXT'],
      ] as const) {
        if (!cols.has(name)) this.#db.exec(`ALTER TABLE products ADD COLUMN ${name} ${type}`);
      }
      // Rows written by an older build: derive the lookup columns once.
      const fix = this.#db.prepare(
        'UPDATE products SET code_key = ?, gtin_key = ?, plu = ?, folded = ?, active = ?, tax_profile_id = ?, data = ? WHERE id = ?',
      );
      for (const row of this.#db.prepare('SELECT id, data FROM products WHERE folded IS NULL').all() as { id: string; data: string }[]) {
        const parsed = Product.safeParse(JSON.parse(row.data));
        if (!parsed.success) continue;
        const k = lookupKeys(parsed.data);
        fix.run(k.codeKey, k.gtinKey, k.plu, k.folded, parsed.data.active ? 1 : 0, parsed.data.taxProfileId, JSON.stringify(parsed.data), row.id);
      }
      this.#db.exec(`
        CREATE INDEX IF NOT EXISTS products_code_key ON products(code_key);
        CREATE INDEX IF NOT EXISTS products_gtin_key ON products(gtin_key) WHERE gtin_key IS NOT NULL;
        CREATE INDEX IF NOT EXISTS products_plu ON products(plu) WHERE plu IS NOT NULL;
        CREATE TABLE IF NOT EXISTS tax_profiles (id TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at TEXT NOT NULL);
        PRAGMA user_version = ${SCHEMA_VERSION};
      `);
      this.#db.exec('COMMIT');
    } catch (e) {
      this.#db.exec('ROLLBACK');
      throw e;
    }
  }

  count(): number {
    const row = this.#db.prepare('SELECT COUNT(*) AS n FROM products').get() as { n: number };
    return Number(row.n);
  }

  get(id: string): Product | null {
    return parseRow(this.#byId.get(id));
  }

  byCodeKey(codeKey: string): Product | null {
    return parseRow(this.#byCode.get(codeKey));
  }

  byGtinKey(key: string): Product | null {
    return parseRow(this.#byGtin.get(key));
  }

  byPlu(plu: number): Product | null {
    return parseRow(this.#byPlu.get(plu));
  }

  /** Every product, in pages, so a 100k catalog loads without one long stall. */
  *pages(size: number): Generator<Product[]> {
    const stmt = this.#db.prepare('SELECT rowid AS r, data FROM products WHERE rowid > ? ORDER BY rowid LIMIT ?');
    let after = 0;
    for (;;) {
      const rows = stmt.all(after, size) as { r: number; data: string }[];
      if (rows.length === 0) return;
      after = Number(rows[rows.length - 1]!.r);
      // Rows were validated when written; the full check runs again on the products a sale uses
      // (Catalog.forSale), so the bulk load only parses JSON.
      const out: Product[] = [];
      for (const row of rows) {
        const p = trustedRow(row.data);
        if (p) out.push(p);
      }
      yield out;
    }
  }

  all(): Product[] {
    const out: Product[] = [];
    for (const page of this.pages(10_000)) out.push(...page);
    return out;
  }

  /** Search before the in-memory index is built: folded-description word prefixes, name order. */
  searchFolded(words: readonly string[], limit: number): Product[] {
    if (words.length === 0) return [];
    const where = words.map(() => "(folded LIKE ? ESCAPE '\\' OR folded LIKE ? ESCAPE '\\')").join(' AND ');
    const args: string[] = [];
    for (const w of words) {
      const e = w.replace(/[\\%_]/g, (c) => '\\' + c);
      args.push(`${e}%`, `% ${e}%`);
    }
    const rows = this.#db.prepare(`SELECT data FROM products WHERE active = 1 AND ${where} ORDER BY folded LIMIT ?`).all(...args, limit) as { data: string }[];
    // Like the bulk load: rows were validated when written, a sale checks its product again.
    return rows.map((r) => trustedRow(r.data)).filter((p): p is Product => p !== null);
  }

  upsertMany(products: readonly Product[], now: string): void {
    this.transaction(() => {
      for (const p of products) this.#write(p, now);
    });
  }

  #write(p: Product, now: string): void {
    const k = lookupKeys(p);
    this.#upsert.run(p.id, p.code, p.gtin, JSON.stringify(p), now, k.codeKey, k.gtinKey, k.plu, k.folded, p.active ? 1 : 0, p.taxProfileId);
  }

  profiles(): TaxProfile[] {
    const rows = this.#db.prepare('SELECT data FROM tax_profiles ORDER BY id').all() as { data: string }[];
    const out: TaxProfile[] = [];
    for (const r of rows) {
      const parsed = TaxProfile.safeParse(JSON.parse(r.data));
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  }

  upsertProfiles(profiles: readonly TaxProfile[], now: string): void {
    const stmt = this.#db.prepare(
      'INSERT INTO tax_profiles (id, data, updated_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at',
    );
    this.transaction(() => {
      for (const p of profiles) stmt.run(p.id, JSON.stringify(p), now);
    });
  }

  transaction<T>(fn: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const out = fn();
      this.#db.exec('COMMIT');
      return out;
    } catch (e) {
      this.#db.exec('ROLLBACK');
      throw e;
    }
  }

  close(): void {
    this.#db.close();
  }
}

function parseRow(row: unknown): Product | null {
  if (!row) return null;
  const parsed = Product.safeParse(JSON.parse((row as { data: string }).data));
  return parsed.success ? parsed.data : null;
}

/** A row written by this store (validated then): only its shape is checked, not every field. */
function trustedRow(data: string): Product | null {
  const p = JSON.parse(data) as Product | null;
  return p && typeof p.id === 'string' && typeof p.description === 'string' ? p : null;
}
