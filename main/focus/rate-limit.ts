// Focus counts 100 requests per minute per token (every method) and says so on every answer:
// Rate-Limit-Limit, Rate-Limit-Remaining, Rate-Limit-Reset (seconds until the window resets).
// After a 429 (or when the server says nothing is left) every call of this client waits for the reset
// instead of hammering the API: a 429 means "refused", so resending afterwards is safe even for a POST.
import type { RateLimitState } from './types.ts';

type Headers = Record<string, string | string[] | undefined>;

const DEFAULT_LIMIT = 100;
/** A 429 without a usable reset still deserves a pause, or we would spin. */
const MIN_429_WAIT_MS = 250;
const DEFAULT_429_WAIT_MS = 1_000;

function header(headers: Headers, name: string): string | undefined {
  const v = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function num(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

export class RateLimitTracker {
  #clock: () => number;
  #state: RateLimitState;
  #gateUntil = 0;

  constructor(clock: () => number) {
    this.#clock = clock;
    this.#state = { limit: DEFAULT_LIMIT, remaining: DEFAULT_LIMIT, resetAt: 0 };
  }

  state(): RateLimitState {
    const s = this.#state;
    // A window that is over is full again, even if we have not heard from the server since.
    if (s.resetAt > 0 && this.#clock() >= s.resetAt) return { limit: s.limit, remaining: s.limit, resetAt: s.resetAt };
    return { ...s };
  }

  observe(status: number, headers: Headers): void {
    const now = this.#clock();
    const limit = num(header(headers, 'rate-limit-limit'));
    const remaining = num(header(headers, 'rate-limit-remaining'));
    const reset = num(header(headers, 'rate-limit-reset'));
    if (limit !== undefined) this.#state.limit = limit;
    if (remaining !== undefined) this.#state.remaining = remaining;
    if (reset !== undefined) this.#state.resetAt = now + reset * 1000;

    if (status === 429) {
      const retryAfter = num(header(headers, 'retry-after'));
      const waitMs = reset !== undefined ? reset * 1000 : retryAfter !== undefined ? retryAfter * 1000 : DEFAULT_429_WAIT_MS;
      this.#state.remaining = 0;
      this.#gateUntil = Math.max(this.#gateUntil, now + Math.max(MIN_429_WAIT_MS, waitMs));
    } else if (remaining === 0 && reset !== undefined && reset > 0) {
      this.#gateUntil = Math.max(this.#gateUntil, now + reset * 1000);
    }
  }

  /** How long a new request must wait before it may be sent (0 = go). */
  waitMs(): number {
    return Math.max(0, this.#gateUntil - this.#clock());
  }
}
