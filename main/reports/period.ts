// The manager's report over local days [from, to]. periodReport reads the per-day aggregates the
// journal keeps (aggregates.ts): a handful of grouped rows per day, whatever the sales count.
// periodReportFromRows computes the same figures from the raw rows (one materialised scope): the
// reference the aggregates are tested against, and the CSV's sales list.
import type { DatabaseSync } from 'node:sqlite';
import type { PeriodReport } from '../../shared/register/period.ts';
import { daysSource } from './aggregates.ts';
import { byDay, byHour, byMethod, byOperator, cancelledCarts, cancelledItems, cube, numbering, scopeTotals, topProducts, type CubeRow } from './figures.ts';
import { materialiseScope } from './scope.ts';
import type { CountAndCents, MethodTotal, SerieRange } from '../../shared/register/report.ts';

/** Local midnight of a YYYY-MM-DD day, epoch ms (the process runs in the shop's time zone). */
export function localDayStartMs(day: string, plusDays = 0): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + plusDays).getTime();
}

interface Query {
  from: string;
  to: string;
  /** One terminal's figures; every terminal when absent. */
  terminalId?: string;
  names: (id: string) => string;
  top?: number;
}

interface Parts {
  /**
   * Rows by state (every sum: the totals), per hour, per day and per operator (the same rows when
   * they hold every dimension).
   */
  rows: { state: CubeRow[]; hour: CubeRow[]; day: CubeRow[]; operator: CubeRow[] };
  methods: (changeCents: number) => MethodTotal[];
  cancelledItems: CountAndCents;
  top: PeriodReport['topProducts'];
  numbering: SerieRange[];
  sangrias: CountAndCents;
  suprimentos: CountAndCents;
  terminals: string[];
}

function assemble(db: DatabaseSync, q: Query, p: Parts): PeriodReport {
  const t = scopeTotals(p.rows.state);
  return {
    from: q.from,
    to: q.to,
    terminalId: q.terminalId ?? null,
    terminals: p.terminals,
    sales: t.sales,
    averageCents: t.sales.count > 0 ? Math.round(t.sales.cents / t.sales.count) : 0,
    discounts: t.discounts,
    cancelledNotes: t.cancelledNotes,
    cancelledItems: p.cancelledItems,
    cancelledSales: cancelledCarts(db, {
      fromMs: localDayStartMs(q.from),
      toMs: localDayStartMs(q.to, 1),
      ...(q.terminalId !== undefined ? { terminalId: q.terminalId } : {}),
    }),
    contingencyPending: t.contingencyPending,
    sangrias: p.sangrias,
    suprimentos: p.suprimentos,
    byHour: byHour(p.rows.hour),
    byDay: byDay(p.rows.day),
    byMethod: p.methods(t.sales.changeCents),
    byOperator: byOperator(p.rows.operator, q.names),
    topProducts: p.top,
    numbering: p.numbering,
  };
}

export function periodReport(db: DatabaseSync, q: Query): PeriodReport {
  const src = daysSource(db, q.from, q.to, q.terminalId);
  return assemble(db, q, {
    rows: { state: src.cube('state'), hour: src.cube('hour'), day: src.cube('day'), operator: src.cube('operator') },
    methods: (change) => src.methods(change),
    cancelledItems: src.extra('item_cancel'),
    top: src.topProducts(q.top ?? 10),
    numbering: src.numbering(),
    sangrias: src.extra('sangria'),
    suprimentos: src.extra('suprimento'),
    terminals: src.terminals(),
  });
}

/** Cash movements whose time falls in the local days [from, to] (on the terminal), from the register's rows. */
function movementsFromRows(db: DatabaseSync, q: Query, kind: 'sangria' | 'suprimento'): CountAndCents {
  const r = db
    .prepare(
      `SELECT COUNT(*) AS n, COALESCE(SUM(m.amount_cents), 0) AS c FROM register_movements m JOIN register_sessions s ON s.id = m.session_id
       WHERE m.kind = ? AND m.at_ms >= ? AND m.at_ms < ? AND (?4 IS NULL OR s.terminal_id = ?4)`,
    )
    .get(kind, localDayStartMs(q.from), localDayStartMs(q.to, 1), q.terminalId ?? null)!;
  return { count: Number(r.n), cents: Number(r.c) };
}

/** Terminals with sales or cash movements in the local days [from, to], from the raw rows. */
function terminalsFromRows(db: DatabaseSync, q: Query): string[] {
  return db
    .prepare(
      `SELECT s.terminal_id FROM sales s WHERE s.local_day BETWEEN ?1 AND ?2 AND EXISTS (SELECT 1 FROM emissions e WHERE e.sale_id = s.id)
       UNION SELECT r.terminal_id FROM register_movements m JOIN register_sessions r ON r.id = m.session_id WHERE m.at_ms >= ?3 AND m.at_ms < ?4 ORDER BY 1`,
    )
    .all(q.from, q.to, localDayStartMs(q.from), localDayStartMs(q.to, 1))
    .map((r) => String(r.terminal_id));
}

export function periodReportFromRows(db: DatabaseSync, q: Query): PeriodReport {
  materialiseScope(db, { fromDay: q.from, toDay: q.to, ...(q.terminalId !== undefined ? { terminalId: q.terminalId } : {}) });
  const rows = cube(db);
  return assemble(db, q, {
    rows: { state: rows, hour: rows, day: rows, operator: rows },
    methods: (change) => byMethod(db, change),
    cancelledItems: cancelledItems(db),
    top: topProducts(db, q.top ?? 10),
    numbering: numbering(db),
    sangrias: movementsFromRows(db, q, 'sangria'),
    suprimentos: movementsFromRows(db, q, 'suprimento'),
    terminals: terminalsFromRows(db, q),
  });
}
