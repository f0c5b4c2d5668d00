// Failed PIN attempts lock the key (an operator, or "manager" for overrides) for a while,
// doubling each time: 5 free tries, then 30 s, 60 s, … up to 15 min. A success clears it.
import { backoffDelay } from '../../shared/backoff.ts';

export class AttemptLimiter {
  readonly #now: () => number;
  readonly #free: number;
  readonly #baseMs: number;
  readonly #maxMs: number;
  readonly #state = new Map<string, { failures: number; lockedUntil: number }>();

  constructor(now: () => number, opts: { free?: number; baseMs?: number; maxMs?: number } = {}) {
    this.#now = now;
    this.#free = opts.free ?? 5;
    this.#baseMs = opts.baseMs ?? 30_000;
    this.#maxMs = opts.maxMs ?? 15 * 60_000;
  }

  /** Milliseconds the key must still wait, 0 when it may try. */
  waitMs(key: string): number {
    const s = this.#state.get(key);
    return s ? Math.max(0, s.lockedUntil - this.#now()) : 0;
  }

  fail(key: string): void {
    const s = this.#state.get(key) ?? { failures: 0, lockedUntil: 0 };
    s.failures++;
    if (s.failures >= this.#free) {
      // The first locked-out failure waits baseMs, each further one twice as long, up to maxMs.
      s.lockedUntil = this.#now() + backoffDelay(s.failures - this.#free + 1, { baseMs: this.#baseMs, maxMs: this.#maxMs });
    }
    this.#state.set(key, s);
  }

  succeed(key: string): void {
    this.#state.delete(key);
  }
}
