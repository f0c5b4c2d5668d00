// One Focus budget per token across lanes. A lease hands a lane N request credits usable until it
// ends (released or expired). A lease stays charged against the token's budget until 60 s after it
// ends, weighing what it granted, or what the lane reported using once released. Every grant keeps
// charged + held ≤ the limit. Why that is enough: take any 60-second span of real requests and the
// lease among those used in it that was granted last; when it was granted, every other lease used in
// that span had not ended more than 60 s earlier, so all of them were charged together, and their
// requests in the span cannot exceed the limit minus what was held for the lanes' own spending.
//
// What a lane may spend on its own (without a lease), and what the store holds for it:
// - Its emergency RESERVE r (CREDIT_RESERVE_PER_LANE = 5 per minute, handed out at pairing while the
//   pool of CREDIT_RESERVE_POOL = 40 lasts, never changed after): at any time, store up or down, so a
//   cashier's note never waits. The lane counts the requests it sent without a lease over a sliding
//   60 s window and never lets them exceed r. The store holds every live lane's r back for good:
//   Σ r ≤ 40, so leases always have ≥ 60 of the 100 (a backlog lease ≥ 50: the last 10 are sales').
// - Its even SHARE s = limit / lanes (lanes as the store last told it), only when cut off for
//   FALLBACK_AFTER_MS (110 s) and until SHARE_LEASE_MS (10 min) after the store last answered it.
//   It spends s − r more than its reserve, for any work, counted apart over a sliding window, so a
//   backlog draining on the share never eats the sales' reserve (unleased ≤ r + (s − r) = s).
//   The store holds max(s, r) instead of r while the lane is silent (SILENT_AFTER_MS without a
//   request) or back for less than a window, and stops once its share lease ended a window ago.
//   A lease granted before the hold began ends, and leaves every window, before the lane's share
//   can start (30 + 5 + 15 + 60 = 110 s).
// So in any 60 s span: leased requests ≤ limit − Σ held, and each lane's own ≤ its held part
// (≤ r while in touch, ≤ max(s, r) while sharing): the sum stays ≤ 100 at Focus. Example, 4 lanes:
// r = 5 each, 20 held; a lane cut off sends up to 5 notes a minute at once, 25 after 110 s; the
// other three lease from 100 − 25 (its share) − 15 (their reserves) = 60 meanwhile.
// Backlogs (contingency drains) never take the last SALE_RESERVE credits and get at most
// BACKLOG_MAX_PER_LEASE at a time, so several lanes' backlogs drain in turn while sales go first.
import { randomUUID } from 'node:crypto';
import type { LeaseResponse, ReleaseRequest, RenewRequest } from '../shared/store/protocol.ts';
import {
  CONTACT_MARGIN_MS,
  FOCUS_LIMIT_PER_MINUTE,
  FOCUS_WINDOW_MS,
  LeaseRequest,
  SHARE_LEASE_MS,
  SILENT_AFTER_MS,
  STORE_PROTOCOL_VERSION,
  StoreError,
} from '../shared/store/protocol.ts';
import type { Clock } from './clock.ts';
import { type Db, type Tx, inTransaction } from './db/pool.ts';

export const WINDOW_MS = FOCUS_WINDOW_MS;
const SALE_RESERVE = 10;
const BACKLOG_MAX_PER_LEASE = 20;
const MIN_RETRY_MS = 250;
const PRUNE_AFTER_MS = 10 * WINDOW_MS;

type Lease = ReturnType<typeof LeaseRequest.parse>;

