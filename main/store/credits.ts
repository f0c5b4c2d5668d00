// The credit port in front of the Focus scheduler (main/emission/scheduler.ts): how many requests
// this lane may still send, per scheduler lane. The token's budget (100 per minute) is shared by
// every lane of the shop, and the Rate-Limit headers only tell each lane after the fact.
//
// - Paired with a reachable store: credits are LEASED from the store (shared/store/protocol.ts
//   credits routes). A sale lease feeds the 'emission' lane; a backlog lease feeds 'resolve' and
//   'background' (contingency drains, follow-ups), so the store can let backlogs drain in turn while
//   sales go first. Leases are small, renewed before they run out, and released with what was used.
// - Paired, store up or not: the 'emission' lane may also spend the lane's emergency RESERVE (5 per
//   minute, from the store), counted over a sliding 60 s window of what it sent without a lease —
//   the store holds it back for good, so a cashier's note never waits for the store.
// - Store not configured: the whole limit (a lane alone, exactly today's behaviour).
// - Paired but cut off: an even share s of the limit, limit / known lane count: the reserve r plus
//   s − r for any work, counted over its own sliding 60 s window — but only once the store has not
//   answered for FALLBACK_AFTER_MS, and only until SHARE_LEASE_MS after its last answer (the store
//   stops holding the share of a lane switched off). The arithmetic is in store/credits.ts.
// The scheduler still takes the min with the Rate-Limit headers.
import { backoffDelay } from '../../shared/backoff.ts';
import { FALLBACK_AFTER_MS, FOCUS_LIMIT_PER_MINUTE, LeaseResponse, SHARE_LEASE_MS, STORE_ROUTES, ReleaseResponse } from '../../shared/store/protocol.ts';
import type { Lane } from '../emission/scheduler.ts';

export const WINDOW_MS = 60_000;

/** What the scheduler asks before starting a task on a lane, and tells when it started one. */
export interface CreditGate {
  available(lane: Lane): number;
  take(lane: Lane): void;
  /** When credits may come back (ms from now), for the scheduler's wake-up. */
  retryInMs(): number;
}

type Purpose = 'sale' | 'backlog';
const purposeOf = (lane: Lane): Purpose => (lane === 'emission' ? 'sale' : 'backlog');

/** The store's lease routes (a StoreHttp bound to the lane's credential). */
export interface LeaseTransport {
  post(path: string, body: object, schema: typeof LeaseResponse | typeof ReleaseResponse): Promise<unknown>;
}

export interface CreditPortOptions {
  now: () => number;
  limit?: number;
  /** Lanes sharing the token (from the store, persisted); 1 for a lane on its own. */
  laneCount: () => number;
  /** The lane's link to the store (null: not paired → even share only). */
  store: () => LeaseTransport | null;
  /** Hash of the Focus token (never the token): the store keeps one budget per token. */
  tokenKey: () => string | null;
  /** Credits asked per lease. Default sale 10, backlog 20. */
  want?: Partial<Record<Purpose, number>>;
  leaseMs?: number;
  /** Called after a lease came back (the scheduler re-pumps). */
  onChange?: () => void;
  /** When the store last answered this lane (any route; null: never since start). */
  lastContactMs?: () => number | null;
  /** The store said how many lanes share it (kept for the even share). */
  onLaneCount?: (n: number) => void;
  /**
   * This lane's emergency reserve per minute, as the store last said (0 until it did). Spent by the
   * 'emission' lane without a lease, store up or down.
   */
  reserve?: () => number;
  /** The store said this lane's reserve (lease answers; kept with the lane count). */
  onReserve?: (n: number) => void;
  /** Tests only: how long without an answer before the even share (FALLBACK_AFTER_MS). */
  fallbackAfterMs?: number;
  /** Tests only: how long after the last answer the even share may be spent (SHARE_LEASE_MS). */
  shareLeaseMs?: number;
}

interface Lease {
  id: string;
  granted: number;
  used: number;
  expiresAt: number;
}

