// The pull loop: catalog, tax profiles, operators and settings come down by a version cursor. The
// store holds the request (long-poll) until something changes, so a change reaches a connected lane
// within about a round trip. The cursor is persisted after each page is applied; applying is
// idempotent (whole records), so a crash in between only repeats a page.
import { backoffDelay, type BackoffPolicy } from '../../shared/backoff.ts';
import { MAX_PULL_LIMIT, PullResponse, STORE_ROUTES, StoreError, type Change } from '../../shared/store/protocol.ts';
import type { StoreHttp } from './http.ts';

export interface PullState {
  cursor: number;
  lastPullMs: number | null;
  error: { code: string; message: string } | null;
}

export interface PullLoopDeps {
  http: () => Pick<StoreHttp, 'get'> | null;
  cursor: { get(): number; set(v: number): void };
  apply: (changes: readonly Change[]) => void;
  now: () => number;
  /** Long-poll wait per request (ms). Default 25 s. */
  waitMs?: number;
  limit?: number;
  backoff?: BackoffPolicy;
  onChange?: (s: PullState) => void;
  /** The fallback share this lane holds now (told to the store with each pull). */
  share?: () => number;
  /** The store said how many lanes share the token. */
  onLaneCount?: (n: number) => void;
  /** The store said this lane's emergency reserve of Focus credits. */
  onReserve?: (n: number) => void;
}

const PULL_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 10_000, jitter: 0.2 };

export class PullLoop {
  readonly #d: PullLoopDeps;
  #state: PullState;
  #failures = 0;
  #stopped = true;
  #abort: AbortController | null = null;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;

  constructor(d: PullLoopDeps) {
    this.#d = d;
    this.#state = { cursor: d.cursor.get(), lastPullMs: null, error: null };
  }

  state(): PullState {
    return { ...this.#state };
  }

  /** One page. Returns whether more pages wait. Throws StoreError when the store cannot be reached. */
  async pullOnce(waitMs = 0): Promise<{ applied: number; more: boolean }> {
    const http = this.#d.http();
    if (!http) return { applied: 0, more: false };
    const since = this.#d.cursor.get();
    const limit = this.#d.limit ?? MAX_PULL_LIMIT;
    this.#abort = new AbortController();
    const share = this.#d.share ? `&share=${this.#d.share()}` : '';
    const r = await http.get(`${STORE_ROUTES.changes}?since=${since}&limit=${limit}&waitMs=${waitMs}${share}`, PullResponse, {
      signal: this.#abort.signal,
      timeoutMs: waitMs + 15_000,
    });
    if (r.lanes !== undefined) this.#d.onLaneCount?.(r.lanes);
    if (r.reserve !== undefined) this.#d.onReserve?.(r.reserve);
    if (r.changes.length > 0) this.#d.apply(r.changes);
    if (r.cursor !== since) this.#d.cursor.set(r.cursor);
    this.#state = { cursor: r.cursor, lastPullMs: this.#d.now(), error: null };
    this.#d.onChange?.(this.state());
    return { applied: r.changes.length, more: r.more };
  }

  /** Pulls until the store has nothing newer. */
  async catchUp(): Promise<number> {
    let n = 0;
    for (;;) {
      const r = await this.pullOnce(0);
      n += r.applied;
      if (!r.more) return n;
    }
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort?.abort();
    this.#wake?.();
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      try {
        const r = await this.pullOnce(this.#d.waitMs ?? 25_000);
        this.#failures = 0;
        if (!r.more && r.applied === 0 && !this.#d.http()) await this.#pause(1_000);
      } catch (err) {
        if (this.#stopped) return;
        this.#failures++;
        const e = err instanceof StoreError ? err : new StoreError('internal');
        this.#state = { ...this.#state, error: { code: e.code, message: e.message } };
        this.#d.onChange?.(this.state());
        await this.#pause(backoffDelay(this.#failures, this.#d.backoff ?? PULL_BACKOFF));
      }
    }
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.#wake = null;
        resolve();
      }, ms);
      t.unref?.();
      this.#wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
}
