// Catalog, tax profiles, operators and settings: the store is their source of truth and lanes pull
// them by version. Every write takes one advisory lock for the whole transaction, so versions
// (nextval) commit in increasing order and a lane's cursor can never step over a late commit; the
// commit's NOTIFY wakes the long-polls.
import { z } from 'zod';
import { Product, TaxProfile } from '../shared/sale.ts';
import type { RecordEntity, RecordsResponse } from '../shared/store/protocol.ts';
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
    return { entity: u.entity, key: u.key, data: parsed.data };
  });
  return inTransaction(db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [RECORDS_LOCK]);
    const at = now();
    let version = 0;
    let changed = 0;
    if (upserts.length > 0) {
      // One JSON document for the whole batch (no per-element array escaping); the ordinality keeps
      // the request's order in the versions.
      const r = await tx.query<{ n: number; v: number | null }>(
        `WITH up AS (
           INSERT INTO records (entity, key, version, data, updated_ms)
           SELECT x->>'entity', x->>'key', nextval('record_version'), x->'data', $2
             FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(x, n) ORDER BY n
           ON CONFLICT (entity, key) DO UPDATE SET version = EXCLUDED.version, data = EXCLUDED.data, updated_ms = EXCLUDED.updated_ms
           RETURNING version)
         SELECT COUNT(*)::bigint AS n, MAX(version)::bigint AS v FROM up`,
        [JSON.stringify(upserts), at],
      );
      changed += r.rows[0]!.n;
      version = Math.max(version, r.rows[0]!.v ?? 0);
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

/**
 * A page of changes past `since`, already as the PullResponse's JSON text: each record leaves
 * PostgreSQL as text and goes out as is (a 100,000-product catalog is never parsed and re-serialized).
 */
export async function readChanges(db: Db, since: number, limit: number): Promise<{ count: number; cursor: number; json: string }> {
  const rows = (
    await db.query<{ version: number; change: string }>(
      `SELECT version, json_build_object('version', version, 'entity', entity, 'key', key, 'data', data)::text AS change
         FROM records WHERE version > $1 ORDER BY version LIMIT $2`,
      [since, limit + 1],
    )
  ).rows;
  const page = rows.slice(0, limit);
  const cursor = page.at(-1)?.version ?? since;
  const json = `{"protocol":${STORE_PROTOCOL_VERSION},"changes":[${page.map((r) => r.change).join(',')}],"cursor":${cursor},"more":${rows.length > limit}}`;
  return { count: page.length, cursor, json };
}

/** Records of one entity, current (not deleted): the store's own manager views and PIN checks. */
export async function currentRecord(db: Db, entity: RecordEntity, key: string): Promise<Record<string, unknown> | null> {
  return (
    (await db.query<{ data: Record<string, unknown> | null }>('SELECT data FROM records WHERE entity = $1 AND key = $2', [entity, key])).rows[0]?.data ?? null
  );
}
