// Reads of the report aggregates (aggregates-schema.ts): a period's figures from its days, an open
// session's from its own rows. Each read is one small grouped query over a few hundred rows,
// however many sales the period holds.
import type { DatabaseSync } from 'node:sqlite';
import type { CountAndCents, MethodTotal, SerieRange } from '../../shared/register/report.ts';
import type { CubeRow } from './figures.ts';
import { localDayOf } from '../../shared/datetime.ts';

export type ExtraKind = 'item_cancel' | 'sangria' | 'suprimento';

/** The figures a report reads, from one grain (a range of days, or one session). */
export interface AggregateSource {
  /**
   * Sales per state, alone (default) or split by hour, day or operator (the other dimensions blank).
   * Only the state rows carry every sum (the totals come from them); the splits carry n and total,
   * the rest 0 (their charts need no more). A session's rows are always per operator and state.
   */
  cube(by?: 'state' | 'hour' | 'day' | 'operator'): CubeRow[];
  /** Per tPag over valid sales; cash net of troco. */
  methods(changeCents: number): MethodTotal[];
  numbering(): SerieRange[];
  extra(kind: ExtraKind): CountAndCents;
}

function toCube(rows: Record<string, unknown>[]): CubeRow[] {
  return rows.map((r) => ({
    day: String(r.day),
    hour: Number(r.hour),
    operatorId: String(r.operator_id),
    state: String(r.state),
    n: Number(r.n),
    total: Number(r.t),
    gross: Number(r.g),
    change: Number(r.c),
    discount: Number(r.d),
    discounted: Number(r.dn),
  }));
}

function toMethods(rows: Record<string, unknown>[], changeCents: number): MethodTotal[] {
  return rows.map((x) => ({
    method: String(x.method),
    count: Number(x.n),
    amountCents: Number(x.amount) - (String(x.method) === '01' ? changeCents : 0),
  }));
}

const toNumbering = (rows: Record<string, unknown>[]): SerieRange[] =>
  rows.map((r) => ({ serie: String(r.serie), first: Number(r.a), last: Number(r.b), count: Number(r.n) }));

const toExtra = (r: Record<string, unknown> | undefined): CountAndCents => ({ count: Number(r?.n ?? 0), cents: Number(r?.c ?? 0) });

const SUMS = 'SUM(n) AS n, SUM(total) AS t, SUM(gross) AS g, SUM(change) AS c, SUM(discount) AS d, SUM(discounted) AS dn';
const COUNT_TOTAL = 'SUM(n) AS n, SUM(total) AS t, 0 AS g, 0 AS c, 0 AS d, 0 AS dn';

