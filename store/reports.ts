// Store-wide reports from the projections: the X/Z-style figures of a day and the accountant's month
// (main/reports/month-summary.ts's shape), per lane and for the whole store. Every figure is a SQL
// aggregate over the per-sale rows, so the store's totals are exactly the sum of what lanes sent.
import type { StoreDayReport, StoreDayTotals, StoreMonthReport, StoreMonthSummary } from '../shared/store/protocol.ts';
import { STORE_PROTOCOL_VERSION } from '../shared/store/protocol.ts';
import type { Clock } from './clock.ts';
import type { Db } from './db/pool.ts';

interface LaneRow {
  id: string;
  name: string;
  terminal_id: string;
}

const CASH = '01';

function emptyDay(): StoreDayTotals {
  const z = () => ({ count: 0, cents: 0 });
  return {
    sales: { count: 0, cents: 0, grossCents: 0, changeCents: 0 },
    byMethod: [],
    byOperator: [],
    discounts: z(),
    cancelledNotes: z(),
    contingencyPending: z(),
    suprimentos: z(),
    sangrias: z(),
    openingCents: 0,
    sessions: { opened: 0, closed: 0 },
  };
}

async function lanes(db: Db): Promise<LaneRow[]> {
  return (await db.query<LaneRow>('SELECT id, name, terminal_id FROM lanes ORDER BY terminal_id')).rows;
}

function perLane<T>(rows: readonly ({ lane_id: string } & T)[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) m.set(r.lane_id, [...(m.get(r.lane_id) ?? []), r]);
  return m;
}

function mergeBy<T extends Record<K, string>, K extends keyof T>(lists: readonly T[][], key: K, add: (a: T, b: T) => T): T[] {
  const m = new Map<string, T>();
  for (const list of lists) for (const x of list) m.set(x[key], m.has(x[key]) ? add(m.get(x[key])!, x) : { ...x });
  return [...m.values()].sort((a, b) => a[key].localeCompare(b[key]));
}

