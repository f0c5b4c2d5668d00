// Catalog, tax profiles, operators and settings: the store is their source of truth and lanes pull
// them by version. Every write takes one advisory lock for the whole transaction, so versions
// (nextval) commit in increasing order and a lane's cursor can never step over a late commit; the
// commit's NOTIFY wakes the long-polls.
import { z } from 'zod';
import { Product, TaxProfile } from '../shared/sale.ts';
import type { Change, PullResponse, RecordEntity, RecordsResponse } from '../shared/store/protocol.ts';
import { RecordsRequest, STORE_PROTOCOL_VERSION, StoreError, StoreOperator } from '../shared/store/protocol.ts';
import { zodFields } from '../shared/zod-pt.ts';
import type { Clock } from './clock.ts';
import { type Db, inTransaction } from './db/pool.ts';

export const RECORDS_CHANNEL = 'balcao_records';
const RECORDS_LOCK = 7_016_017;

const SCHEMAS: Record<RecordEntity, z.ZodType<Record<string, unknown>>> = {
  product: Product,
  tax_profile: TaxProfile,
  operator: StoreOperator,
  setting: z.object({ value: z.unknown() }),
};

export async function writeRecords(db: Db, now: Clock, input: unknown): Promise<RecordsResponse> {
  const req = RecordsRequest.parse(input);
  const upserts = req.upserts.map((u, i) => {
    const parsed = SCHEMAS[u.entity].safeParse(u.data);
    if (!parsed.success) {
      throw new StoreError('invalid_request', `Registro ${i + 1} (${u.entity} ${u.key}) inválido.`, {
        fields: zodFields(parsed.error).map((f) => ({ ...f, path: `upserts.${i}.${f.path}` })),
      });
    }
    const id = parsed.data['id'];
    if (id !== undefined && id !== u.key) {
      throw new StoreError('invalid_request', `Registro ${i + 1}: a chave ${u.key} não é o id do registro (${String(id)}).`);
    }
    return { entity: u.entity, key: u.key, data: JSON.stringify(parsed.data) };
  });
  return inTransaction(db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [RECORDS_LOCK]);
    const at = now();
    let version = 0;
    let changed = 0;
    if (upserts.length > 0) {
      const r = await tx.query<{ version: number }>(
        `INSERT INTO records (entity, key, version, data, updated_ms)
         SELECT e, k, nextval('record_version'), d, $4 FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS t(e, k, d)
         ON CONFLICT (entity, key) DO UPDATE SET version = EXCLUDED.version, data = EXCLUDED.data, updated_ms = EXCLUDED.updated_ms
         RETURNING version`,
        [upserts.map((u) => u.entity), upserts.map((u) => u.key), upserts.map((u) => u.data), at],
      );
      changed += r.rowCount ?? 0;
      for (const row of r.rows) version = Math.max(version, row.version);
    }
    if (req.deletes.length > 0) {
      const r = await tx.query<{ version: number }>(
        `UPDATE records SET version = nextval('record_version'), data = NULL, updated_ms = $3
         FROM unnest($1::text[], $2::text[]) AS t(e, k) WHERE entity = t.e AND key = t.k AND data IS NOT NULL RETURNING version`,
        [req.deletes.map((d) => d.entity), req.deletes.map((d) => d.key), at],
      );
      changed += r.rowCount ?? 0;
      for (const row of r.rows) version = Math.max(version, row.version);
    }
    if (version > 0) await tx.query('SELECT pg_notify($1, $2)', [RECORDS_CHANNEL, String(version)]);
    return { protocol: STORE_PROTOCOL_VERSION, version, changed };
  });
}

export async function latestVersion(db: Db): Promise<number> {
  return (await db.query<{ v: number }>('SELECT COALESCE(MAX(version), 0)::bigint AS v FROM records')).rows[0]!.v;
}

export async function readChanges(db: Db, since: number, limit: number): Promise<PullResponse> {
  const rows = (
    await db.query<{ version: number; entity: RecordEntity; key: string; data: Record<string, unknown> | null }>(
      'SELECT version, entity, key, data FROM records WHERE version > $1 ORDER BY version LIMIT $2',
      [since, limit + 1],
    )
  ).rows;
  const more = rows.length > limit;
  const changes: Change[] = rows.slice(0, limit).map((r) => ({ version: r.version, entity: r.entity, key: r.key, data: r.data }));
  return { protocol: STORE_PROTOCOL_VERSION, changes, cursor: changes.at(-1)?.version ?? since, more };
}

/** Records of one entity, current (not deleted): the store's own manager views and PIN checks. */
export async function currentRecord(db: Db, entity: RecordEntity, key: string): Promise<Record<string, unknown> | null> {
  return (
    (await db.query<{ data: Record<string, unknown> | null }>('SELECT data FROM records WHERE entity = $1 AND key = $2', [entity, key])).rows[0]?.data ?? null
  );
}