/** Local days [from, to] (YYYY-MM-DD), of one terminal or (terminalId undefined) every terminal. */
export function daysSource(
  db: DatabaseSync,
  from: string,
  to: string,
  terminalId?: string,
): AggregateSource & { topProducts(limit: number): TopProduct[]; terminals(): string[] } {
  // The terminal is the key's second column (day, terminal_id, …): the day range stays one index
  // range and the terminal a test on its rows.
  const where = terminalId === undefined ? 'day BETWEEN ? AND ?' : 'day BETWEEN ? AND ? AND terminal_id = ?';
  const args: string[] = terminalId === undefined ? [from, to] : [from, to, terminalId];
  return {
    // Each figure's own split (aggregates-schema.ts SPLITS_DDL), grouped by SQLite over a few rows
    // per day: the JavaScript side handles a few dozen rows.
    cube: (by = 'state') =>
      toCube(
        db
          .prepare(
            by === 'state'
              ? `SELECT '' AS day, 0 AS hour, '' AS operator_id, state, ${SUMS} FROM agg_day_state WHERE ${where} GROUP BY state HAVING SUM(n) <> 0`
              : by === 'day'
                ? `SELECT day, 0 AS hour, '' AS operator_id, state, ${COUNT_TOTAL} FROM agg_day_state WHERE ${where} GROUP BY day, state HAVING SUM(n) <> 0`
                : by === 'hour'
                  ? `SELECT '' AS day, hour, '' AS operator_id, state, ${COUNT_TOTAL} FROM agg_day_hour WHERE ${where} GROUP BY hour, state HAVING SUM(n) <> 0`
                  : `SELECT '' AS day, 0 AS hour, operator_id, state, ${COUNT_TOTAL} FROM agg_day_operator WHERE ${where} GROUP BY operator_id, state HAVING SUM(n) <> 0`,
          )
          .all(...args),
      ),
    methods: (change) =>
      toMethods(
        db
          .prepare(`SELECT method, SUM(n) AS n, SUM(amount) AS amount FROM agg_day_methods WHERE ${where} GROUP BY method HAVING SUM(n) <> 0 ORDER BY method`)
          .all(...args),
        change,
      ),
    numbering: () =>
      toNumbering(
        db
          .prepare(`SELECT serie, MIN(first) AS a, MAX(last) AS b, SUM(n) AS n FROM agg_day_numbers WHERE ${where} AND n > 0 GROUP BY serie ORDER BY serie`)
          .all(...args),
      ),
    extra: (kind) => toExtra(db.prepare(`SELECT SUM(n) AS n, SUM(cents) AS c FROM agg_day_extra WHERE ${where} AND kind = ?`).get(...args, kind)),
    topProducts: (limit) =>
      db
        .prepare(
          // The name is the product's latest line in the period: with one MAX() aggregate, SQLite
          // takes the bare column from the row that holds the maximum.
          `SELECT product_id, SUM(qty) AS q, SUM(total) AS total, MAX(last_sale_id * 1000000 + last_seq) AS k, description FROM agg_day_products
           WHERE ${where} GROUP BY product_id HAVING SUM(lines) > 0 ORDER BY total DESC, product_id LIMIT ?`,
        )
        .all(...args, limit)
        .map((r) => ({ productId: String(r.product_id), description: String(r.description), qtyE4: Number(r.q), totalCents: Number(r.total) })),
    // Every terminal that sold or moved cash in the days, whatever the filter (the screen's choices).
    terminals: () =>
      db
        .prepare(
          `SELECT terminal_id FROM agg_day_state WHERE day BETWEEN ?1 AND ?2 AND n <> 0
           UNION SELECT terminal_id FROM agg_day_extra WHERE day BETWEEN ?1 AND ?2 AND n <> 0 ORDER BY 1`,
        )
        .all(from, to)
        .map((r) => String(r.terminal_id)),
  };
}

export interface TopProduct {
  productId: string;
  description: string;
  qtyE4: number;
  totalCents: number;
}

/** An open register session (its rows stop following the sales once it closes: the Z is kept). */
export function sessionSource(db: DatabaseSync, sessionId: number): AggregateSource {
  return {
    cube: () =>
      toCube(
        db
          .prepare(
            `SELECT '' AS day, 0 AS hour, operator_id, state, ${SUMS} FROM agg_session_sales WHERE session_id = ?
             GROUP BY operator_id, state HAVING SUM(n) <> 0`,
          )
          .all(sessionId),
      ),
    methods: (change) =>
      toMethods(db.prepare('SELECT method, n, amount FROM agg_session_methods WHERE session_id = ? AND n <> 0 ORDER BY method').all(sessionId), change),
    numbering: () =>
      toNumbering(db.prepare('SELECT serie, first AS a, last AS b, n FROM agg_session_numbers WHERE session_id = ? AND n > 0 ORDER BY serie').all(sessionId)),
    extra: (kind) => toExtra(db.prepare('SELECT n, cents AS c FROM agg_session_extra WHERE session_id = ? AND kind = ?').get(sessionId, kind)),
  };
}

/** Counts a sangria or suprimento in its day (called inside the movement's transaction). */
export function addDayMovement(db: DatabaseSync, m: { atMs: number; terminalId: string; kind: 'sangria' | 'suprimento'; cents: number }): void {
  db.prepare(
    `INSERT INTO agg_day_extra(day, terminal_id, kind, n, cents) VALUES (?, ?, ?, 1, ?)
     ON CONFLICT DO UPDATE SET n = n + excluded.n, cents = cents + excluded.cents`,
  ).run(localDayOf(m.atMs), m.terminalId, m.kind, m.cents);
}

/** The migration's backfill of the movements already recorded. */
export function backfillDayMovements(db: DatabaseSync): void {
  const rows = db
    .prepare('SELECT m.kind, m.amount_cents, m.at_ms, s.terminal_id FROM register_movements m JOIN register_sessions s ON s.id = m.session_id')
    .all();
  for (const r of rows) {
    addDayMovement(db, {
      atMs: Number(r.at_ms),
      terminalId: String(r.terminal_id),
      kind: String(r.kind) as 'sangria' | 'suprimento',
      cents: Number(r.amount_cents),
    });
  }
}
