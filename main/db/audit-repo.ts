// Who did what: cancellations, discount overrides, settings changes, resends. Append-only.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { AuditEntry, AuditInput } from './types.ts';

export class AuditRepo {
  readonly #now: () => number;
  readonly #insert: StatementSync;
  readonly #bySale: StatementSync;
  readonly #recent: StatementSync;

  constructor(db: DatabaseSync, now: () => number) {
    this.#now = now;
    this.#insert = db.prepare('INSERT INTO audit_log(at_ms, actor, action, sale_id, details) VALUES (?, ?, ?, ?, ?)');
    this.#bySale = db.prepare('SELECT * FROM audit_log WHERE sale_id = ? ORDER BY id');
    this.#recent = db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?');
  }

  add(e: AuditInput): number {
    const { lastInsertRowid } = this.#insert.run(e.atMs ?? this.#now(), e.actor, e.action, e.saleId ?? null, JSON.stringify(e.details ?? {}));
    return Number(lastInsertRowid);
  }

  forSale(saleId: number): AuditEntry[] {
    return this.#bySale.all(saleId).map(toEntry);
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
