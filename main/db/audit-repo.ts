// Who did what: cancellations, discount overrides, settings changes, resends. Append-only.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { AuditEntry, AuditInput } from './types.ts';
import { appendOutbox } from './outbox.ts';
import { transaction } from './sqlite.ts';

export interface AuditFilter {
  fromMs?: number | undefined;
  toMs?: number | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  limit?: number | undefined;
}

export class AuditRepo {
  readonly #now: () => number;
  readonly #insert: StatementSync;
  readonly #bySale: StatementSync;
  readonly #recent: StatementSync;
  readonly #db: DatabaseSync;

  constructor(db: DatabaseSync, now: () => number) {
    this.#now = now;
    this.#db = db;
    this.#insert = db.prepare('INSERT INTO audit_log(at_ms, actor, action, sale_id, details) VALUES (?, ?, ?, ?, ?)');
    this.#bySale = db.prepare('SELECT * FROM audit_log WHERE sale_id = ? ORDER BY id');
    this.#recent = db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?');
  }

  /** Appends an entry and its outbox row (for the store) in one transaction. */
  add(e: AuditInput): number {
    const at = e.atMs ?? this.#now();
    return transaction(this.#db, () => {
      const { lastInsertRowid } = this.#insert.run(at, e.actor, e.action, e.saleId ?? null, JSON.stringify(e.details ?? {}));
      const id = Number(lastInsertRowid);
      appendOutbox(this.#db, 'audit', { auditId: id, atMs: at, actor: e.actor, action: e.action, saleId: e.saleId ?? null, details: e.details ?? {} }, at);
      return id;
    });
  }

  forSale(saleId: number): AuditEntry[] {
    return this.#bySale.all(saleId).map(toEntry);
  }

  /** Newest first, filtered by period (epoch ms, inclusive), actor and action. */
  query(f: AuditFilter): AuditEntry[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (f.fromMs !== undefined) {
      where.push('at_ms >= ?');
      args.push(f.fromMs);
    }
    if (f.toMs !== undefined) {
      where.push('at_ms <= ?');
      args.push(f.toMs);
    }
    if (f.actor) {
      where.push('actor = ?');
      args.push(f.actor);
    }
    if (f.action) {
      where.push('action = ?');
      args.push(f.action);
    }
    const sql = `SELECT * FROM audit_log ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ?`;
    args.push(Math.max(1, Math.min(f.limit ?? 200, 1000)));
    return this.#db
      .prepare(sql)
      .all(...args)
      .map(toEntry);
  }

  recent(limit = 100): AuditEntry[] {
    return this.#recent.all(Math.max(1, Math.min(limit, 1000))).map(toEntry);
  }
}

function toEntry(r: Record<string, unknown>): AuditEntry {
  return {
    id: Number(r.id),
    atMs: Number(r.at_ms),
    actor: String(r.actor),
    action: String(r.action),
    saleId: r.sale_id === null ? null : Number(r.sale_id),
    details: JSON.parse(String(r.details)) as Record<string, unknown>,
  };
}
