// The outbox's other end. A batch is stored in one transaction holding the lane's row lock, so two
// pushes of one lane (a retry racing its original) are serialized. Events are taken in seq order:
// seq ≤ ackedSeq is a duplicate (acknowledged again once its id is checked), ackedSeq + 1 is stored
// and projected, anything past that is a gap and stops the batch. Each stored event moves ackedSeq.
//
// Histories (generations): a lane whose journal was restored from an older copy numbers seqs again
// from where the copy ended, so its new events collide with seqs the store already holds. The lane
// then starts a new history under a fresh journal id from its first unacknowledged row; the store
// numbers it (generation 1, 2, …) and from then on deduplicates by event id across all of the
// lane's histories: an event it already holds is acknowledged, never stored or counted twice.
// A push for any other history than the lane's current one is refused with seq_conflict.
import type { OutboxEvent, PushAck, PushRequest } from '../shared/store/protocol.ts';
import { STORE_PROTOCOL_VERSION, StoreError } from '../shared/store/protocol.ts';
import type { Clock } from './clock.ts';
import { type Db, type Tx, inTransaction } from './db/pool.ts';
import { projectAll } from './projections.ts';

interface LaneHistory {
  acked: number;
  generation: number;
}

/** The lane's current history, starting a new one when the push names a journal the store has not seen. */
async function history(tx: Tx, laneId: string, at: number, req: PushRequest): Promise<LaneHistory> {
  const lane = (
    await tx.query<{ acked_seq: number; generation: number; journal_id: string | null }>(
      'SELECT acked_seq, generation, journal_id FROM lanes WHERE id = $1 FOR UPDATE',
      [laneId],
    )
  ).rows[0];
  if (lane === undefined) throw new StoreError('unauthorized');
  const journal = req.journal ?? null;
  if (journal === null) {
    if (lane.generation !== 0) throw new StoreError('seq_conflict');
    return { acked: lane.acked_seq, generation: 0 };
  }
  if (journal.id === lane.journal_id) return { acked: lane.acked_seq, generation: lane.generation };
  const seen = await tx.query('SELECT 1 FROM lane_generations WHERE lane_id = $1 AND journal_id = $2', [laneId, journal.id]);
  // An older history of this lane (a stale copy of its journal still pushing): never again.
  if ((seen.rowCount ?? 0) > 0) throw new StoreError('seq_conflict');
  const generation = lane.generation + 1;
  const acked = journal.startSeq - 1;
  await tx.query('INSERT INTO lane_generations (lane_id, generation, journal_id, start_seq, started_ms) VALUES ($1, $2, $3, $4, $5)', [
    laneId,
    generation,
    journal.id,
    journal.startSeq,
    at,
  ]);
  await tx.query('UPDATE lanes SET generation = $2, journal_id = $3, acked_seq = $4 WHERE id = $1', [laneId, generation, journal.id, acked]);
  return { acked, generation };
}

export async function ingest(db: Db, now: Clock, laneId: string, req: PushRequest): Promise<PushAck> {
  const events = [...req.events].sort((a, b) => a.seq - b.seq);
  return inTransaction(db, async (tx) => {
    const received = now();
    const h = await history(tx, laneId, received, req);
    let acked = h.acked;
    let stored = 0;
    let duplicates = 0;
    let gap = false;
    let bad = 0;

    const old = events.filter((e) => e.seq <= acked);
    if (old.length > 0) {
      if (h.generation === 0) {
        const known = new Map(
          (
            await tx.query<{ seq: number; id: string }>('SELECT seq, id FROM events WHERE lane_id = $1 AND generation = 0 AND seq = ANY($2::bigint[])', [
              laneId,
              old.map((e) => e.seq),
            ])
          ).rows.map((r) => [r.seq, r.id]),
        );
        for (const e of old) {
          if (known.get(e.seq) !== e.id) throw new StoreError('seq_conflict');
          duplicates++;
        }
      } else {
        // A later history skips events the store held already, so its seqs may have no row: the id is what is checked.
        const known = await knownIds(
          tx,
          laneId,
          old.map((e) => e.id),
        );
        for (const e of old) if (!known.has(e.id)) throw new StoreError('seq_conflict');
        duplicates += old.length;
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
      // In a later history, events the lane's older history already brought are acknowledged, not stored again.
      const held =
        h.generation === 0
          ? new Set<string>()
          : await knownIds(
              tx,
              laneId,
              run.map((e) => e.id),
            );
      const fresh = run.filter((e) => !held.has(e.id));
      duplicates += run.length - fresh.length;
      if (fresh.length > 0) {
        const ins = await tx.query(
          `INSERT INTO events (lane_id, generation, seq, id, kind, at_ms, payload, received_ms)
           SELECT $1, $8::int, * , $7::bigint FROM unnest($2::bigint[], $3::uuid[], $4::text[], $5::bigint[], $6::jsonb[])
           ON CONFLICT DO NOTHING`,
          [
            laneId,
            fresh.map((e) => e.seq),
            fresh.map((e) => e.id),
            fresh.map((e) => e.kind),
            fresh.map((e) => e.atMs),
            fresh.map((e) => JSON.stringify(e.payload)),
            received,
            h.generation,
          ],
        );
        // An id already stored under another seq (or by another lane): the lane's outbox and the store
        // disagree about history. Refuse the whole batch rather than count it twice or drop it.
        if (ins.rowCount !== fresh.length) throw new StoreError('seq_conflict');
        const problems = await projectAll(tx, laneId, h.generation, fresh);
        bad = problems.size;
        if (bad > 0) {
          await tx.query(
            'UPDATE events SET projection_error = t.p FROM unnest($2::bigint[], $3::text[]) AS t(s, p) WHERE lane_id = $1 AND generation = $4 AND seq = t.s',
            [laneId, [...problems.keys()], [...problems.values()], h.generation],
          );
        }
      }
      stored = fresh.length;
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

/** Which of these event ids the store holds for this lane (any history); another lane's id is a conflict. */
async function knownIds(tx: Tx, laneId: string, ids: readonly string[]): Promise<Set<string>> {
  const rows = (await tx.query<{ id: string; lane_id: string }>('SELECT id, lane_id FROM events WHERE id = ANY($1::uuid[])', [ids])).rows;
  if (rows.some((r) => r.lane_id !== laneId)) throw new StoreError('seq_conflict');
  return new Set(rows.map((r) => r.id));
}
