// Sales whose latest note ended rejected: the status bar and the contingency panel count them
// until someone fixes and resends them. Kept in its own migration scope ('till') so it evolves
// apart from the journal's core tables.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Migration } from './migrations.ts';

export const TILL_MIGRATIONS: readonly Migration[] = [
  {
    scope: 'till',
    version: 1,
    description: 'index of rejected attempts (problem count at every status change)',
    up: (db) => db.exec("CREATE INDEX IF NOT EXISTS emissions_rejected ON emissions(sale_id, attempt) WHERE state = 'rejected'"),
  },
];

const statements = new WeakMap<DatabaseSync, StatementSync>();

/** Rejected attempts that are still their sale's latest (a resend adds a newer attempt). */
export function countProblems(db: DatabaseSync): number {
  let st = statements.get(db);
  if (!st) {
    st = db.prepare(
      `SELECT COUNT(*) AS n FROM emissions e WHERE e.state = 'rejected'
       AND NOT EXISTS (SELECT 1 FROM emissions l WHERE l.sale_id = e.sale_id AND l.attempt > e.attempt)`,
    );
    statements.set(db, st);
  }
  return Number(st.get()?.n ?? 0);
}

/** Sale ids of those sales, newest first (the contingency panel lists them). */
export function problemSaleIds(db: DatabaseSync, limit = 200): number[] {
  return db
    .prepare(
      `SELECT e.sale_id AS id FROM emissions e WHERE e.state = 'rejected'
       AND NOT EXISTS (SELECT 1 FROM emissions l WHERE l.sale_id = e.sale_id AND l.attempt > e.attempt)
       ORDER BY e.sale_id DESC LIMIT ?`,
    )
    .all(limit)
    .map((r) => Number(r.id));
}
