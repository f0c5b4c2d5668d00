import { describe, expect, it } from 'vitest';
import { FocusScheduler, SchedulerClosedError, type Lane } from '../../../../main/emission/scheduler.ts';
import type { RateLimitState } from '../../../../main/focus/types.ts';

/** A controllable task: resolves when released. */
function gate() {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  return { done, release };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('FocusScheduler', () => {
  it('runs emissions before resolutions before background work', async () => {
    const rl: RateLimitState = { limit: 100, remaining: 100, resetAt: 0 };
    const s = new FocusScheduler({ rateLimit: () => rl, concurrency: { emission: 1, resolve: 1, background: 1 } });
    const order: string[] = [];
    const blocker = gate();
    const first = s.run('emission', async () => {
      await blocker.done;
      order.push('e0');
    });
    const queued: Promise<void>[] = [];
    for (const [lane, name] of [
      ['background', 'b1'],
      ['resolve', 'r1'],
      ['emission', 'e1'],
      ['background', 'b2'],
      ['emission', 'e2'],
    ] as [Lane, string][]) {
      queued.push(s.run(lane, async () => void order.push(name)));
    }
    await tick();
    // r1 may start beside e0 (its own lane); background must not start while emissions wait.
    expect(order).not.toContain('b1');
    blocker.release();
    await Promise.all([first, ...queued]);
    expect(order.indexOf('e1')).toBeLessThan(order.indexOf('b1'));
    expect(order.indexOf('e2')).toBeLessThan(order.indexOf('b1'));
    expect(order.indexOf('r1')).toBeLessThan(order.indexOf('b1'));
    expect(order.slice(-2)).toEqual(['b1', 'b2']);
  });

  it('keeps a reserve of credits for emissions: resolve and background stop early', async () => {
    const rl: RateLimitState = { limit: 100, remaining: 12, resetAt: Date.now() + 60_000 };
    const s = new FocusScheduler({ rateLimit: () => rl, resolveReserve: 10, backgroundReserve: 30 });
    const ran: string[] = [];
    // The server's count moves as the answers arrive.
    const call = (name: string) => async () => {
      rl.remaining--;
      ran.push(name);
    };
    const bg = s.run('background', call('bg'));
    const r = [s.run('resolve', call('r1')), s.run('resolve', call('r2')), s.run('resolve', call('r3'))];
    await tick();
    await tick();
    // 12 left: two resolutions may go (12 → 11 → 10), the third waits; background (reserve 30) waits.
    expect(ran.filter((n) => n.startsWith('r'))).toHaveLength(2);
    expect(ran).not.toContain('bg');
    // Emissions still get the reserve.
    for (let i = 0; i < 10; i++) await s.run('emission', call(`e${i}`));
    expect(ran.filter((n) => n.startsWith('e'))).toHaveLength(10);
    expect(s.stats().queued).toEqual({ emission: 0, resolve: 1, background: 1 });
    // A queued emission waits when nothing is left.
    let late = false;
    const e = s.run('emission', async () => void (late = true));
    await tick();
    expect(late).toBe(false);
    s.close();
    await expect(e).rejects.toBeInstanceOf(SchedulerClosedError);
    await expect(bg).rejects.toBeInstanceOf(SchedulerClosedError);
    await expect(r[2]).rejects.toBeInstanceOf(SchedulerClosedError);
  });

  it('counts requests still in flight against the budget before the headers report them', async () => {
    const rl: RateLimitState = { limit: 100, remaining: 3, resetAt: Date.now() + 60_000 };
    const s = new FocusScheduler({ rateLimit: () => rl, concurrency: { emission: 10 } });
    const g = gate();
    let started = 0;
    const tasks = Array.from({ length: 5 }, () =>
      s.run('emission', async () => {
        started++;
        await g.done;
      }),
    );
    await tick();
    expect(started).toBe(3);
    s.close();
    g.release();
    await Promise.allSettled(tasks);
  });

  it('resumes at the window reset without anyone poking it', async () => {
    const now = Date.now();
    const rl: RateLimitState = { limit: 100, remaining: 0, resetAt: now + 80 };
    const s = new FocusScheduler({ rateLimit: () => (Date.now() >= rl.resetAt ? { ...rl, remaining: rl.limit } : rl) });
    // When it ran, against the reset itself: a bound taken from another reading of the clock failed
    // on a loaded machine (the test was preempted between the two readings).
    const ranAt = await s.run('emission', async () => Date.now());
    expect(ranAt).toBeGreaterThanOrEqual(rl.resetAt);
  });

  it('a far wake-up planned for background work does not delay an emission waiting for an earlier reset', async () => {
    const rl: RateLimitState = { limit: 100, remaining: 20, resetAt: Date.now() + 60_000 };
    const s = new FocusScheduler({ rateLimit: () => (rl.resetAt > 0 && Date.now() >= rl.resetAt ? { ...rl, remaining: rl.limit } : rl) });
    const bg = s.run('background', async () => undefined); // below its reserve: waits for the 60 s reset
    await tick();
    rl.remaining = 0;
    rl.resetAt = Date.now() + 80;
    // Waiting for the far (60 s) wake-up would run past the test timeout: finishing at all is the proof.
    await s.run('emission', async () => undefined);
    s.close();
    await expect(bg).rejects.toBeInstanceOf(SchedulerClosedError);
  });

  it('propagates a task failure to its caller and keeps going', async () => {
    const s = new FocusScheduler({ rateLimit: () => ({ limit: 100, remaining: 100, resetAt: 0 }) });
    await expect(
      s.run('resolve', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(s.run('resolve', async () => 7)).resolves.toBe(7);
  });
});
