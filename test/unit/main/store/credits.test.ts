import { describe, expect, it } from 'vitest';
import { CreditPort } from '../../../../main/store/credits.ts';
import { FocusScheduler } from '../../../../main/emission/scheduler.ts';

const rateLimit = () => ({ limit: 100, remaining: 100, resetAt: 0 });

describe('the credit port without a store', () => {
  it('gives a lane alone the whole budget, as before', () => {
    const clock = { ms: 0 };
    const port = new CreditPort({ now: () => clock.ms, laneCount: () => 1, store: () => null, tokenKey: () => null });
    expect(port.mode()).toBe('alone');
    for (let i = 0; i < 99; i++) port.take('emission');
    expect(port.available('emission')).toBe(1);
  });

  it('gives each of three lanes a third of the limit per sliding minute, so together they stay under it', () => {
    const clock = { ms: 0 };
    const lanes = [0, 1, 2].map(() => new CreditPort({ now: () => clock.ms, laneCount: () => 3, store: () => null, tokenKey: () => null }));
    let sent = 0;
    // Each lane spends whatever it is allowed, every 100 ms, for 3 minutes; count any 60 s window.
    const stamps: number[] = [];
    for (clock.ms = 0; clock.ms < 180_000; clock.ms += 100) {
      for (const l of lanes) {
        while (l.available('resolve') > 0) {
          l.take('resolve');
          stamps.push(clock.ms);
          sent++;
        }
      }
    }
    expect(sent).toBeGreaterThan(0);
    for (const t of stamps) expect(stamps.filter((s) => s >= t && s < t + 60_000).length).toBeLessThanOrEqual(100);
    expect(lanes[0]!.share()).toBe(33);
  });

  it('stops the scheduler at the share and lets it go on when the window moves', async () => {
    const clock = { ms: 1_000_000 };
    const port = new CreditPort({ now: () => clock.ms, laneCount: () => 4, store: () => null, tokenKey: () => null });
    const sched = new FocusScheduler({ rateLimit, now: () => clock.ms, credits: port });
    let ran = 0;
    const all = Array.from({ length: 30 }, () => sched.run('emission', async () => void ran++));
    await expect.poll(() => ran).toBe(25);
    expect(sched.stats().queued.emission).toBe(5);
    clock.ms += 60_001;
    sched.wake();
    await Promise.all(all);
    expect(ran).toBe(30);
    sched.close();
  });
});

describe('a paired lane whose store does not answer', () => {
  const down = { post: () => Promise.reject(new Error('connection refused')) };
  const cutOff = (clock: { ms: number }, lastAnswer: number | null) =>
    new CreditPort({
      now: () => clock.ms,
      laneCount: () => 4,
      store: () => down,
      tokenKey: () => 'ab'.repeat(16),
      lastContactMs: () => lastAnswer,
      reserve: () => 5,
    });
  const settle = () => new Promise((r) => setImmediate(r));

  it('sells at once within its reserve, sales only, and again as the window moves; its share only after 110 s', async () => {
    const clock = { ms: 10_000_000 };
    const port = cutOff(clock, clock.ms - 1_000);
    expect(port.available('emission')).toBe(5);
    await settle();
    expect(port.mode()).toBe('reserve');
    for (let i = 0; i < 5; i++) port.take('emission');
    expect(port.available('emission')).toBe(0);
    expect(port.waiting()).toBe(true);
    // Backlogs never spend the reserve.
    expect(port.available('background')).toBe(0);
    clock.ms += 60_000;
    expect(port.available('emission')).toBe(5);
    port.take('emission');
    expect(port.waiting()).toBe(false);
    // 110 s after the last answer: the even share (25 of 100 for 4 lanes), 20 beyond the reserve.
    clock.ms += 50_000;
    expect(port.mode()).toBe('share');
    expect(port.available('background')).toBe(20);
    // A backlog draining the share never eats the sales' reserve (4 left: one sale in the window).
    for (let i = 0; i < 20; i++) port.take('background');
    expect(port.available('background')).toBe(0);
    expect(port.available('emission')).toBe(4);
  });

  it('spends only its reserve once its share lease ended: a lane switched off for long and started cut off', async () => {
    const clock = { ms: 10_000_000 };
    const port = cutOff(clock, clock.ms - 11 * 60_000);
    expect(port.available('emission')).toBe(5);
    await settle();
    clock.ms += 120_000;
    expect(port.mode()).toBe('reserve');
    expect(port.available('background')).toBe(0);
    expect(port.available('emission')).toBe(5);
    // Never answered at all: the same.
    const never = cutOff(clock, null);
    never.available('emission');
    await settle();
    clock.ms += 120_000;
    expect(never.mode()).toBe('reserve');
    expect(never.available('resolve')).toBe(0);
  });

  it('the scheduler sends a sale at once on the reserve while the store is down', async () => {
    const clock = { ms: 10_000_000 };
    const port = cutOff(clock, clock.ms - 1_000);
    const sched = new FocusScheduler({ rateLimit, now: () => clock.ms, credits: port });
    let ran = 0;
    await sched.run('emission', async () => void ran++);
    expect(ran).toBe(1);
    sched.close();
  });
});

describe('a paired lane asking the store for a lease', () => {
  const asked = (opts: { want?: { sale?: number; backlog?: number }; leaseMs?: number }) => {
    const bodies: Record<string, unknown>[] = [];
    const port = new CreditPort({
      now: () => 0,
      laneCount: () => 3,
      store: () => ({ post: (_path: string, body: object) => (bodies.push(body as Record<string, unknown>), new Promise<never>(() => {})) }),
      tokenKey: () => 'ab'.repeat(16),
      ...opts,
    });
    port.available('emission');
    port.available('background');
    return bodies.map((b) => ({ purpose: b['purpose'], want: b['want'], leaseMs: b['leaseMs'] }));
  };

  it('asks for 10 sale credits and 20 backlog credits for 10 s by default', () => {
    expect(asked({})).toEqual([
      { purpose: 'sale', want: 10, leaseMs: 10_000 },
      { purpose: 'backlog', want: 20, leaseMs: 10_000 },
    ]);
  });

  it('asks for what it is told (tests shorten and shrink the leases)', () => {
    expect(asked({ want: { sale: 2, backlog: 3 }, leaseMs: 2_000 })).toEqual([
      { purpose: 'sale', want: 2, leaseMs: 2_000 },
      { purpose: 'backlog', want: 3, leaseMs: 2_000 },
    ]);
  });
});
