// Catalog, tax profiles, operators and settings: the store is their source of truth and lanes pull
// them by version. Every write takes one advisory lock for the whole transaction, so versions
// (nextval) commit in increasing order and a lane's cursor can never step over a late commit; the
// commit's NOTIFY wakes the long-polls. A write goes in by COPY into a temporary table, then one
// upsert that skips records whose JSON did not change (they keep their version, and lanes pull
// only what really changed).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { z } from 'zod';
import { Product, TaxProfile } from '../shared/sale.ts';
import type { RecordEntity, RecordsResponse } from '../shared/store/protocol.ts';
import { RecordsRequest, STORE_PROTOCOL_VERSION, StoreError, StoreOperator } from '../shared/store/protocol.ts';
import { zodFields } from '../shared/zod-pt.ts';
import type { Clock } from './clock.ts';
import { type Db, type Tx, inTransaction } from './db/pool.ts';

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
      const r = await upsertRecords(tx, upserts, at);
      changed += r.changed;
      version = Math.max(version, r.version);
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
export async function readChanges(
  db: Db,
  since: number,
  limit: number,
): Promise<{ count: number; cursor: number; json: (lanes: number, reserve: number) => string }> {
  const rows = (
    await db.query<{ version: number; change: string }>(
      `SELECT version, json_build_object('version', version, 'entity', entity, 'key', key, 'data', data)::text AS change
         FROM records WHERE version > $1 ORDER BY version LIMIT $2`,
      [since, limit + 1],
    )
  ).rows;
  const page = rows.slice(0, limit);
  const cursor = page.at(-1)?.version ?? since;
  const json = (lanes: number, reserve: number): string =>
    `{"protocol":${STORE_PROTOCOL_VERSION},"changes":[${page.map((r) => r.change).join(',')}],"cursor":${cursor},"more":${rows.length > limit},"lanes":${lanes},"reserve":${reserve}}`;
  return { count: page.length, cursor, json };
}

/** Records of one entity, current (not deleted): the store's own manager views and PIN checks. */
export async function currentRecord(db: Db, entity: RecordEntity, key: string): Promise<Record<string, unknown> | null> {
  return (
    (await db.query<{ data: Record<string, unknown> | null }>('SELECT data FROM records WHERE entity = $1 AND key = $2', [entity, key])).rows[0]?.data ?? null
  );
}

/** COPY text format: backslash, newline, carriage return and tab escaped. */
const copyText = (v: string) => v.replace(/[\\\n\r\t]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!);
const COPY_CHUNK = 2_000;

async function upsertRecords(
  tx: Tx,
  upserts: readonly { entity: string; key: string; data: Record<string, unknown> }[],
  at: number,
): Promise<{ changed: number; version: number }> {
  await tx.query('CREATE TEMP TABLE incoming_records (n integer, entity text, key text, data json) ON COMMIT DROP');
  const chunks = async function* () {
    for (let from = 0; from < upserts.length; from += COPY_CHUNK) {
      let text = '';
      for (let i = from; i < Math.min(upserts.length, from + COPY_CHUNK); i++) {
        const u = upserts[i]!;
        text += `${i}\t${copyText(u.entity)}\t${copyText(u.key)}\t${copyText(JSON.stringify(u.data))}\n`;
      }
      yield text;
    }
  };
  await pipeline(Readable.from(chunks()), tx.query(copyFrom('COPY incoming_records (n, entity, key, data) FROM STDIN')));
  // The request's order gives the versions; a record sent twice in one request: its last copy wins.
  const r = await tx.query<{ n: number; v: number | null }>(
    `WITH latest AS (
       SELECT DISTINCT ON (entity, key) n, entity, key, data FROM incoming_records ORDER BY entity, key, n DESC),
     up AS (
       INSERT INTO records (entity, key, version, data, updated_ms)
       SELECT i.entity, i.key, nextval('record_version'), i.data, $1
         FROM (SELECT l.* FROM latest l LEFT JOIN records r ON r.entity = l.entity AND r.key = l.key
                WHERE r.data IS NULL OR r.data::text <> l.data::text ORDER BY l.n) i
       ON CONFLICT (entity, key) DO UPDATE SET version = EXCLUDED.version, data = EXCLUDED.data, updated_ms = EXCLUDED.updated_ms
       RETURNING version)
     SELECT COUNT(*)::bigint AS n, MAX(version)::bigint AS v FROM up`,
    [at],
  );
  return { changed: r.rows[0]!.n, version: r.rows[0]!.v ?? 0 };
}
