// The figures every report shares, read from the materialised scope (scope.ts): totals, payment
// methods, operators, hours, days, products, numbering, cancellations.
import type { DatabaseSync } from 'node:sqlite';
import type { CountAndCents, MethodTotal, OperatorTotal, SerieRange } from '../../shared/register/report.ts';
import { CONTINGENCY_STATES, IN_FLIGHT_STATES } from './scope.ts';

export interface ScopeTotals {
  sales: CountAndCents & { grossCents: number; changeCents: number };
  discounts: CountAndCents;
  cancelledNotes: CountAndCents;
  contingencyPending: CountAndCents;
  notesInFlight: number;
}

/** One grouped pass over the scope (day × hour × operator × state); every total derives from it. */
export interface CubeRow {
  day: string;
  hour: number;
  operatorId: string;
  state: string;
  n: number;
  total: number;
  gross: number;
  change: number;
  discount: number;
  discounted: number;
}

export function cube(db: DatabaseSync): CubeRow[] {
  return db
    .prepare(
      `SELECT local_day, CAST(substr(created_at, 12, 2) AS INTEGER) AS h, operator_id, state, COUNT(*) AS n, SUM(total_cents) AS t,
       SUM(gross_cents) AS g, SUM(change_cents) AS c, SUM(discount_cents) AS d, SUM(discount_cents > 0) AS dn
     FROM temp.report_scope GROUP BY local_day, h, operator_id, state`,
    )
    .all()
    .map((r) => ({
      day: String(r.local_day),
      hour: Number(r.h),
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

const CONTINGENCY = new Set<string>(CONTINGENCY_STATES);
const IN_FLIGHT = new Set<string>(IN_FLIGHT_STATES);
const isValid = (r: CubeRow) => r.state !== 'cancelled';

export function scopeTotals(rows: readonly CubeRow[]): ScopeTotals {
  const t: ScopeTotals = {
    sales: { count: 0, cents: 0, grossCents: 0, changeCents: 0 },
    discounts: { count: 0, cents: 0 },
    cancelledNotes: { count: 0, cents: 0 },
    contingencyPending: { count: 0, cents: 0 },
    notesInFlight: 0,
  };
  for (const r of rows) {
    if (isValid(r)) {
      t.sales.count += r.n;
      t.sales.cents += r.total;
      t.sales.grossCents += r.gross;
      t.sales.changeCents += r.change;
      t.discounts.count += r.discounted;
      t.discounts.cents += r.discount;
    } else {
      t.cancelledNotes.count += r.n;
      t.cancelledNotes.cents += r.total;
    }
    if (CONTINGENCY.has(r.state)) {
      t.contingencyPending.count += r.n;
      t.contingencyPending.cents += r.total;
    }
    if (IN_FLIGHT.has(r.state)) t.notesInFlight += r.n;
  }
  return t;
}

export function byOperator(rows: readonly CubeRow[], names: (id: string) => string): OperatorTotal[] {
  const m = new Map<string, OperatorTotal>();
  for (const r of rows) {
    if (!isValid(r)) continue;
    const o = m.get(r.operatorId) ?? { operatorId: r.operatorId, name: names(r.operatorId), count: 0, totalCents: 0 };
    o.count += r.n;
    o.totalCents += r.total;
    m.set(r.operatorId, o);
  }
  return [...m.values()].sort((a, b) => b.totalCents - a.totalCents || (a.operatorId < b.operatorId ? -1 : a.operatorId > b.operatorId ? 1 : 0));
}

export function byHour(rows: readonly CubeRow[]): { hour: number; count: number; totalCents: number }[] {
  const out = Array.from({ length: 24 }, (_, hour) => ({ hour, count: 0, totalCents: 0 }));
  for (const r of rows) {
    if (!isValid(r)) continue;
    const h = out[r.hour]!;
    h.count += r.n;
    h.totalCents += r.total;
  }
  return out;
}

export function byDay(rows: readonly CubeRow[]): { day: string; count: number; totalCents: number; cancelled: number }[] {
  const m = new Map<string, { day: string; count: number; totalCents: number; cancelled: number }>();
  for (const r of rows) {
    const d = m.get(r.day) ?? { day: r.day, count: 0, totalCents: 0, cancelled: 0 };
    if (isValid(r)) {
      d.count += r.n;
      d.totalCents += r.total;
    } else d.cancelled += r.n;
    m.set(r.day, d);
  }
  return [...m.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
}

/** Per tPag, over valid sales; cash is net of troco (what stays in the drawer). */
export function byMethod(db: DatabaseSync, changeCents: number): MethodTotal[] {
  const rows = db
    .prepare(
      `SELECT p.method, COUNT(*) AS n, SUM(p.amount_cents) AS amount
     FROM temp.report_scope r CROSS JOIN payments p ON p.sale_id = r.id
     WHERE r.valid = 1 GROUP BY p.method ORDER BY p.method`,
    )
    .all();
  return rows.map((x) => ({
    method: String(x.method),
    count: Number(x.n),
    amountCents: Number(x.amount) - (String(x.method) === '01' ? changeCents : 0),
  }));
}

/** The name is the product's latest line among the scope's sales (any state), as the aggregates keep it. */
export function topProducts(db: DatabaseSync, limit: number): { productId: string; description: string; qtyE4: number; totalCents: number }[] {
  return db
    .prepare(
      `SELECT t.product_id, t.q, t.total,
         (SELECT i2.description FROM temp.report_scope r2 CROSS JOIN sale_items i2 ON i2.sale_id = r2.id
          WHERE i2.product_id = t.product_id ORDER BY i2.sale_id DESC, i2.seq DESC LIMIT 1) AS d
       FROM (SELECT i.product_id, SUM(i.qty_e4) AS q, SUM(i.total_cents) AS total
             FROM temp.report_scope r CROSS JOIN sale_items i ON i.sale_id = r.id
             WHERE r.valid = 1 GROUP BY i.product_id ORDER BY total DESC, i.product_id LIMIT ?) t
       ORDER BY t.total DESC, t.product_id`,
    )
    .all(limit)
    .map((r) => ({ productId: String(r.product_id), description: String(r.d), qtyE4: Number(r.q), totalCents: Number(r.total) }));
}

/** First and last número per série among every attempt that got one (cancelled notes included). */
export function numbering(db: DatabaseSync): SerieRange[] {
  return db
    .prepare(
      `SELECT e.serie, MIN(CAST(e.numero AS INTEGER)) AS a, MAX(CAST(e.numero AS INTEGER)) AS b, COUNT(DISTINCT e.numero) AS n
     FROM temp.report_scope r CROSS JOIN emissions e ON e.sale_id = r.id
     WHERE e.numero IS NOT NULL AND e.serie IS NOT NULL GROUP BY e.serie ORDER BY e.serie`,
    )
    .all()
    .map((r) => ({ serie: String(r.serie), first: Number(r.a), last: Number(r.b), count: Number(r.n) }));
}

/** Items removed from carts of sales in scope (audit 'item_cancel', written with the sale). */
export function cancelledItems(db: DatabaseSync): CountAndCents {
  const r = db
    .prepare(
      `SELECT COUNT(*) AS n, COALESCE(SUM(json_extract(a.details, '$.totalCents')), 0) AS c
     FROM audit_log a JOIN temp.report_scope r ON r.id = a.sale_id WHERE a.action = 'item_cancel'`,
    )
    .get()!;
  return { count: Number(r.n), cents: Number(r.c) };
}

/**
 * Carts abandoned before payment (audit 'cart_cancel', no sale), by time and terminal. The JSON
 * expressions are those of the covering index audit_cart_cancel_cover (register schema v4): keep
 * them identical, or SQLite goes back to parsing every entry.
 */
export function cancelledCarts(db: DatabaseSync, o: { terminalId?: string; fromMs: number; toMs: number }): CountAndCents {
  const r = db
    .prepare(
      `SELECT COUNT(*) AS n, COALESCE(SUM(json_extract(details, '$.totalCents')), 0) AS c FROM audit_log
     WHERE action = 'cart_cancel' AND at_ms >= ? AND at_ms < ? AND (? IS NULL OR json_extract(details, '$.terminalId') = ?)`,
    )
    .get(o.fromMs, o.toMs, o.terminalId ?? null, o.terminalId ?? null)!;
  return { count: Number(r.n), cents: Number(r.c) };
}
