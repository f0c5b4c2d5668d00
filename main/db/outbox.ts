// The lane's outbox: what the store must learn (sales, cancellations, register sessions and
// movements, audit entries, problems), appended in the SAME transaction as the row it reports, so
// the journal and the outbox can never disagree. Rows are append-only; `seq` is the lane's order,
// `id` a client-generated uuid the store deduplicates on (at-least-once delivery). `pushed_at` is
// set once the store acknowledged the row; nothing is ever deleted (the journal is the record).
//
// Rows are written whether or not a store is configured: it costs one small insert per event, and
// a lane paired later pushes its whole history, so the store's reports start complete.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Migration } from './migrations.ts';
import { transaction } from './sqlite.ts';

/** The kinds shared/store/protocol.ts names (the store projects sale, sale_emission and register_*). */
export const OUTBOX_KINDS = ['sale', 'sale_emission', 'register_session', 'register_movement', 'audit', 'problem'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

export interface OutboxRow {
  seq: number;
  id: string;
  kind: OutboxKind;
  payload: unknown;
  createdAt: string;
  /** The lane's clock when committed (created_at as epoch ms). */
  atMs: number;
  pushedAt: number | null;
}

const V1 = `
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at TEXT NOT NULL,
  pushed_at INTEGER
) STRICT;
CREATE INDEX outbox_unpushed ON outbox(seq) WHERE pushed_at IS NULL;
-- What the sync client remembers: the pull cursor, the store's last ack, the known lane count.
CREATE TABLE store_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`;

export const OUTBOX_MIGRATIONS: readonly Migration[] = [
  { scope: 'outbox', version: 1, description: 'fila de envio para o servidor da loja (outbox)', up: (db) => db.exec(V1) },
];

const inserts = new WeakMap<DatabaseSync, StatementSync>();

/**
 * Appends one event. Call it inside the transaction that writes what it reports (it joins it as a
 * savepoint when one is open, or makes its own otherwise).
 */
export function appendOutbox(db: DatabaseSync, kind: OutboxKind, payload: unknown, nowMs: number): string {
  let st = inserts.get(db);
  if (!st) {
    st = db.prepare('INSERT INTO outbox(id, kind, payload, created_at) VALUES (?, ?, ?, ?)');
    inserts.set(db, st);
  }
  const id = crypto.randomUUID();
  const stmt = st;
  transaction(db, () => stmt.run(id, kind, JSON.stringify(payload), new Date(nowMs).toISOString()));
  return id;
}

/** Reads and acknowledges the outbox (the sync client's side). */
export class Outbox {
  readonly #db: DatabaseSync;
  readonly #batch: StatementSync;
  readonly #ack: StatementSync;
  readonly #backlog: StatementSync;
  readonly #oldest: StatementSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#batch = db.prepare('SELECT * FROM outbox WHERE pushed_at IS NULL AND seq > ? ORDER BY seq LIMIT ?');
    this.#ack = db.prepare('UPDATE outbox SET pushed_at = ? WHERE seq <= ? AND pushed_at IS NULL');
    this.#backlog = db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE pushed_at IS NULL');
    this.#oldest = db.prepare('SELECT MIN(created_at) AS t FROM outbox WHERE pushed_at IS NULL');
  }

  /** The next rows not yet acknowledged, in seq order, after `afterSeq` (the store's ack). */
  next(limit: number, afterSeq = 0): OutboxRow[] {
    return this.#batch.all(afterSeq, limit).map(toRow);
  }

  /** Rows after `afterSeq` whether acknowledged or not (the store asked to resend from there). */
  from(afterSeq: number, limit: number): OutboxRow[] {
    return this.#db.prepare('SELECT * FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?').all(afterSeq, limit).map(toRow);
  }

  /** The highest seq acknowledged contiguously from 1 (where a push resumes). */
  ackedThrough(): number {
    const first = this.#db.prepare('SELECT MIN(seq) AS n FROM outbox WHERE pushed_at IS NULL').get()?.n;
    return first === null || first === undefined ? this.lastSeq() : Number(first) - 1;
  }

  getState(key: string): string | null {
    const v = this.#db.prepare('SELECT value FROM store_state WHERE key = ?').get(key)?.value;
    return typeof v === 'string' ? v : null;
  }

  setState(key: string, value: string): void {
    this.#db.prepare('INSERT INTO store_state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Everything up to `seq` is stored at the store (its ack is cumulative: the lane's order). */
  ack(seq: number, atMs: number): number {
    return Number(this.#ack.run(atMs, seq).changes);
  }

  backlog(): { count: number; oldestCreatedAt: string | null } {
    const t = this.#oldest.get()?.t;
    return { count: Number(this.#backlog.get()?.n ?? 0), oldestCreatedAt: typeof t === 'string' ? t : null };
  }

  /** Highest seq written so far (0 for an empty outbox). */
  lastSeq(): number {
    return Number(this.#db.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM outbox').get()?.n ?? 0);
  }
}

function toRow(r: Record<string, unknown>): OutboxRow {
  return {
    seq: Number(r.seq),
    id: String(r.id),
    kind: String(r.kind) as OutboxKind,
    payload: JSON.parse(String(r.payload)) as unknown,
    createdAt: String(r.created_at),
    atMs: Date.parse(String(r.created_at)),
    pushedAt: r.pushed_at === null ? null : Number(r.pushed_at),
  };
}