export class CreditPort implements CreditGate {
  readonly #o: CreditPortOptions;
  readonly #limit: number;
  /** Start times of requests this lane sent in the last window (the fallback counts them). */
  readonly #sent: number[] = [];
  /**
   * Of those, the ones no lease covered: sales on the reserve, and requests on the rest of the even
   * share (s − r). Counted apart, so a backlog draining on the share never eats the sales' reserve;
   * together they stay within max(s, r), what the store holds for a lane cut off.
   */
  readonly #onReserve: number[] = [];
  readonly #onShare: number[] = [];
  /** When the emission lane last found no credit, and last took one (the "waiting" label). */
  #starvedAt: number | null = null;
  #tookAt = 0;
  readonly #lease: Record<Purpose, Lease | null> = { sale: null, backlog: null };
  readonly #inflight: Record<Purpose, Promise<void> | null> = { sale: null, backlog: null };
  readonly #retryAt: Record<Purpose, number> = { sale: 0, backlog: 0 };
  #storeFailures = 0;
  #lastLeaseAnswer = 0;
  /**
   * unknown: no answer yet — wait for the first lease (spending a share now would come on top of
   * what the store hands the other lanes); up: leases only; down: the last request failed — share.
   */
  #store: 'unknown' | 'up' | 'down' = 'unknown';

  /** Before any answer, the store may have heard from this lane just before it started. */
  readonly #startedAt: number;

  constructor(o: CreditPortOptions) {
    this.#o = o;
    this.#limit = o.limit ?? FOCUS_LIMIT_PER_MINUTE;
    this.#startedAt = o.now();
  }

