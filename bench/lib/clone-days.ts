// Bench set-up: a journal holding one day of sales written through the real journal (the seeded
// generator) is copied onto the following days by SQL, a few statements in one transaction. Writing
// 100,000 sales one commit at a time took minutes of the bench's run; the copies keep every row the
// reports read (sales, items, payments, attempts, audit), only moved in time and renumbered.
import type { DatabaseSync } from 'node:sqlite';

/** Column list of a table with some columns replaced by expressions over the source row `t`. */
function columns(db: DatabaseSync, table: string, replace: Record<string, string>, omit: string[] = []): { names: string; exprs: string } {
  const cols = db
    .prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`)
    .all(table)
    .map((r) => String(r.name))
    .filter((c) => !omit.includes(c));
  return { names: cols.join(', '), exprs: cols.map((c) => replace[c] ?? `t.${c}`).join(', ') };
}

/**
 * Copies every sale of the journal (expected: one local day) `days - 1` times, day after day. Números
 * of copy d are moved up by d × 1,000,000 so each série stays distinct. Returns the sales in the file.
 */
export function cloneDays(db: DatabaseSync, days: number, utcOffsetHours: number): number {
  const saleStride = Number(db.prepare('SELECT MAX(id) AS n FROM sales').get()!.n);
  const emissionStride = Number(db.prepare('SELECT MAX(id) AS n FROM emissions').get()!.n);
  // The shop's time zone has no daylight saving (Brazil since 2019): a day is 24 h of epoch ms.
  const dayMs = 86_400_000;
  const offset = `${utcOffsetHours < 0 ? '-' : '+'}${String(Math.abs(utcOffsetHours)).padStart(2, '0')}:00`;
  const sales = columns(db, 'sales', {
    id: 't.id + $d * $saleStride',
    client_id: "t.client_id || '_d' || $d",
    created_ms: 't.created_ms + $d * $dayMs',
    created_at: `strftime('%Y-%m-%dT%H:%M:%S', (t.created_ms + $d * $dayMs) / 1000, 'unixepoch', '${utcOffsetHours} hours') || '${offset}'`,
    local_day: "date(t.local_day, '+' || $d || ' days')",
  });
  const bySale = (table: string) => columns(db, table, { sale_id: 't.sale_id + $d * $saleStride' });
  const items = bySale('sale_items');
  const payments = bySale('payments');
  const emissions = columns(db, 'emissions', {
    id: 't.id + $d * $emissionStride',
    sale_id: 't.sale_id + $d * $saleStride',
    ref: "t.ref || '_d' || $d",
    created_ms: 't.created_ms + $d * $dayMs',
    updated_ms: 't.updated_ms + $d * $dayMs',
    numero: 'CASE WHEN t.numero IS NULL THEN NULL ELSE CAST(CAST(t.numero AS INTEGER) + $d * 1000000 AS TEXT) END',
  });
  const audit = columns(
    db,
    'audit_log',
    { at_ms: 't.at_ms + $d * $dayMs', sale_id: 'CASE WHEN t.sale_id IS NULL THEN NULL ELSE t.sale_id + $d * $saleStride END' },
    ['id'],
  );
  const statements = [
    `INSERT INTO sales(${sales.names}) SELECT ${sales.exprs} FROM sales t WHERE t.id <= $saleStride`,
    `INSERT INTO sale_items(${items.names}) SELECT ${items.exprs} FROM sale_items t WHERE t.sale_id <= $saleStride`,
    `INSERT INTO payments(${payments.names}) SELECT ${payments.exprs} FROM payments t WHERE t.sale_id <= $saleStride`,
    `INSERT INTO emissions(${emissions.names}) SELECT ${emissions.exprs} FROM emissions t WHERE t.id <= $emissionStride`,
    // The template day's audit rows (item and cart cancellations, sale entries), by their time.
    `INSERT INTO audit_log(${audit.names}) SELECT ${audit.exprs} FROM audit_log t WHERE t.at_ms < $templateEnd`,
  ].map((sql) => {
    const st = db.prepare(sql);
    st.setAllowUnknownNamedParameters(true);
    return st;
  });
  const templateEnd = Number(db.prepare('SELECT MAX(at_ms) AS m FROM audit_log').get()!.m) + 1;
  db.exec('BEGIN');
  try {
    for (let d = 1; d < days; d++) for (const st of statements) st.run({ d, saleStride, dayMs, emissionStride, templateEnd });
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
  return Number(db.prepare('SELECT COUNT(*) AS n FROM sales').get()!.n);
}
