// What the reports read, written in the same transaction as the event that feeds it: one row per
// sale (with its payments and items), per register session and per movement. A payload that does
// not parse is kept in `events` with the reason and left out of the totals (the lane validates with
// the same shared schemas before enqueueing, so this is a lane bug, never a silent loss).
import { RegisterMovementPayload, RegisterSessionPayload, SaleEmissionPayload, SaleEventPayload, zodIssuesText } from '../shared/store/protocol.ts';
import type { Tx } from './db/pool.ts';

/** Applies one event; returns why it could not be projected, or null. */
export async function project(tx: Tx, laneId: string, kind: string, payload: unknown): Promise<string | null> {
  switch (kind) {
    case 'sale': {
      const p = SaleEventPayload.safeParse(payload);
      if (!p.success) return zodIssuesText(p.error);
      await projectSale(tx, laneId, p.data);
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
        `INSERT INTO register_sessions (lane_id, session_id, day, opened_ms, opened_by, opening_cents, closed_ms, z_number)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (lane_id, session_id) DO UPDATE SET closed_ms = EXCLUDED.closed_ms, z_number = EXCLUDED.z_number`,
        [laneId, s.sessionId, s.day, s.openedMs, s.openedBy, s.openingCents, s.closedMs, s.zNumber],
      );
      return null;
    }
    case 'register_movement': {
      const p = RegisterMovementPayload.safeParse(payload);
      if (!p.success) return zodIssuesText(p.error);
      const m = p.data;
      await tx.query(
        `INSERT INTO register_movements (lane_id, movement_id, session_id, day, kind, amount_cents, reason, operator_id, manager_id, at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
        [laneId, m.movementId, m.sessionId, m.day, m.kind, m.amountCents, m.reason, m.operatorId, m.managerId, m.atMs],
      );
      return null;
    }
    default:
      return null;
  }
}

async function projectSale(tx: Tx, laneId: string, s: SaleEventPayload): Promise<void> {
  const r = await tx.query(
    `INSERT INTO sales (lane_id, sale_id, day, at_ms, operator_id, session_id, gross_cents, discount_cents, total_cents, change_cents, state, serie, number)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT DO NOTHING`,
    [
      laneId,
      s.saleId,
      s.day,
      s.atMs,
      s.operatorId,
      s.sessionId,
      s.grossCents,
      s.discountCents,
      s.totalCents,
      s.changeCents,
      s.emission.state,
      s.emission.serie,
      s.emission.number,
    ],
  );
  // The same sale sent twice under two event ids counts once.
  if (r.rowCount === 0) return;
  await tx.query(
    `INSERT INTO sale_payments (lane_id, sale_id, idx, method, amount_cents)
     SELECT $1, $2, i - 1, m, a FROM unnest($3::text[], $4::bigint[]) WITH ORDINALITY AS t(m, a, i)`,
    [laneId, s.saleId, s.payments.map((p) => p.method), s.payments.map((p) => p.amountCents)],
  );
  if (s.items.length > 0) {
    await tx.query(
      `INSERT INTO sale_items (lane_id, sale_id, idx, product_id, cfop, qty_e4, total_cents)
       SELECT $1, $2, i - 1, p, c, q, t FROM unnest($3::text[], $4::text[], $5::bigint[], $6::bigint[]) WITH ORDINALITY AS x(p, c, q, t, i)`,
      [laneId, s.saleId, s.items.map((i) => i.productId), s.items.map((i) => i.cfop), s.items.map((i) => i.qtyE4), s.items.map((i) => i.totalCents)],
    );
  }
}