export async function dayReport(db: Db, now: Clock, day: string): Promise<StoreDayReport> {
  const q = async <R extends { lane_id: string }>(sql: string) => perLane((await db.query<R>(sql, [day])).rows);
  const sales = await q<{ lane_id: string; state_group: string; n: number; total: number; gross: number; change: number; disc_n: number; disc: number }>(
    `SELECT lane_id, CASE WHEN state = 'cancelled' THEN 'cancelled' WHEN state IN ('contingency', 'contingency_focus') THEN 'contingency' ELSE 'valid' END AS state_group,
            COUNT(*)::bigint AS n, SUM(total_cents)::bigint AS total, SUM(gross_cents)::bigint AS gross, SUM(change_cents)::bigint AS change,
            COUNT(*) FILTER (WHERE discount_cents > 0)::bigint AS disc_n, SUM(discount_cents)::bigint AS disc
       FROM sales WHERE day = $1 GROUP BY 1, 2`,
  );
  const methods = await q<{ lane_id: string; method: string; n: number; amount: number }>(
    `SELECT p.lane_id, p.method, COUNT(*)::bigint AS n, SUM(p.amount_cents)::bigint AS amount
       FROM sale_payments p JOIN sales s USING (lane_id, sale_id) WHERE s.day = $1 AND s.state <> 'cancelled' GROUP BY 1, 2`,
  );
  const operators = await q<{ lane_id: string; operator_id: string; n: number; total: number }>(
    `SELECT lane_id, operator_id, COUNT(*)::bigint AS n, SUM(total_cents)::bigint AS total FROM sales WHERE day = $1 AND state <> 'cancelled' GROUP BY 1, 2`,
  );
  const moves = await q<{ lane_id: string; kind: 'sangria' | 'suprimento'; n: number; amount: number }>(
    'SELECT lane_id, kind, COUNT(*)::bigint AS n, SUM(amount_cents)::bigint AS amount FROM register_movements WHERE day = $1 GROUP BY 1, 2',
  );
  const sessions = await q<{ lane_id: string; opened: number; closed: number; opening: number }>(
    `SELECT lane_id, COUNT(*)::bigint AS opened, COUNT(closed_ms)::bigint AS closed, SUM(opening_cents)::bigint AS opening
       FROM register_sessions WHERE day = $1 GROUP BY 1`,
  );
  const laneReports = (await lanes(db)).map((l) => {
    const t = emptyDay();
    let change = 0;
    for (const s of sales.get(l.id) ?? []) {
      if (s.state_group === 'cancelled') {
        t.cancelledNotes = { count: s.n, cents: s.total };
        continue;
      }
      if (s.state_group === 'contingency') t.contingencyPending = { count: s.n, cents: s.total };
      t.sales = {
        count: t.sales.count + s.n,
        cents: t.sales.cents + s.total,
        grossCents: t.sales.grossCents + s.gross,
        changeCents: t.sales.changeCents + s.change,
      };
      t.discounts = { count: t.discounts.count + s.disc_n, cents: t.discounts.cents + s.disc };
      change += s.change;
    }
    t.byMethod = (methods.get(l.id) ?? [])
      .map((m) => ({ method: m.method, count: m.n, amountCents: m.amount - (m.method === CASH ? change : 0) }))
      .sort((a, b) => a.method.localeCompare(b.method));
    t.byOperator = (operators.get(l.id) ?? [])
      .map((o) => ({ operatorId: o.operator_id, count: o.n, totalCents: o.total }))
      .sort((a, b) => a.operatorId.localeCompare(b.operatorId));
    for (const m of moves.get(l.id) ?? []) t[m.kind === 'sangria' ? 'sangrias' : 'suprimentos'] = { count: m.n, cents: m.amount };
    const s = sessions.get(l.id)?.[0];
    if (s !== undefined) {
      t.openingCents = s.opening;
      t.sessions = { opened: s.opened, closed: s.closed };
    }
    return { laneId: l.id, name: l.name, terminalId: l.terminal_id, totals: t };
  });
  return { protocol: STORE_PROTOCOL_VERSION, day, generatedMs: now(), lanes: laneReports, total: sumDays(laneReports.map((l) => l.totals)) };
}

function sumDays(days: readonly StoreDayTotals[]): StoreDayTotals {
  const cc = (a: { count: number; cents: number }, b: { count: number; cents: number }) => ({ count: a.count + b.count, cents: a.cents + b.cents });
  const t = emptyDay();
  for (const d of days) {
    t.sales = { ...cc(t.sales, d.sales), grossCents: t.sales.grossCents + d.sales.grossCents, changeCents: t.sales.changeCents + d.sales.changeCents };
    t.discounts = cc(t.discounts, d.discounts);
    t.cancelledNotes = cc(t.cancelledNotes, d.cancelledNotes);
    t.contingencyPending = cc(t.contingencyPending, d.contingencyPending);
    t.suprimentos = cc(t.suprimentos, d.suprimentos);
    t.sangrias = cc(t.sangrias, d.sangrias);
    t.openingCents += d.openingCents;
    t.sessions = { opened: t.sessions.opened + d.sessions.opened, closed: t.sessions.closed + d.sessions.closed };
  }
  t.byMethod = mergeBy(
    days.map((d) => d.byMethod),
    'method',
    (a, b) => ({ method: a.method, count: a.count + b.count, amountCents: a.amountCents + b.amountCents }),
  );
  t.byOperator = mergeBy(
    days.map((d) => d.byOperator),
    'operatorId',
    (a, b) => ({ operatorId: a.operatorId, count: a.count + b.count, totalCents: a.totalCents + b.totalCents }),
  );
  return t;
}

