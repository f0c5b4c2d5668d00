// The outbox's other end against a real PostgreSQL: at-least-once pushes deduplicated by event id
// and seq, reordered batches, gaps answered with the seq to resend from, conflicting history
// refused, concurrent retries of one batch, and the store's totals exactly the sum of what was sold.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { STORE_ROUTES } from '../../../shared/store/protocol.ts';
import { seededRandom } from '../../fixtures/seeded-random.ts';
import { event, salePayload, useStore } from './store-harness.ts';

const { h } = useStore();

const push = (cred: string, events: object[], extra: object = {}) => h.post(STORE_ROUTES.events, cred, { events, ...extra });
const saleCount = async (laneId: string) =>
  (await h.store.db.query('SELECT COUNT(*)::int AS n, COALESCE(SUM(total_cents), 0)::bigint AS t FROM sales WHERE lane_id = $1', [laneId])).rows[0];

describe('outbox push', () => {
  it('acknowledges the highest contiguous seq, dedups a resend and answers a gap with the seq to resend from', async () => {
    const lane = await h.pair('Caixa ack');
    const e = [1, 2, 3, 4, 5].map((seq) => event(seq, 'sale', salePayload({ totalCents: 1000 * seq })));

    const first = await push(lane.credential, e.slice(0, 3), { backlog: 2, sentAtMs: h.clock.ms - 1500 });
    expect(first.body).toMatchObject({ ackedSeq: 3, expectedSeq: 4, stored: 3, duplicates: 0, gap: false });

    // The answer was lost: the lane resends 1..3 with 4 and 5. Only 4 and 5 are new.
    const again = await push(lane.credential, e);
    expect(again.body).toMatchObject({ ackedSeq: 5, expectedSeq: 6, stored: 2, duplicates: 3, gap: false });
    expect(await saleCount(lane.laneId)).toEqual({ n: 5, t: 15_000 });

    // A batch that skips seq 6 stores nothing past the gap.
    const gap = await push(lane.credential, [event(7, 'audit', {}), event(8, 'audit', {})]);
    expect(gap.body).toMatchObject({ ackedSeq: 5, expectedSeq: 6, stored: 0, gap: true });
    // Reordered inside a batch: sorted by seq before storing.
    const reordered = await push(lane.credential, [event(8, 'audit', {}), event(6, 'audit', {}), event(7, 'audit', {})]);
    expect(reordered.body).toMatchObject({ ackedSeq: 8, stored: 3, gap: false });

    const state = (await h.get(STORE_ROUTES.lanes, h.admin)).body.lanes.find((l: any) => l.laneId === lane.laneId);
    expect(state).toMatchObject({ ackedSeq: 8, backlog: 2, clockSkewMs: 1500, lastPushMs: h.clock.ms, badEvents: 0 });
  });

  it('refuses a history that disagrees with what it stored (same seq, another id; an id reused) and changes nothing', async () => {
    const lane = await h.pair('Caixa conflito');
    const one = event(1, 'sale', salePayload({ totalCents: 500 }));
    await push(lane.credential, [one]);
    const other = await push(lane.credential, [event(1, 'sale', salePayload({ totalCents: 900 }))]);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('seq_conflict');
    const reused = await push(lane.credential, [{ ...event(2, 'audit', {}), id: one.id }]);
    expect(reused.body.error.code).toBe('seq_conflict');
    // Another lane cannot slip an event id that is already stored either.
    const lane2 = await h.pair('Caixa conflito 2');
    expect((await push(lane2.credential, [{ ...event(1, 'audit', {}), id: one.id }])).body.error.code).toBe('seq_conflict');
    expect(await saleCount(lane.laneId)).toEqual({ n: 1, t: 500 });
    const acked = (await h.get(STORE_ROUTES.lanes, h.admin)).body.lanes.find((l: any) => l.laneId === lane.laneId).ackedSeq;
    expect(acked).toBe(1);
  });

  it('keeps an event whose payload does not parse, flags it and leaves it out of the totals without blocking the outbox', async () => {
    const lane = await h.pair('Caixa ruim');
    const r = await push(lane.credential, [
      event(1, 'sale', { ...salePayload({ totalCents: 1 }), totalCents: 'muito' }),
      event(2, 'sale', salePayload({ totalCents: 700 })),
      event(3, 'novo_tipo', { a: 1 }),
    ]);
    expect(r.body).toMatchObject({ ackedSeq: 3, stored: 3 });
    expect(await saleCount(lane.laneId)).toEqual({ n: 1, t: 700 });
    const state = (await h.get(STORE_ROUTES.lanes, h.admin)).body.lanes.find((l: any) => l.laneId === lane.laneId);
    expect(state.badEvents).toBe(1);
    const bad = (await h.store.db.query('SELECT projection_error FROM events WHERE lane_id = $1 AND seq = 1', [lane.laneId])).rows[0].projection_error;
    expect(bad).toBe('totalCents: invalid_type');
  });

  it('a random mix of duplicated, reordered, overlapping and concurrent pushes from three lanes adds up exactly', async () => {
    const rnd = seededRandom(16);
    const lanes = await Promise.all(['A', 'B', 'C'].map((n) => h.pair(`Caixa ${n}`)));
    const expected = new Map<string, { n: number; t: number }>();
    const outboxes = lanes.map((lane) => {
      const events = Array.from({ length: 120 }, (_, i) => {
        const total = 100 + Math.floor(rnd() * 50_000);
        return event(i + 1, 'sale', salePayload({ totalCents: total }));
      });
      const sum = events.reduce((a, e) => a + (e.payload as { totalCents: number }).totalCents, 0);
      expected.set(lane.laneId, { n: events.length, t: sum });
      return { lane, events };
    });
    // Each lane pushes random windows (starting at or before what it believes is acked, sometimes
    // past it), shuffled, with a concurrent duplicate of some, until the store has everything.
    await Promise.all(
      outboxes.map(async ({ lane, events }) => {
        let acked = 0;
        for (let round = 0; acked < events.length && round < 500; round++) {
          const from = Math.max(0, acked - Math.floor(rnd() * 5) + (rnd() < 0.15 ? 3 : 0));
          const batch = events.slice(from, from + 1 + Math.floor(rnd() * 20)).sort(() => rnd() - 0.5);
          if (batch.length === 0) continue;
          const sends = rnd() < 0.3 ? [push(lane.credential, batch), push(lane.credential, batch)] : [push(lane.credential, batch)];
          for (const r of await Promise.all(sends)) {
            expect(r.status).toBe(200);
            acked = Math.max(acked, r.body.ackedSeq);
          }
        }
        expect(acked).toBe(events.length);
      }),
    );
    for (const { lane } of outboxes) expect(await saleCount(lane.laneId)).toEqual(expected.get(lane.laneId));
    const stored = (await h.store.db.query('SELECT COUNT(*)::int AS n FROM events WHERE lane_id = ANY($1)', [lanes.map((l) => l.laneId)])).rows[0].n;
    expect(stored).toBe(360);
  });

  it('a sale sent twice under two event ids counts once; an emission update moves it to cancelled', async () => {
    const lane = await h.pair('Caixa cancel');
    const sale = salePayload({ saleId: randomUUID(), totalCents: 4200 });
    await push(lane.credential, [event(1, 'sale', sale), event(2, 'sale', sale)]);
    expect(await saleCount(lane.laneId)).toEqual({ n: 1, t: 4200 });
    await push(lane.credential, [event(3, 'sale_emission', { saleId: sale.saleId, state: 'cancelled', serie: 1, number: 1, atMs: 1 })]);
    expect((await h.store.db.query('SELECT state FROM sales WHERE lane_id = $1', [lane.laneId])).rows[0].state).toBe('cancelled');
  });
});
