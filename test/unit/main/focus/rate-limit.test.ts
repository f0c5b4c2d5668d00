import { describe, expect, it } from 'vitest';
import { RateLimitTracker } from '../../../../main/focus/rate-limit.ts';

describe('RateLimitTracker', () => {
  it('reads the Rate-Limit-* headers (reset in seconds) from every answer', () => {
    let now = 1_000_000;
    const t = new RateLimitTracker(() => now);
    expect(t.state()).toEqual({ limit: 100, remaining: 100, resetAt: 0 });
    t.observe(201, { 'rate-limit-limit': '100', 'rate-limit-remaining': '42', 'rate-limit-reset': '17' });
    expect(t.state()).toEqual({ limit: 100, remaining: 42, resetAt: now + 17_000 });
    expect(t.waitMs()).toBe(0);
    now += 17_000;
    expect(t.state().remaining).toBe(100);
  });

  it('closes the gate until the reset after a 429, and when nothing is left', () => {
    let now = 0;
    const t = new RateLimitTracker(() => now);
    t.observe(429, { 'rate-limit-limit': '100', 'rate-limit-remaining': '0', 'rate-limit-reset': '3' });
    expect(t.waitMs()).toBe(3_000);
    now = 2_000;
    expect(t.waitMs()).toBe(1_000);
    now = 3_000;
    expect(t.waitMs()).toBe(0);

    t.observe(200, { 'rate-limit-remaining': '0', 'rate-limit-reset': '5' });
    expect(t.waitMs()).toBe(5_000);
  });

  it('still pauses on a 429 without headers (Retry-After or a default)', () => {
    const t = new RateLimitTracker(() => 0);
    t.observe(429, { 'retry-after': '2' });
    expect(t.waitMs()).toBe(2_000);
    const u = new RateLimitTracker(() => 0);
    u.observe(429, {});
    expect(u.waitMs()).toBeGreaterThanOrEqual(250);
  });
});
