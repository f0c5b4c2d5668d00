// One queue for everything that talks to Focus. Lanes in priority order: emissions (a customer is
// waiting), resolution of unknown outcomes, background work (XML archive, e-mail). All share the
// token's 100-per-minute budget as the Rate-Limit headers report it; lower lanes stop early so
// emissions always find credits left, and background work never starts while a sale is in line.
import type { RateLimitState } from '../focus/types.ts';

export type Lane = 'emission' | 'resolve' | 'background';
export const LANES: readonly Lane[] = ['emission', 'resolve', 'background'];

export interface SchedulerOptions {
  /** Last known budget, normally FocusApi.rateLimit. */
  rateLimit: () => RateLimitState;
  now?: () => number;
  /** Credits the resolve lane leaves untouched for emissions. Default 10. */
  resolveReserve?: number;
  /** Credits the background lane leaves untouched. Default 30. */
  backgroundReserve?: number;
  /** Tasks running at once per lane. Default emission 8, resolve 2, background 1. */
  concurrency?: Partial<Record<Lane, number>>;
  /**
   * This lane's share of a token several lanes use (main/store/credits.ts): credits leased from the
   * store, or an even share of the limit. Absent: the headers alone (a lane on its own).
   */
  credits?: {
    available(lane: Lane): number;
    take(lane: Lane): void;
    retryInMs(): number;
  };
}

export class SchedulerClosedError extends Error {
  constructor() {
    super('fila de comunicação com a Focus encerrada');
    this.name = 'SchedulerClosedError';
  }
}

interface Task {
  lane: Lane;
  run: () => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  signal: AbortSignal | undefined;
}

export interface SchedulerStats {
  queued: Record<Lane, number>;
  running: Record<Lane, number>;
  /** Credits the scheduler believes are left in the current window. */
  available: number;
  started: Record<Lane, number>;
}

export class FocusScheduler {
  readonly #rateLimit: () => RateLimitState;
  readonly #now: () => number;
  readonly #resolveReserve: number;
  readonly #backgroundReserve: number;
  readonly #concurrency: Record<Lane, number>;
  readonly #queues: Record<Lane, Task[]> = { emission: [], resolve: [], background: [] };
  readonly #running: Record<Lane, number> = { emission: 0, resolve: 0, background: 0 };
  readonly #started: Record<Lane, number> = { emission: 0, resolve: 0, background: 0 };
  readonly #credits: SchedulerOptions['credits'];
  #timer: ReturnType<typeof setTimeout> | null = null;
  #timerAt = 0;
  #closed = false;

  constructor(opts: SchedulerOptions) {
    this.#rateLimit = opts.rateLimit;
    this.#now = opts.now ?? Date.now;
    this.#resolveReserve = opts.resolveReserve ?? 10;
    this.#backgroundReserve = Math.max(opts.backgroundReserve ?? 30, this.#resolveReserve);
    this.#concurrency = { emission: 8, resolve: 2, background: 1, ...opts.concurrency };
    this.#credits = opts.credits;
  }

  /** Credits came back (a lease arrived): start what waits for them. */
  wake(): void {
    this.#pump();
  }

  /** Queues fn on a lane; resolves with its result once it ran. */
  run<T>(lane: Lane, fn: () => Promise<T>, opts: { signal?: AbortSignal } = {}): Promise<T> {
    if (this.#closed) return Promise.reject(new SchedulerClosedError());
    return new Promise<T>((resolve, reject) => {
      const task: Task = { lane, run: fn, resolve: resolve as (v: unknown) => void, reject, signal: opts.signal };
      if (opts.signal) {
        if (opts.signal.aborted) return reject(opts.signal.reason);
        opts.signal.addEventListener(
          'abort',
          () => {
            const q = this.#queues[lane];
            const i = q.indexOf(task);
            if (i >= 0) {
              q.splice(i, 1);
              reject(opts.signal?.reason);
            }
          },
          { once: true },
        );
      }
      this.#queues[lane].push(task);
      this.#pump();
    });
  }

  stats(): SchedulerStats {
    return {
      queued: { emission: this.#queues.emission.length, resolve: this.#queues.resolve.length, background: this.#queues.background.length },
      running: { ...this.#running },
      available: this.#available(),
      started: { ...this.#started },
    };
  }

  /** Rejects everything still queued; running tasks finish on their own. */
  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    for (const lane of LANES) {
      for (const t of this.#queues[lane].splice(0)) t.reject(new SchedulerClosedError());
    }
  }

  #available(): number {
    const rl = this.#rateLimit();
    const base = rl.resetAt > 0 && this.#now() >= rl.resetAt ? rl.limit : rl.remaining;
    // A request in flight has not been counted in the headers we hold yet; its answer will be.
    return base - this.#runningTotal();
  }

  #runningTotal(): number {
    return this.#running.emission + this.#running.resolve + this.#running.background;
  }

  #admission(lane: Lane, headerAvailable: number): 'go' | 'budget' | 'busy' {
    if (this.#running[lane] >= this.#concurrency[lane]) return 'busy';
    if (this.#credits && this.#credits.available(lane) <= 0) return 'budget';
    const available = headerAvailable;
    switch (lane) {
      case 'emission':
        return available > 0 ? 'go' : 'budget';
      case 'resolve':
        return available > this.#resolveReserve ? 'go' : 'budget';
      case 'background':
        // Never in front of (or beside) a sale: only when no emission or resolution is waiting or running.
        if (this.#running.emission > 0 || this.#queues.emission.length > 0 || this.#queues.resolve.length > 0) return 'busy';
        return available > this.#backgroundReserve ? 'go' : 'budget';
    }
  }

  #pump(): void {
    if (this.#closed) return;
    let blockedByBudget = false;
    for (;;) {
      let picked: Task | undefined;
      const available = this.#available();
      for (const lane of LANES) {
        const q = this.#queues[lane];
        if (q.length === 0) continue;
        const verdict = this.#admission(lane, available);
        if (verdict === 'go') {
          picked = q.shift();
          break;
        }
        if (verdict === 'budget') blockedByBudget = true;
      }
      if (!picked) break;
      this.#start(picked);
    }
    if (blockedByBudget) this.#wakeAtReset();
  }

  #wakeAtReset(): void {
    const now = this.#now();
    const rl = this.#rateLimit();
    const byHeaders = rl.resetAt > now ? rl.resetAt - now + 5 : 1_000;
    const wait = Math.min(this.#credits ? Math.min(byHeaders, this.#credits.retryInMs()) : byHeaders, 60_000);
    // A wake-up planned for a later window (e.g. for background work) must not delay an earlier one.
    const urgent = this.#queues.emission.length > 0 || this.#queues.resolve.length > 0;
    if (this.#timer && this.#timerAt <= now + wait) {
      if (urgent) this.#timer.ref?.();
      return;
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerAt = now + wait;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#pump();
    }, wait);
    // A sale or a resolution waiting for credits is work in progress; background work alone is not.
    if (!urgent) this.#timer.unref?.();
  }

  #start(task: Task): void {
    const lane = task.lane;
    this.#running[lane]++;
    this.#started[lane]++;
    this.#credits?.take(lane);
    let p: Promise<unknown>;
    try {
      p = task.run();
    } catch (err) {
      p = Promise.reject(err);
    }
    p.then(task.resolve, task.reject).finally(() => {
      this.#running[lane]--;
      this.#pump();
    });
  }
}
