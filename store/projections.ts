// What the reports read, written in the same transaction as the event that feeds it: one row per
// sale (with its payments and items), per register session and per movement. A payload that does
// not parse is kept in `events` with the reason and left out of the totals (the lane validates with
// the same shared schemas before enqueueing, so this is a lane bug, never a silent loss).
import { RegisterMovementPayload, RegisterSessionPayload, SaleEmissionPayload, SaleEventPayload, zodIssuesText } from '../shared/store/protocol.ts';
import type { Tx } from './db/pool.ts';

/** Applies one event; returns why it could not be projected, or null. */
async function project(tx: Tx, laneId: string, generation: number, kind: string, payload: unknown): Promise<string | null> {
  switch (kind) {
    case 'sale': {
      const p = SaleEventPayload.safeParse(payload);
      if (!p.success) return zodIssuesText(p.error);
      await projectSales(tx, laneId, [p.data]);
      return null;
    }
    case 'sale_emission': {
      const p = SaleEmissionPayload.safeParse(payload);
      if (!p.success) return zodIssuesText(p.error);
      const r = await tx.query('UPDATE sales SET state = $3, serie = $4, number = $5 WHERE lane_id = $1 AND sale_id = $2', [
        laneId,
        p.data.saleId,
        p.data.state,
        p.data.serie,
        p.data.number,
      ]);
      return r.rowCount === 0 ? `venda ${p.data.saleId} desconhecida` : null;
    }
    case 'register_session': {
      const p = RegisterSessionPayload.safeParse(payload);
      if (!p.success) return zodIssuesText(p.error);
      const s = p.data;
      await tx.query(
        `INSERT INTO register_sessions (lane_id, session_id, day, opened_ms, opened_by, opening_cents, closed_ms, z_number, generation)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (lane_id, generation, session_id) DO UPDATE SET closed_ms = EXCLUDED.closed_ms, z_number = EXCLUDED.z_number`,
        [laneId, s.sessionId, s.day, s.openedMs, s.openedBy, s.openingCents, s.closedMs, s.zNumber, generation],
      );
      return null;
    }
    case 'register_movement': {
      const p = RegisterMovementPayload.safeParse(payload);
      if (!p.success) return zodIssuesText(p.error);
      const m = p.data;
      await tx.query(
        `INSERT INTO register_movements (lane_id, movement_id, session_id, day, kind, amount_cents, reason, operator_id, manager_id, at_ms, generation)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
        [laneId, m.movementId, m.sessionId, m.day, m.kind, m.amountCents, m.reason, m.operatorId, m.managerId, m.atMs, generation],
      );
      return null;
    }
    default:
      return null;
  }
}

/**
 * Projects a run of events in order, with consecutive sales written in bulk (three statements for
 * any number of them); returns the seqs whose payload could not be projected, with the reason.
 */
export async function projectAll(
  tx: Tx,
  laneId: string,
  generation: number,
  events: readonly { seq: number; kind: string; payload: unknown }[],
): Promise<Map<number, string>> {
  const problems = new Map<number, string>();
  let sales: SaleEventPayload[] = [];
  const flush = async () => {
    if (sales.length > 0) await projectSales(tx, laneId, sales);
    sales = [];
  };
  for (const e of events) {
    if (e.kind === 'sale') {
      const p = SaleEventPayload.safeParse(e.payload);
      if (p.success) sales.push(p.data);
      else problems.set(e.seq, zodIssuesText(p.error));
      continue;
    }
    await flush();
    const problem = await project(tx, laneId, generation, e.kind, e.payload);
    if (problem !== null) problems.set(e.seq, problem);
  }
  await flush();
  return problems;
}

async function projectSales(tx: Tx, laneId: string, list: readonly SaleEventPayload[]): Promise<void> {
  const col = <T>(f: (s: SaleEventPayload) => T) => list.map(f);
  const inserted = new Set(
    (
      await tx.query<{ sale_id: string }>(
        `INSERT INTO sales (lane_id, sale_id, day, at_ms, operator_id, session_id, gross_cents, discount_cents, total_cents, change_cents, state, serie, number)
         SELECT $1, * FROM unnest($2::text[], $3::date[], $4::bigint[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[],
                                  $11::text[], $12::int[], $13::int[])
         ON CONFLICT DO NOTHING RETURNING sale_id`,
        [
          laneId,
          col((s) => s.saleId),
          col((s) => s.day),
          col((s) => s.atMs),
          col((s) => s.operatorId),
          col((s) => s.sessionId),
          col((s) => s.grossCents),
          col((s) => s.discountCents),
          col((s) => s.totalCents),
          col((s) => s.changeCents),
          col((s) => s.emission.state),
          col((s) => s.emission.serie),
          col((s) => s.emission.number),
        ],
      )
    ).rows.map((r) => r.sale_id),
  );
  // The same sale sent twice (two event ids, or twice in this run) counts once: only the first
  // occurrence of a sale that was really inserted brings its payments and items.
  const fresh: SaleEventPayload[] = [];
  for (const s of list) {
    if (!inserted.delete(s.saleId)) continue;
    fresh.push(s);
  }
  const pays = fresh.flatMap((s) => s.payments.map((p, i) => ({ id: s.saleId, i, ...p })));
  if (pays.length > 0) {
    await tx.query(
      `INSERT INTO sale_payments (lane_id, sale_id, idx, method, amount_cents) SELECT $1, * FROM unnest($2::text[], $3::int[], $4::text[], $5::bigint[])`,
      [laneId, pays.map((p) => p.id), pays.map((p) => p.i), pays.map((p) => p.method), pays.map((p) => p.amountCents)],
    );
  }
  const items = fresh.flatMap((s) => s.items.map((it, i) => ({ id: s.saleId, i, ...it })));
  if (items.length > 0) {
    await tx.query(
      `INSERT INTO sale_items (lane_id, sale_id, idx, product_id, cfop, qty_e4, total_cents)
       SELECT $1, * FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::bigint[], $7::bigint[])`,
      [
        laneId,
        items.map((x) => x.id),
        items.map((x) => x.i),
        items.map((x) => x.productId),
        items.map((x) => x.cfop),
        items.map((x) => x.qtyE4),
        items.map((x) => x.totalCents),
      ],
    );
  }
}
