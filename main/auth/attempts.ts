// PIN attempts per key (an operator, or "manager" for overrides). Every attempt is recorded
// BEFORE its PIN is verified, synchronously, so guesses sent in parallel (one WebSocket write,
// several sockets) each consume a try and the sixth one is refused before any hash runs.
// 5 free tries, then 30 s, 60 s, … up to 15 min. A success clears the key. The state is written
// to the settings store on every change, so a restart does not hand out fresh tries.
import { z } from 'zod';
import type { KeyValueStore } from '../settings/store.ts';

const STORE_KEY = 'pinAttempts';
const Entry = z.object({ failures: z.number().int().min(0), lockedUntil: z.number() });
const Stored = z.record(z.string(), Entry);
type Entry = z.infer<typeof Entry>;

export interface AttemptLimits {
  free?: number;
  baseMs?: number;
  maxMs?: number;
}

export class AttemptLimiter {
  readonly #now: () => number;
  readonly #free: number;
  readonly #baseMs: number;
  readonly #maxMs: number;
  readonly #store: KeyValueStore | null;
  readonly #state: Map<string, Entry>;

  constructor(now: () => number, opts: AttemptLimits = {}, store: KeyValueStore | null = null) {
    this.#now = now;
    this.#free = opts.free ?? 5;
    this.#baseMs = opts.baseMs ?? 30_000;
    this.#maxMs = opts.maxMs ?? 15 * 60_000;
    this.#store = store;
    const parsed = Stored.safeParse(store?.get(STORE_KEY) ?? {});
    this.#state = new Map(parsed.success ? Object.entries(parsed.data) : []);
  }

  /** Milliseconds the key must still wait, 0 when it may try. */
  waitMs(key: string): number {
    const s = this.#state.get(key);
    return s ? Math.max(0, s.lockedUntil - this.#now()) : 0;
  }

  /**
   * Counts one attempt as failed before it is checked; returns the wait (> 0: refused, not counted).
   * The caller calls succeed() when the PIN turns out right.
   */
  reserve(key: string): number {
    const wait = this.waitMs(key);
    if (wait > 0) return wait;
    const s = this.#state.get(key) ?? { failures: 0, lockedUntil: 0 };
    s.failures++;
    if (s.failures >= this.#free) {
      const steps = s.failures - this.#free;
      s.lockedUntil = this.#now() + Math.min(this.#maxMs, this.#baseMs * 2 ** Math.min(steps, 20));
    }
    this.#state.set(key, s);
    this.#persist();
    return 0;
  }

  succeed(key: string): void {
    if (!this.#state.delete(key)) return;
    this.#persist();
  }

  #persist(): void {
    this.#store?.set(STORE_KEY, Object.fromEntries(this.#state));
  }
}
