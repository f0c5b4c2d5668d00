// The outbox's other end. A batch is stored in one transaction holding the lane's row lock, so two
// pushes of one lane (a retry racing its original) are serialized. Events are taken in seq order:
// seq ≤ ackedSeq is a duplicate (acknowledged again once its id is checked), ackedSeq + 1 is stored
// and projected, anything past that is a gap and stops the batch. Each stored event moves ackedSeq.
import type { OutboxEvent, PushAck, PushRequest } from '../shared/store/protocol.ts';
import { STORE_PROTOCOL_VERSION, StoreError } from '../shared/store/protocol.ts';
import type { Clock } from './clock.ts';
import { type Db, inTransaction } from './db/pool.ts';
import { project } from './projections.ts';

export async function ingest(db: Db, now: Clock, laneId: string, req: PushRequest): Promise<PushAck> {
  const events = [...req.events].sort((a, b) => a.seq - b.seq);
  return inTransaction(db, async (tx) => {
    const lane = (await tx.query<{ acked_seq: number }>('SELECT acked_seq FROM lanes WHERE id = $1 FOR UPDATE', [laneId])).rows[0];
    if (lane === undefined) throw new StoreError('unauthorized');
    let acked = lane.acked_seq;
    const received = now();
    let stored = 0;
    let duplicates = 0;
    let gap = false;
    let bad = 0;

    const old = events.filter((e) => e.seq <= acked);
    if (old.length > 0) {
      const known = new Map(
        (
          await tx.query<{ seq: number; id: string }>('SELECT seq, id FROM events WHERE lane_id = $1 AND seq = ANY($2::bigint[])', [
            laneId,
            old.map((e) => e.seq),
          ])
        ).rows.map((r) => [r.seq, r.id]),
      );
      for (const e of old) {
        if (known.get(e.seq) !== e.id) throw new StoreError('seq_conflict');
        duplicates++;
      }
    }

    let previous: OutboxEvent | null = null;
    for (const e of events) {
      if (e.seq <= acked) {
        // The same seq twice inside one batch must be the same event.
        if (previous !== null && previous.seq === e.seq && previous.id !== e.id) throw new StoreError('seq_conflict');
        previous = e;
        continue;
      }
      if (e.seq !== acked + 1) {
        gap = true;
        break;
      }
      const ins = await tx.query(
        'INSERT INTO events (lane_id, seq, id, kind, at_ms, payload, received_ms) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING',
        [laneId, e.seq, e.id, e.kind, e.atMs, e.payload, received],
      );
      // The id is already stored under another seq (or by another lane): the lane's outbox and the
      // store disagree about history. Refuse rather than count it twice or drop it.
      if (ins.rowCount === 0) throw new StoreError('seq_conflict');
      const problem = await project(tx, laneId, e.kind, e.payload);
      if (problem !== null) {
        bad++;
        await tx.query('UPDATE events SET projection_error = $3 WHERE lane_id = $1 AND seq = $2', [laneId, e.seq, problem]);
      }
      acked = e.seq;
      stored++;
      previous = e;
    }

    await tx.query(
      `UPDATE lanes SET acked_seq = $2, last_push_ms = $3, backlog = COALESCE($4, backlog),
         clock_skew_ms = COALESCE($5, clock_skew_ms), bad_events = bad_events + $6 WHERE id = $1`,
      [laneId, acked, received, req.backlog ?? null, req.sentAtMs === undefined ? null : received - req.sentAtMs, bad],
    );
    return { protocol: STORE_PROTOCOL_VERSION, ackedSeq: acked, expectedSeq: acked + 1, stored, duplicates, gap, serverTimeMs: received };
  });
}
