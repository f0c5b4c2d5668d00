// The store's PostgreSQL pool (node-postgres). bigint columns come back as JS numbers (ids, seqs,
// centavos and epoch ms all stay far below 2^53) and dates as 'YYYY-MM-DD' strings, never Date
// objects shifted by the server's time zone.
import pg from 'pg';

const INT8 = 20;
const DATE = 1082;

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8) return (v: string) => Number(v);
    if (oid === DATE) return (v: string) => v;
    return pg.types.getTypeParser(oid, format ?? 'text') as unknown;
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export function createPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, types, application_name: 'balcao-store' });
  // An idle client that loses its server must not crash the store: the next query reconnects.
  pool.on('error', () => {});
  return pool;
}

export type Db = pg.Pool;
export type Tx = pg.PoolClient;

/** Runs `fn` in one transaction; a thrown error rolls it back. */
export async function inTransaction<T>(pool: pg.Pool, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    const out = await fn(tx);
    await tx.query('COMMIT');
    return out;
  } catch (e) {
    await tx.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    tx.release();
  }
}

/** PostgreSQL's unique_violation, for allocation retries. */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}
