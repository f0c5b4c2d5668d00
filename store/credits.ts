// One Focus budget per token across lanes. A lease hands a lane N request credits usable until it
// ends (released or expired). A lease stays charged against the token's budget until 60 s after it
// ends, weighing what it granted, or what the lane reported using once released. Every grant keeps
// the charged sum ≤ the limit. Why that is enough: take any 60-second span of real requests and the
// lease among those used in it that was granted last; when it was granted, every other lease used in
// that span had not ended more than 60 s earlier, so all of them were charged together, and their
// requests in the span cannot exceed the limit.
// Backlogs (contingency drains) never take the last SALE_RESERVE credits and get at most
// BACKLOG_MAX_PER_LEASE at a time, so several lanes' backlogs drain in turn while sales go first.
import { randomUUID } from 'node:crypto';
import type { LeaseResponse, ReleaseRequest, RenewRequest } from '../shared/store/protocol.ts';
import { FOCUS_LIMIT_PER_MINUTE, LeaseRequest, STORE_PROTOCOL_VERSION, StoreError } from '../shared/store/protocol.ts';
import type { Clock } from './clock.ts';
import { type Db, type Tx, inTransaction } from './db/pool.ts';

export const WINDOW_MS = 60_000;
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
  const reserve = req.purpose === 'backlog' ? SALE_RESERVE : 0;
  const cap = req.purpose === 'backlog' ? BACKLOG_MAX_PER_LEASE : req.want;
  const granted = Math.max(0, Math.min(req.want, cap, limit - reserve - charged.charged));
  const budget = { limitPerMinute: limit, committed: charged.charged + granted, lessees: charged.lessees };
  if (granted === 0) {
    const retryAfterMs = Math.max(MIN_RETRY_MS, (charged.next_free_ms ?? at) - at);
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

export class CreditLeases {
  readonly #db: Db;
  readonly #now: Clock;
  readonly #limit: number;

  constructor(db: Db, now: Clock, limit = FOCUS_LIMIT_PER_MINUTE) {
    this.#db = db;
    this.#now = now;
    this.#limit = limit;
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
