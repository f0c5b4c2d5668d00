// Versioned migrations on a real PostgreSQL: from an empty database, re-run (nothing applied twice),
// two stores starting at once (the advisory lock), and a failing migration leaves no trace.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../../store/db/migrate.ts';
import { createPool } from '../../../store/db/pool.ts';
import { useStore } from './store-harness.ts';

const { cluster } = useStore({ store: false });

const tables = async (db: pg.Pool) =>
  (await db.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => r.t);

describe('store migrations', () => {
  it('creates the schema on an empty database and applies nothing on a re-run', async () => {
    const db = createPool(await cluster.createDatabase());
    try {
      const all = loadMigrations().map((m) => m.version);
      expect(all[0]).toBe(1);
      expect(await migrate(db)).toEqual(all);
      expect(await tables(db)).toEqual(
        expect.arrayContaining(['schema_migrations', 'lanes', 'pairing_codes', 'events', 'sales', 'records', 'credit_leases', 'register_sessions']),
      );
      expect(await migrate(db)).toEqual([]);
      const rows = (await db.query('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);
      expect(rows).toEqual(all);
    } finally {
      await db.end();
    }
  });

  it('two stores migrating the same database at once apply each migration once', async () => {
    const url = await cluster.createDatabase();
    const a = createPool(url);
    const b = createPool(url);
    try {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      expect([...ra, ...rb].sort()).toEqual(loadMigrations().map((m) => m.version));
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });

  it('a migration that fails rolls back whole and is not recorded', async () => {
    const db = createPool(await cluster.createDatabase());
    try {
      const bad = [...loadMigrations(), { version: 999, name: 'broken', sql: 'CREATE TABLE half_done (x int); SELECT * FROM no_such_table;' }];
      await expect(migrate(db, bad)).rejects.toThrow(/no_such_table/);
      expect(await tables(db)).not.toContain('half_done');
      expect((await db.query('SELECT COUNT(*)::int AS n FROM schema_migrations WHERE version = 999')).rows[0].n).toBe(0);
      // The good ones before it stay applied; a fixed re-run finishes the job.
      expect(await migrate(db)).toEqual([]);
    } finally {
      await db.end();
    }
  });
});
