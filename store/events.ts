// The outbox's other end. A batch is stored in one transaction holding the lane's row lock, so two
// pushes of one lane (a retry racing its original) are serialized. Events are taken in seq order:
// seq ≤ ackedSeq is a duplicate (acknowledged again once its id is checked), ackedSeq + 1 is stored
// and projected, anything past that is a gap and stops the batch. Each stored event moves ackedSeq.
import type { OutboxEvent, PushAck, PushRequest } from '../shared/store/protocol.ts';
import { STORE_PROTOCOL_VERSION, StoreError } from '../shared/store/protocol.ts';
import type { Clock } from './clock.ts';
import { type Db, inTransaction } from './db/pool.ts';
import { projectAll } from './projections.ts';

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

    // The run that extends the stored history: ackedSeq + 1, + 2, … up to the first gap.
    const run: OutboxEvent[] = [];
    for (const e of events) {
      if (e.seq <= acked) continue;
      const last = run.at(-1);
      if (last !== undefined && last.seq === e.seq) {
        // The same seq twice inside one batch must be the same event.
        if (last.id !== e.id) throw new StoreError('seq_conflict');
        duplicates++;
        continue;
      }
      if (e.seq !== acked + run.length + 1) {
        gap = true;
        break;
      }
      run.push(e);
    }
    if (run.length > 0) {
      const ins = await tx.query(
        `INSERT INTO events (lane_id, seq, id, kind, at_ms, payload, received_ms)
         SELECT $1, * , $7::bigint FROM unnest($2::bigint[], $3::uuid[], $4::text[], $5::bigint[], $6::jsonb[])
         ON CONFLICT DO NOTHING`,
        [
          laneId,
          run.map((e) => e.seq),
          run.map((e) => e.id),
          run.map((e) => e.kind),
          run.map((e) => e.atMs),
          run.map((e) => JSON.stringify(e.payload)),
          received,
        ],
      );
      // An id already stored under another seq (or by another lane): the lane's outbox and the store
      // disagree about history. Refuse the whole batch rather than count it twice or drop it.
      if (ins.rowCount !== run.length) throw new StoreError('seq_conflict');
      const problems = await projectAll(tx, laneId, run);
      bad = problems.size;
      if (bad > 0) {
        await tx.query('UPDATE events SET projection_error = t.p FROM unnest($2::bigint[], $3::text[]) AS t(s, p) WHERE lane_id = $1 AND seq = t.s', [
          laneId,
          [...problems.keys()],
          [...problems.values()],
        ]);
      }
      stored = run.length;
      acked += run.length;
    }

    await tx.query(
      `UPDATE lanes SET acked_seq = $2, last_push_ms = $3, backlog = COALESCE($4, backlog),
         clock_skew_ms = COALESCE($5, clock_skew_ms), bad_events = bad_events + $6 WHERE id = $1`,
      [laneId, acked, received, req.backlog ?? null, req.sentAtMs === undefined ? null : received - req.sentAtMs, bad],
    );
    return { protocol: STORE_PROTOCOL_VERSION, ackedSeq: acked, expectedSeq: acked + 1, stored, duplicates, gap, serverTimeMs: received };
  });
}
