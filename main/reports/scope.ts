// Which sales a report covers, materialised once per report into a temp table with the state of
// each sale's latest attempt (the one that counts: earlier attempts may be superseded or
// cancelled after a contingency). Every figure of a report then reads this one table, so all of
// them agree with each other and with the journal.
import type { DatabaseSync } from 'node:sqlite';

export interface SalesScope {
  terminalId?: string;
  /** Epoch ms, inclusive / exclusive. */
  fromMs?: number;
  toMs?: number;
  /** Local days YYYY-MM-DD, inclusive. */
  fromDay?: string;
  toDay?: string;
}

const DDL = `CREATE TEMP TABLE IF NOT EXISTS report_scope (
  id INTEGER PRIMARY KEY,
  operator_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  local_day TEXT NOT NULL,
  gross_cents INTEGER NOT NULL,
  discount_cents INTEGER NOT NULL,
  total_cents INTEGER NOT NULL,
  change_cents INTEGER NOT NULL,
  state TEXT NOT NULL,
  valid INTEGER NOT NULL
)`;

/** Sales states whose money stays with the shop (everything but a cancelled note). */
export const VALID_SQL = "state <> 'cancelled'";
export const CONTINGENCY_STATES = ['contingency', 'contingency_focus'] as const;
export const IN_FLIGHT_STATES = ['pending', 'sending', 'unknown', 'blocked'] as const;

export function materialiseScope(db: DatabaseSync, scope: SalesScope): void {
  db.exec(DDL);
  db.exec('DELETE FROM temp.report_scope');
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (scope.terminalId !== undefined) { where.push('s.terminal_id = ?'); args.push(scope.terminalId); }
  if (scope.fromMs !== undefined) { where.push('s.created_ms >= ?'); args.push(scope.fromMs); }
  if (scope.toMs !== undefined) { where.push('s.created_ms < ?'); args.push(scope.toMs); }
  if (scope.fromDay !== undefined) { where.push('s.local_day >= ?'); args.push(scope.fromDay); }
  if (scope.toDay !== undefined) { where.push('s.local_day <= ?'); args.push(scope.toDay); }
  db.prepare(
    `INSERT INTO temp.report_scope
     SELECT id, operator_id, created_at, local_day, gross_cents, discount_cents, total_cents, change_cents, state, state <> 'cancelled'
     FROM (SELECT s.id, s.operator_id, s.created_at, s.local_day, s.gross_cents, s.discount_cents, s.total_cents, s.change_cents,
             (SELECT e.state FROM emissions e WHERE e.sale_id = s.id ORDER BY e.attempt DESC LIMIT 1) AS state
           FROM sales s ${where.length ? `WHERE ${where.join(' AND ')}` : ''})
     WHERE state IS NOT NULL`,
  ).run(...args);
}