  /** The even share a lane may spend per window when the store does not hand out credits. */
  share(): number {
    return Math.max(1, Math.floor(this.#limit / Math.max(1, this.#o.laneCount())));
  }

  /** The emergency reserve per minute (0 until the store said it, and when not paired). */
  reserve(): number {
    return this.#o.store() ? Math.max(0, this.#o.reserve?.() ?? 0) : 0;
  }

  /**
   * alone: no store; lease: credits from the store; reserve: the store does not answer and the even
   * share is not open (yet, or any more): only the reserve; share: cut off, spending the even share.
   */
  mode(): 'alone' | 'lease' | 'reserve' | 'share' {
    if (!this.#o.store() || !this.#o.tokenKey()) return 'alone';
    if (this.#store !== 'down') return 'lease';
    return this.#shareOpen(this.#o.now()) ? 'share' : 'reserve';
  }

  /** A sale's request waits for a credit now (the last ask found none, and none was taken since). */
  waiting(): boolean {
    return this.#starvedAt !== null && this.#starvedAt >= this.#tookAt;
  }

  /**
   * Cut off long enough that the store holds this lane's share back, and not so long that its share
   * lease ended (see the header). Never before the store first answered (a lane switched off for a
   * day that starts cut off spends only its reserve).
   */
  #shareOpen(now: number): boolean {
    const contact = Math.max(this.#o.lastContactMs?.() ?? 0, this.#lastLeaseAnswer);
    if (contact === 0) return false;
    const last = Math.max(this.#startedAt, contact);
    return now - last >= (this.#o.fallbackAfterMs ?? FALLBACK_AFTER_MS) && now - contact < (this.#o.shareLeaseMs ?? SHARE_LEASE_MS);
  }

  available(lane: Lane): number {
    const now = this.#o.now();
    const fallback = this.share() - this.#sentInWindow(now);
    const transport = this.#o.store();
    const tokenKey = this.#o.tokenKey();
    if (!transport || !tokenKey) return fallback;
    const p = purposeOf(lane);
    const lease = this.#lease[p];
    const left = () => (lease && lease.expiresAt > now ? lease.granted - lease.used : 0);
    // Ask for the next lease before this one runs dry (the scheduler asks only when work waits);
    // a renew gives up what the old lease still held, hence `left()` again after it.
    if (left() <= 1 && now >= this.#retryAt[p]) this.#renew(p, transport, tokenKey);
    const n = left() + this.#reserveLeft(lane, now) + this.#shareLeft(now);
    if (lane === 'emission' && n <= 0) this.#starvedAt = now;
    return n;
  }

  /** The reserve: sales only, whatever the store's state. */
  #reserveLeft(lane: Lane, now: number): number {
    return lane === 'emission' ? Math.max(0, this.reserve() - this.#inWindow(this.#onReserve, now)) : 0;
  }

  /** Cut off for long: the even share beyond the reserve, for any work (the scheduler puts sales first). */
  #shareLeft(now: number): number {
    if (this.#store === 'up' || !this.#shareOpen(now)) return 0;
    return Math.max(0, this.share() - this.reserve() - this.#inWindow(this.#onShare, now));
  }

  take(lane: Lane): void {
    const now = this.#o.now();
    this.#sent.push(now);
    if (lane === 'emission') this.#tookAt = now;
    const lease = this.#lease[purposeOf(lane)];
    if (lease && lease.expiresAt > now && lease.used < lease.granted) lease.used++;
    else if (this.#reserveLeft(lane, now) > 0) this.#onReserve.push(now);
    else {
      this.#inWindow(this.#onShare, now); // drops what left the window (a lane alone never asks)
      this.#onShare.push(now);
    }
  }

  retryInMs(): number {
    const now = this.#o.now();
    const oldest = this.#sent.find((t) => t > now - WINDOW_MS);
    const windowFree = oldest === undefined ? 1_000 : oldest + WINDOW_MS - now;
    const storeRetry = Math.min(this.#retryAt.sale, this.#retryAt.backlog) - now;
    // Waiting for a lease in flight: look again soon.
    const leaseWait = this.#inflight.sale || this.#inflight.backlog ? 100 : 1_000;
    return Math.max(50, Math.min(windowFree, storeRetry > 0 ? storeRetry : leaseWait));
  }

  /** Returns unused credits to the store (at shutdown or unpairing). */
  async releaseAll(): Promise<void> {
    const transport = this.#o.store();
    for (const p of ['sale', 'backlog'] as const) {
      const lease = this.#lease[p];
      this.#lease[p] = null;
      if (!lease || !transport) continue;
      await transport.post(STORE_ROUTES.creditsRelease, { leaseId: lease.id, used: lease.used }, ReleaseResponse).catch(() => undefined);
    }
  }

  #sentInWindow(now: number): number {
    return this.#inWindow(this.#sent, now);
  }

  #inWindow(times: number[], now: number): number {
    while (times.length > 0 && times[0]! <= now - WINDOW_MS) times.shift();
    return times.length;
  }

  #renew(p: Purpose, transport: LeaseTransport, tokenKey: string): void {
    if (this.#inflight[p]) return;
    const old = this.#lease[p];
    const want = this.#o.want?.[p] ?? (p === 'sale' ? 10 : 20);
    const now = this.#o.now();
    // A renew ends the old lease with the `used` it carries: whatever the old lease still held is
    // given up now, or a credit spent while the renew is on the wire would never be charged.
    if (old && old.expiresAt > now) old.granted = old.used;
    const request =
      old && old.expiresAt > now
        ? transport.post(STORE_ROUTES.creditsRenew, { leaseId: old.id, want, used: old.used }, LeaseResponse)
        : transport.post(STORE_ROUTES.creditsLease, { tokenKey, want, purpose: p, leaseMs: this.#o.leaseMs ?? 10_000, share: this.share() }, LeaseResponse);
    this.#inflight[p] = request
      .then((raw) => {
        const r = LeaseResponse.parse(raw);
        this.#store = 'up';
        this.#lastLeaseAnswer = this.#o.now();
        if (r.budget.lanes !== undefined && r.budget.lanes > 0) this.#o.onLaneCount?.(r.budget.lanes);
        if (r.budget.reserve !== undefined) this.#o.onReserve?.(r.budget.reserve);
        this.#storeFailures = 0;
        // A renew ends the old lease with its `used`: the new one starts from zero.
        this.#lease[p] = r.leaseId && r.granted > 0 ? { id: r.leaseId, granted: r.granted, used: 0, expiresAt: r.expiresAtMs } : null;
        this.#retryAt[p] = r.granted > 0 ? 0 : this.#o.now() + r.retryAfterMs;
      })
      .catch(() => {
        this.#store = 'down';
        this.#storeFailures++;
        this.#retryAt[p] = this.#o.now() + backoffDelay(this.#storeFailures, { baseMs: 500, maxMs: 15_000, jitter: 0.2 });
      })
      .finally(() => {
        this.#inflight[p] = null;
        this.#o.onChange?.();
      });
  }
}

/** The store's key for a token: SHA-256, hex, 32 characters. The token itself never leaves the lane. */
export async function tokenKeyOf(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`balcao-focus-token:${token}`));
  return Buffer.from(digest).toString('hex').slice(0, 32);
}
