// The catalog lives in its own SQLite file (catalog.sqlite) so it can be replaced or re-imported
// without touching the sales journal. Each row keeps the validated Product as JSON plus the columns
// lookups need.
import { DatabaseSync } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Product } from '../../shared/sale.ts';

export class ProductStore {
  readonly #db: DatabaseSync;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    this.#db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;
      CREATE TABLE IF NOT EXISTS products (
        id TEXT PRIMARY KEY,
        code TEXT NOT NULL,
        gtin TEXT,
        data TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS products_code ON products(code);
      CREATE INDEX IF NOT EXISTS products_gtin ON products(gtin);
    `);
  }

  count(): number {
    const row = this.#db.prepare('SELECT COUNT(*) AS n FROM products').get() as { n: number };
    return Number(row.n);
  }

  all(): Product[] {
    const rows = this.#db.prepare('SELECT data FROM products').all() as { data: string }[];
    const out: Product[] = [];
    for (const r of rows) {
      const parsed = Product.safeParse(JSON.parse(r.data));
      // A row that no longer validates is skipped (never sold with broken fiscal data).
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  }

  upsertMany(products: readonly Product[], now: string): void {
    const stmt = this.#db.prepare(
      `INSERT INTO products (id, code, gtin, data, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET code = excluded.code, gtin = excluded.gtin, data = excluded.data, updated_at = excluded.updated_at`,
    );
    this.#db.exec('BEGIN');
    try {
      for (const p of products) stmt.run(p.id, p.code, p.gtin, JSON.stringify(p), now);
      this.#db.exec('COMMIT');
    } catch (e) {
      this.#db.exec('ROLLBACK');
      throw e;
    }
  }

  close(): void {
    this.#db.close();
  }
}