async function grant(tx: Tx, at: number, laneId: string, req: Lease, limit: number): Promise<LeaseResponse> {
  // Serializes grants per token (the lock key is a hash of the token key), across store processes.
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [req.tokenKey]);
  // Leases that ended long ago can no longer weigh on any window: keep the table small.
  await tx.query('DELETE FROM credit_leases WHERE token_key = $1 AND expires_ms < $2', [req.tokenKey, at - PRUNE_AFTER_MS]);
  const charged = (
    await tx.query<{ charged: number; next_free_ms: number | null; lessees: number }>(
      `SELECT COALESCE(SUM(CASE WHEN ended_ms IS NOT NULL AND used IS NOT NULL THEN used ELSE granted END), 0)::bigint AS charged,
              MIN(LEAST(COALESCE(ended_ms, expires_ms), expires_ms) + $3)::bigint AS next_free_ms,
              COUNT(DISTINCT lane_id) FILTER (WHERE ended_ms IS NULL AND expires_ms > $2)::bigint AS lessees
         FROM credit_leases WHERE token_key = $1 AND expires_ms + $3 > $2 AND LEAST(COALESCE(ended_ms, expires_ms), expires_ms) + $3 > $2`,
      [req.tokenKey, at, WINDOW_MS],
    )
  ).rows[0]!;
  await tx.query('UPDATE lanes SET token_key = $2, fallback_share = COALESCE($3, fallback_share) WHERE id = $1', [laneId, req.tokenKey, req.share ?? null]);
  const shares = await laneBudget(tx, at, laneId, limit);
  const forSales = req.purpose === 'backlog' ? SALE_RESERVE : 0;
  const cap = req.purpose === 'backlog' ? BACKLOG_MAX_PER_LEASE : req.want;
  const granted = Math.max(0, Math.min(req.want, cap, limit - forSales - charged.charged - shares.held));
  const budget = {
    limitPerMinute: limit,
    committed: charged.charged + shares.held + granted,
    lessees: charged.lessees,
    lanes: shares.lanes,
    reserve: shares.reserve,
  };
  if (granted === 0) {
    // Held back for a silent lane: look again in a second (it may speak up, or its hold end).
    const retryAfterMs = Math.max(MIN_RETRY_MS, Math.min((charged.next_free_ms ?? at + 1_000) - at, shares.sharesHeld > 0 ? 1_000 : Infinity));
    return { protocol: STORE_PROTOCOL_VERSION, leaseId: null, granted: 0, expiresAtMs: at, retryAfterMs, budget };
  }
  const id = randomUUID();
  const expires = at + req.leaseMs;
  await tx.query('INSERT INTO credit_leases (id, token_key, lane_id, purpose, granted, granted_ms, expires_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
    id,
    req.tokenKey,
    laneId,
    req.purpose,
    granted,
    at,
    expires,
  ]);
  return { protocol: STORE_PROTOCOL_VERSION, leaseId: id, granted, expiresAtMs: expires, retryAfterMs: 0, budget };
}

/**
 * How the token's budget stands for the lanes that share it with `laneId` (one count for the grant
 * and the pull answer): how many lanes, what is held back for them, and this lane's own reserve.
 * Held per lane: its emergency reserve, always (it may spend it at any time); and while it is silent,
 * or back for less than a window, the larger of that and its even share — but only while its share
 * lease runs (SHARE_LEASE_MS after the store last heard from it, plus the contact margin and a
 * window for the requests it sent just before the lease ended). A lane that never said its share is
 * held at the limit over its terminal number (it knows at least that many lanes). Lanes on another
 * token do not count; a lane that never leased counts with every token.
 */
async function laneBudget(q: Pick<Db, 'query'>, at: number, laneId: string, limit: number): Promise<LaneBudget> {
  const r = (
    await q.query<{ lanes: number; held: number; shares: number; reserve: number }>(
      `WITH o AS (
         SELECT o.*, COALESCE(o.last_seen_ms, o.paired_ms) AS seen_ms,
                COALESCE(o.fallback_share, $3::int / GREATEST(1, COALESCE(substring(o.terminal_id from '\\d+$')::int, 1))) AS share
           FROM lanes o, lanes me
          WHERE me.id = $1 AND NOT o.revoked AND (o.token_key IS NULL OR me.token_key IS NULL OR o.token_key = me.token_key)),
       h AS (
         SELECT o.*, (seen_ms + $4 <= $2 OR fallback_until_ms > $2) AND seen_ms + $5 > $2 AS sharing FROM o)
       SELECT COUNT(*)::bigint AS lanes,
              COALESCE(SUM(CASE WHEN sharing THEN GREATEST(share, credit_reserve) ELSE credit_reserve END), 0)::bigint AS held,
              COALESCE(SUM(CASE WHEN sharing THEN GREATEST(share - credit_reserve, 0) ELSE 0 END), 0)::bigint AS shares,
              COALESCE(MAX(credit_reserve) FILTER (WHERE id = $1), 0)::bigint AS reserve
         FROM h`,
      [laneId, at, limit, SILENT_AFTER_MS, SHARE_LEASE_MS + CONTACT_MARGIN_MS + FOCUS_WINDOW_MS],
    )
  ).rows[0]!;
  return { lanes: Math.max(1, Number(r.lanes)), held: Math.min(limit, Number(r.held)), sharesHeld: Number(r.shares), reserve: Number(r.reserve) };
}