export async function monthReport(db: Db, now: Clock, month: string): Promise<StoreMonthReport> {
  const first = `${month}-01`;
  const args = [first];
  const inMonth = `s.day >= $1::date AND s.day < ($1::date + interval '1 month')`;
  const q = async <R extends { lane_id: string }>(sql: string) => perLane((await db.query<R>(sql, args)).rows);
  const byDay = await q<{ lane_id: string; day: string; n: number; total: number; change: number }>(
    `SELECT s.lane_id, s.day::text AS day, COUNT(*)::bigint AS n, SUM(s.total_cents)::bigint AS total, SUM(s.change_cents)::bigint AS change
       FROM sales s WHERE ${inMonth} AND s.state = 'authorized' GROUP BY 1, 2`,
  );
  const byCfop = await q<{ lane_id: string; cfop: string; n: number; total: number }>(
    `SELECT i.lane_id, i.cfop, COUNT(*)::bigint AS n, SUM(i.total_cents)::bigint AS total
       FROM sale_items i JOIN sales s USING (lane_id, sale_id) WHERE ${inMonth} AND s.state = 'authorized' GROUP BY 1, 2`,
  );
  const byMethod = await q<{ lane_id: string; method: string; n: number; amount: number }>(
    `SELECT p.lane_id, p.method, COUNT(*)::bigint AS n, SUM(p.amount_cents)::bigint AS amount
       FROM sale_payments p JOIN sales s USING (lane_id, sale_id) WHERE ${inMonth} AND s.state = 'authorized' GROUP BY 1, 2`,
  );
  const cancelled = await q<{ lane_id: string; n: number }>(
    `SELECT s.lane_id, COUNT(*)::bigint AS n FROM sales s WHERE ${inMonth} AND s.state = 'cancelled' GROUP BY 1`,
  );
  const laneReports = (await lanes(db)).map((l) => {
    const days = (byDay.get(l.id) ?? []).sort((a, b) => a.day.localeCompare(b.day));
    const change = days.reduce((a, d) => a + d.change, 0);
    const summary: StoreMonthSummary = {
      byDay: days.map((d) => ({ day: d.day, notes: d.n, totalCents: d.total })),
      byCfop: (byCfop.get(l.id) ?? []).map((c) => ({ cfop: c.cfop, items: c.n, totalCents: c.total })).sort((a, b) => a.cfop.localeCompare(b.cfop)),
      byMethod: (byMethod.get(l.id) ?? [])
        .map((m) => ({ method: m.method, count: m.n, amountCents: m.amount - (m.method === CASH ? change : 0) }))
        .sort((a, b) => a.method.localeCompare(b.method)),
      totalCents: days.reduce((a, d) => a + d.total, 0),
      notes: days.reduce((a, d) => a + d.n, 0),
    };
    return { laneId: l.id, name: l.name, terminalId: l.terminal_id, summary, cancelledNotes: cancelled.get(l.id)?.[0]?.n ?? 0 };
  });
  const summaries = laneReports.map((l) => l.summary);
  const total: StoreMonthSummary = {
    byDay: mergeBy(
      summaries.map((s) => s.byDay),
      'day',
      (a, b) => ({ day: a.day, notes: a.notes + b.notes, totalCents: a.totalCents + b.totalCents }),
    ),
    byCfop: mergeBy(
      summaries.map((s) => s.byCfop),
      'cfop',
      (a, b) => ({ cfop: a.cfop, items: a.items + b.items, totalCents: a.totalCents + b.totalCents }),
    ),
    byMethod: mergeBy(
      summaries.map((s) => s.byMethod),
      'method',
      (a, b) => ({ method: a.method, count: a.count + b.count, amountCents: a.amountCents + b.amountCents }),
    ),
    totalCents: summaries.reduce((a, s) => a + s.totalCents, 0),
    notes: summaries.reduce((a, s) => a + s.notes, 0),
  };
  return {
    protocol: STORE_PROTOCOL_VERSION,
    month,
    generatedMs: now(),
    lanes: laneReports,
    total,
    cancelledNotes: laneReports.reduce((a, l) => a + l.cancelledNotes, 0),
  };
}
