// The manager's report over local days [from, to]: every figure from one materialised scope.
import type { DatabaseSync } from 'node:sqlite';
import type { PeriodReport } from '../../shared/register/period.ts';
import { byDay, byHour, byMethod, byOperator, cancelledCarts, cancelledItems, cube, numbering, scopeTotals, topProducts } from './figures.ts';
import { materialiseScope } from './scope.ts';

/** Local midnight of a YYYY-MM-DD day, epoch ms (the process runs in the shop's time zone). */
export function localDayStartMs(day: string, plusDays = 0): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + plusDays).getTime();
}

export function periodReport(db: DatabaseSync, q: { from: string; to: string; names: (id: string) => string; top?: number }): PeriodReport {
  materialiseScope(db, { fromDay: q.from, toDay: q.to });
  const rows = cube(db);
  const t = scopeTotals(rows);
  const endMs = localDayStartMs(q.to, 1);
  return {
    from: q.from,
    to: q.to,
    sales: t.sales,
    averageCents: t.sales.count > 0 ? Math.round(t.sales.cents / t.sales.count) : 0,
    discounts: t.discounts,
    cancelledNotes: t.cancelledNotes,
    cancelledItems: cancelledItems(db),
    cancelledSales: cancelledCarts(db, { fromMs: localDayStartMs(q.from), toMs: endMs }),
    contingencyPending: t.contingencyPending,
    byHour: byHour(rows),
    byDay: byDay(rows),
    byMethod: byMethod(db, t.sales.changeCents),
    byOperator: byOperator(rows, q.names),
    topProducts: topProducts(db, q.top ?? 10),
    numbering: numbering(db),
  };
}