interface LaneBudget {
  lanes: number;
  /** Reserves and the shares of silent lanes, together. */
  held: number;
  /** Of `held`, what silent lanes' shares add to their reserves (it may come free any second). */
  sharesHeld: number;
  /** This lane's own emergency reserve. */
  reserve: number;
}

/**
 * Every authenticated lane request: the store heard from the lane. One back from a silence may have
 * spent its share until its request left: that share stays held back for a window after it.
 */
export async function noteLaneSeen(db: Db, laneId: string, at: number): Promise<void> {
  await db.query(
    `UPDATE lanes SET
       fallback_until_ms = CASE WHEN last_seen_ms IS NULL OR last_seen_ms + $3 <= $2
                                THEN GREATEST(COALESCE(fallback_until_ms, 0), $2 + $4) ELSE fallback_until_ms END,
       last_seen_ms = GREATEST(COALESCE(last_seen_ms, 0), $2)
     WHERE id = $1`,
    [laneId, at, SILENT_AFTER_MS, FOCUS_WINDOW_MS + CONTACT_MARGIN_MS],
  );
}

export class CreditLeases {
  readonly #db: Db;
  readonly #now: Clock;
  readonly #limit: number;

  constructor(db: Db, now: Clock, limit = FOCUS_LIMIT_PER_MINUTE) {
    this.#db = db;
    this.#now = now;
    this.#limit = limit;
  }

  /**
   * Every pull tells the lane how many lanes share its token, so a lane that never leases still
   * learns of a lane paired after it and stops claiming the whole limit as its fallback share, and
   * its reserve. The lane says the share it holds now; until it says the smaller one, the store
   * holds the larger of the two.
   */
  async forPull(laneId: string, share: number | undefined): Promise<{ lanes: number; reserve: number }> {
    const b = await laneBudget(this.#db, this.#now(), laneId, this.#limit);
    const told = Math.max(1, Math.floor(this.#limit / b.lanes));
    await this.#db.query('UPDATE lanes SET fallback_share = GREATEST(COALESCE($2::int, fallback_share, $3::int), $3::int) WHERE id = $1', [
      laneId,
      share ?? null,
      told,
    ]);
    return { lanes: b.lanes, reserve: b.reserve };
  }

  lease(laneId: string, input: unknown): Promise<LeaseResponse> {
    const req = LeaseRequest.parse(input);
    return inTransaction(this.#db, (tx) => grant(tx, this.#now(), laneId, req, this.#limit));
  }

  /** Ends the lease with what it used and grants a new one for the same token and purpose. */
  renew(laneId: string, req: RenewRequest): Promise<LeaseResponse> {
    return inTransaction(this.#db, async (tx) => {
      const at = this.#now();
      const old = await this.#end(tx, laneId, req.leaseId, req.used, at);
      return grant(
        tx,
        at,
        laneId,
        { protocol: STORE_PROTOCOL_VERSION, tokenKey: old.token_key, want: req.want, purpose: old.purpose, leaseMs: old.lease_ms },
        this.#limit,
      );
    });
  }

  async release(laneId: string, req: ReleaseRequest): Promise<boolean> {
    return inTransaction(this.#db, async (tx) => {
      await this.#end(tx, laneId, req.leaseId, req.used, this.#now());
      return true;
    });
  }

  async #end(tx: Tx, laneId: string, leaseId: string, used: number, at: number): Promise<{ token_key: string; purpose: 'sale' | 'backlog'; lease_ms: number }> {
    const row = (
      await tx.query<{ token_key: string; purpose: 'sale' | 'backlog'; lease_ms: number }>(
        `UPDATE credit_leases SET ended_ms = LEAST($3::bigint, expires_ms), used = $4 WHERE id = $1 AND lane_id = $2 AND ended_ms IS NULL
         RETURNING token_key, purpose, (expires_ms - granted_ms)::bigint AS lease_ms`,
        [leaseId, laneId, at, used],
      )
    ).rows[0];
    if (row === undefined) throw new StoreError('lease_not_found');
    return row;
  }
}
