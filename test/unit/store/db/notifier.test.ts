// The long-poll waiter's rules, without a database: a change already announced past the cursor
// answers at once (no lost wake-up between the query and the wait), a later one wakes only the
// polls it concerns, and a poll ends on its timeout or when the lane hangs up.
import { describe, expect, it, vi } from 'vitest';
import { ChangeNotifier } from '../../../../store/db/notifier.ts';

describe('ChangeNotifier', () => {
  it('wakes the right polls, at once when the change is already known', async () => {
    vi.useFakeTimers();
    try {
      const n = new ChangeNotifier('postgres://unused', 'c', 10);
      let early = false;
      await n.wait(9, 30_000).then(() => (early = true));
      expect(early).toBe(true);

      const woken: string[] = [];
      void n.wait(10, 30_000).then(() => woken.push('at 10'));
      void n.wait(12, 30_000).then(() => woken.push('at 12'));
      expect(n.waiting).toBe(2);
      n.bump(11);
      await vi.advanceTimersByTimeAsync(0);
      expect(woken).toEqual(['at 10']);
      expect(n.waiting).toBe(1);
      n.bump(11); // not newer: nothing happens
      await vi.advanceTimersByTimeAsync(29_999);
      expect(woken).toEqual(['at 10']);
      await vi.advanceTimersByTimeAsync(1);
      expect(woken).toEqual(['at 10', 'at 12']);
      expect(n.waiting).toBe(0);

      const hangUp = new AbortController();
      const p = n.wait(11, 30_000, hangUp.signal);
      expect(n.waiting).toBe(1);
      hangUp.abort();
      await p;
      expect(n.waiting).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
