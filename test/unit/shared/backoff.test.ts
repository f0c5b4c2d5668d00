import { describe, expect, it } from 'vitest';
import { backoffDelay, nextBackoff } from '../../../shared/backoff.ts';

describe('backoffDelay', () => {
  it('doubles from the base and stops at the cap', () => {
    const p = { baseMs: 250, maxMs: 5_000 };
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, p))).toEqual([250, 500, 1_000, 2_000, 4_000, 5_000, 5_000]);
  });
  it('treats attempt 0 like the first retry and never overflows on huge counts', () => {
    expect(backoffDelay(0, { baseMs: 100, maxMs: 1_000 })).toBe(100);
    expect(backoffDelay(10_000, { baseMs: 100, maxMs: 1_000 })).toBe(1_000);
  });
  it('adds jitter only upwards, within the given fraction', () => {
    const p = { baseMs: 1_000, maxMs: 10_000, jitter: 0.2 };
    expect(backoffDelay(1, p, () => 0)).toBe(1_000);
    expect(backoffDelay(1, p, () => 0.999)).toBe(1_199);
  });
  it('takes one step of the same growth for running delays', () => {
    expect(nextBackoff(1_000, { baseMs: 1_000, maxMs: 60_000, factor: 2 })).toBe(2_000);
    expect(nextBackoff(45_000, { baseMs: 1_000, maxMs: 60_000, factor: 2 })).toBe(60_000);
  });
});
