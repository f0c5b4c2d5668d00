// The figures every report shares, read from the materialised scope (scope.ts): totals, payment
// methods, operators, hours, days, products, numbering, cancellations.
import type { DatabaseSync } from 'node:sqlite';
import type { CountAndCents, MethodTotal, SerieRange } from '../../shared/register/report.ts';
import { CONTINGENCY_STATES, IN_FLIGHT_STATES } from './scope.ts';

const inList = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(', ');

export interface ScopeTotals {
  sales: CountAndCents & { grossCents: number; changeCents: number };
  discounts: CountAndCents;
  cancelledNotes: CountAndCents;
  contingencyPending: CountAndCents;
  notesInFlight: number;
}

export function scopeTotals(db: DatabaseSync): ScopeTotals {
  const r = db.prepare(
    `SELECT
       COALESCE(SUM(valid), 0) AS n,
       COALESCE(SUM(CASE WHEN valid = 1 THEN total_cents END), 0) AS total,
       COALESCE(SUM(CASE WHEN valid = 1 THEN gross_cents END), 0) AS gross,
       COALESCE(SUM(CASE WHEN valid = 1 THEN change_cents END), 0) AS change,
       COALESCE(SUM(CASE WHEN valid = 1 AND discount_cents > 0 THEN 1 END), 0) AS disc_n,
       COALESCE(SUM(CASE WHEN valid = 1 THEN discount_cents END), 0) AS disc,
       COALESCE(SUM(CASE WHEN valid = 0 THEN 1 END), 0) AS canc_n,
       COALESCE(SUM(CASE WHEN valid = 0 THEN total_cents END), 0) AS canc,
       COALESCE(SUM(CASE WHEN state IN (${inList(CONTINGENCY_STATES)}) THEN 1 END), 0) AS cont_n,
       COALESCE(SUM(CASE WHEN state IN (${inList(CONTINGENCY_STATES)}) THEN total_cents END), 0) AS cont,
       COALESCE(SUM(CASE WHEN state IN (${inList(IN_FLIGHT_STATES)}) THEN 1 END), 0) AS flight
     FROM temp.report_scope`,
  ).get()!;
  return {
    sales: { count: Number(r.n), cents: Number(r.total), grossCents: Number(r.gross), changeCents: Number(r.change) },
    discounts: { count: Number(r.disc_n), cents: Number(r.disc) },
    cancelledNotes: { count: Number(r.canc_n), cents: Number(r.canc) },
    contingencyPending: { count: Number(r.cont_n), cents: Number(r.cont) },
    notesInFlight: Number(r.flight),
  };
}

/** Per tPag, over valid sales; cash is net of troco (what stays in the drawer). */
export function byMethod(db: DatabaseSync, changeCents: number): MethodTotal[] {
  const rows = db.prepare(
    `SELECT p.method, COUNT(*) AS n, SUM(p.amount_cents) AS amount
     FROM payments p JOIN temp.report_scope r ON r.id = p.sale_id
     WHERE r.valid = 1 GROUP BY p.method ORDER BY p.method`,
  ).all();
  return rows.map((x) => ({
    method: String(x.method),
    count: Number(x.n),
    amountCents: Number(x.amount) - (String(x.method) === '01' ? changeCents : 0),
  }));
}

export function byOperator(db: DatabaseSync, names: (id: string) => string): { operatorId: string; name: string; count: number; totalCents: number }[] {
  return db.prepare(
    `SELECT operator_id, COUNT(*) AS n, SUM(total_cents) AS total FROM temp.report_scope WHERE valid = 1
     GROUP BY operator_id ORDER BY total DESC, operator_id`,
  ).all().map((x) => ({ operatorId: String(x.operator_id), name: names(String(x.operator_id)), count: Number(x.n), totalCents: Number(x.total) }));
}

export function byHour(db: DatabaseSync): { hour: number; count: number; totalCents: number }[] {
  const rows = db.prepare(
    `SELECT CAST(substr(created_at, 12, 2) AS INTEGER) AS h, COUNT(*) AS n, SUM(total_cents) AS total
     FROM temp.report_scope WHERE valid = 1 GROUP BY h`,
  ).all();
  const out = Array.from({ length: 24 }, (_, hour) => ({ hour, count: 0, totalCents: 0 }));
  for (const r of rows) out[Number(r.h)] = { hour: Number(r.h), count: Number(r.n), totalCents: Number(r.total) };
  return out;
}

export function byDay(db: DatabaseSync): { day: string; count: number; totalCents: number; cancelled: number }[] {
  return db.prepare(
    `SELECT local_day, SUM(valid) AS n, SUM(CASE WHEN valid = 1 THEN total_cents ELSE 0 END) AS total, SUM(1 - valid) AS canc
     FROM temp.report_scope GROUP BY local_day ORDER BY local_day`,
  ).all().map((r) => ({ day: String(r.local_day), count: Number(r.n), totalCents: Number(r.total), cancelled: Number(r.canc) }));
}

export function topProducts(db: DatabaseSync, limit: number): { productId: string; description: string; qtyE4: number; totalCents: number }[] {
  return db.prepare(
    `SELECT i.product_id, MAX(i.description) AS d, SUM(i.qty_e4) AS q, SUM(i.total_cents) AS total
     FROM sale_items i JOIN temp.report_scope r ON r.id = i.sale_id
     WHERE r.valid = 1 GROUP BY i.product_id ORDER BY total DESC, i.product_id LIMIT ?`,
  ).all(limit).map((r) => ({ productId: String(r.product_id), description: String(r.d), qtyE4: Number(r.q), totalCents: Number(r.total) }));
}

/** First and last número per série among every attempt that got one (cancelled notes included). */
export function numbering(db: DatabaseSync): SerieRange[] {
  return db.prepare(
    `SELECT e.serie, MIN(CAST(e.numero AS INTEGER)) AS a, MAX(CAST(e.numero AS INTEGER)) AS b, COUNT(DISTINCT e.numero) AS n
     FROM emissions e JOIN temp.report_scope r ON r.id = e.sale_id
     WHERE e.numero IS NOT NULL AND e.serie IS NOT NULL GROUP BY e.serie ORDER BY e.serie`,
  ).all().map((r) => ({ serie: String(r.serie), first: Number(r.a), last: Number(r.b), count: Number(r.n) }));
}

/** Items removed from carts of sales in scope (audit 'item_cancel', written with the sale). */
export function cancelledItems(db: DatabaseSync): CountAndCents {
  const r = db.prepare(
    `SELECT COUNT(*) AS n, COALESCE(SUM(json_extract(a.details, '$.totalCents')), 0) AS c
     FROM audit_log a JOIN temp.report_scope r ON r.id = a.sale_id WHERE a.action = 'item_cancel'`,
  ).get()!;
  return { count: Number(r.n), cents: Number(r.c) };
}

/** Carts abandoned before payment (audit 'cart_cancel', no sale), by time and terminal. */
export function cancelledCarts(db: DatabaseSync, o: { terminalId?: string; fromMs: number; toMs: number }): CountAndCents {
  const r = db.prepare(
    `SELECT COUNT(*) AS n, COALESCE(SUM(json_extract(details, '$.totalCents')), 0) AS c FROM audit_log
     WHERE action = 'cart_cancel' AND at_ms >= ? AND at_ms < ? AND (? IS NULL OR json_extract(details, '$.terminalId') = ?)`,
  ).get(o.fromMs, o.toMs, o.terminalId ?? null, o.terminalId ?? null)!;
  return { count: Number(r.n), cents: Number(r.c) };
}
