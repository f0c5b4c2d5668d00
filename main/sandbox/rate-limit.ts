// Focus's rate limit: `limit` credits per token per window (fixed 60 s windows by default), every
// request costs one, and every answer carries Rate-Limit-Limit / -Remaining / -Reset (seconds).
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds until the window resets (never 0 while a window is open). */
  resetSeconds: number;
}

interface Window {
  startedAt: number;
  used: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly windowMs: number;
  /** Requests refused with 429 since start (tests check that lanes sharing a token never meet one). */
  refused = 0;

  constructor(windowMs = 60_000) {
    this.windowMs = windowMs;
  }

  /** Spend one credit of `key` at time `now` (epoch ms). */
  take(key: string, limit: number, now: number): RateDecision {
    let w = this.windows.get(key);
    if (!w || now >= w.startedAt + this.windowMs || now < w.startedAt) {
      w = { startedAt: now, used: 0 };
      this.windows.set(key, w);
    }
    const allowed = w.used < limit;
    if (allowed) w.used++;
    else this.refused++;
    const resetSeconds = Math.max(1, Math.ceil((w.startedAt + this.windowMs - now) / 1000));
    return { allowed, limit, remaining: Math.max(0, limit - w.used), resetSeconds };
  }

  reset(): void {
    this.windows.clear();
  }
}
