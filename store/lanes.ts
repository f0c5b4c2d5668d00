// Each lane's sync state as the store sees it (last push, backlog the lane reported, last pull).
import type { LanesResponse } from '../shared/store/protocol.ts';
import { STORE_PROTOCOL_VERSION } from '../shared/store/protocol.ts';
import type { Db } from './db/pool.ts';
import { latestVersion } from './records.ts';

export async function laneStates(db: Db): Promise<LanesResponse> {
  const rows = (
    await db.query<{
      id: string;
      name: string;
      terminal_id: string;
      contingency_serie: number;
      paired_ms: number;
      acked_seq: number;
      last_push_ms: number | null;
      backlog: number | null;
      last_pull_ms: number | null;
      last_pull_cursor: number | null;
      clock_skew_ms: number | null;
      bad_events: number;
      revoked: boolean;
    }>('SELECT * FROM lanes ORDER BY terminal_id')
  ).rows;
  return {
    protocol: STORE_PROTOCOL_VERSION,
    catalogVersion: await latestVersion(db),
    lanes: rows.map((r) => ({
      laneId: r.id,
      name: r.name,
      terminalId: r.terminal_id,
      contingencySerie: String(r.contingency_serie),
      pairedMs: r.paired_ms,
      ackedSeq: r.acked_seq,
      lastPushMs: r.last_push_ms,
      backlog: r.backlog,
      lastPullMs: r.last_pull_ms,
      lastPullCursor: r.last_pull_cursor,
      clockSkewMs: r.clock_skew_ms,
      badEvents: r.bad_events,
      revoked: r.revoked,
    })),
  };
}

export async function notePull(db: Db, laneId: string, at: number, cursor: number): Promise<void> {
  await db.query('UPDATE lanes SET last_pull_ms = $2, last_pull_cursor = $3 WHERE id = $1', [laneId, at, cursor]);
}

/** A revoked lane's credential and manager sessions stop working at once; its allocation stays. */
export async function revokeLane(db: Db, laneId: string): Promise<boolean> {
  const r = await db.query('UPDATE lanes SET revoked = true WHERE id = $1 AND NOT revoked', [laneId]);
  return (r.rowCount ?? 0) > 0;
}
