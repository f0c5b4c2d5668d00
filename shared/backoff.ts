// The one exponential backoff of the house: emission retries, blocked-sale retries, the print queue, PIN lockouts, the
// link monitor's probes and the host client's reconnects all grow their waits with it.

export interface BackoffPolicy {
  /** Wait before the first retry. */
  baseMs: number;
  /** Cap, whatever the attempt count. */
  maxMs: number;
  /** Growth per attempt (default 2). */
  factor?: number;
  /** Random extra, as a fraction of the delay (0.2 = up to +20 %), so many clients do not retry in step. */
  jitter?: number;
}

/** The wait after `currentMs` for a caller that keeps its own running delay (one step of the same growth). */
export function nextBackoff(currentMs: number, policy: BackoffPolicy): number {
  return Math.min(policy.maxMs, Math.round(currentMs * (policy.factor ?? 2)));
}

/** Delay before retry number `attempt` (1 = the first retry): baseMs × factor^(attempt−1), capped at maxMs. */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const steps = Math.min(Math.max(attempt - 1, 0), 30);
  const delay = Math.min(policy.maxMs, policy.baseMs * (policy.factor ?? 2) ** steps);
  const jitter = policy.jitter ?? 0;
  return jitter > 0 ? delay + Math.floor(random() * delay * jitter) : delay;
}
