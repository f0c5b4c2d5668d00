// Versioned migrations: store/migrations/NNN_name.sql, applied in order, each in its own transaction
// together with its row in schema_migrations. An advisory lock keeps two starting stores from
// applying the same migration at once; re-running applies nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { inTransaction } from './pool.ts';

const MIGRATIONS_DIR = join(import.meta.dirname, '..', 'migrations');
const LOCK_KEY = 7_016_016;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f.slice(4, -4), sql: readFileSync(join(dir, f), 'utf8') }));
}

/** Applies what is missing; returns the versions it applied. */
export async function migrate(pool: pg.Pool, migrations = loadMigrations(), now = Date.now): Promise<number[]> {
  const lock = await pool.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await lock.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_ms bigint NOT NULL)');
    const done = new Set((await lock.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await inTransaction(pool, async (tx) => {
        await tx.query(m.sql);
        await tx.query('INSERT INTO schema_migrations (version, name, applied_ms) VALUES ($1, $2, $3)', [m.version, m.name, now()]);
      });
      applied.push(m.version);
    }
    return applied;
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {});
    lock.release();
  }
}
