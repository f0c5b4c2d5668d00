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
export const CONTINGENCY_STATES = ['contingency', 'contingency_focus'] as const;
export const IN_FLIGHT_STATES = ['pending', 'sending', 'unknown', 'blocked'] as const;

export function materialiseScope(db: DatabaseSync, scope: SalesScope): void {
  // Report scratch space lives in memory: it is rebuilt for every report and never needs the disk.
  db.exec('PRAGMA temp_store = MEMORY');
  db.exec(DDL);
  db.exec('DELETE FROM temp.report_scope');
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (scope.terminalId !== undefined) {
    where.push('s.terminal_id = ?');
    args.push(scope.terminalId);
  }
  if (scope.fromMs !== undefined) {
    where.push('s.created_ms >= ?');
    args.push(scope.fromMs);
  }
  if (scope.toMs !== undefined) {
    where.push('s.created_ms < ?');
    args.push(scope.toMs);
  }
  if (scope.fromDay !== undefined) {
    where.push('s.local_day >= ?');
    args.push(scope.fromDay);
  }
  if (scope.toDay !== undefined) {
    where.push('s.local_day <= ?');
    args.push(scope.toDay);
  }
  // The latest attempt per sale: one grouped pass over the emissions of the sales' id range
  // (ids grow with time, so a day or a session is one contiguous slice of the index).
  const range = db.prepare(`SELECT MIN(s.id) AS a, MAX(s.id) AS b FROM sales s ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`).get(...args)!;
  if (range.a === null) return;
  db.prepare(
    `INSERT INTO temp.report_scope
     SELECT s.id, s.operator_id, s.created_at, s.local_day, s.gross_cents, s.discount_cents, s.total_cents, s.change_cents, l.state, l.state <> 'cancelled'
     FROM (SELECT sale_id, state, MAX(attempt) FROM emissions WHERE sale_id BETWEEN ? AND ? GROUP BY sale_id) l
     JOIN sales s ON s.id = l.sale_id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
  ).run(Number(range.a), Number(range.b), ...args);
}
