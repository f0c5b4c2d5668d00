import { describe, expect, it } from 'vitest';
import { LinkMonitor, type LinkChange } from '../../../../main/link/monitor.ts';
import type { ExchangeEvent } from '../../../../main/focus/types.ts';
import { FakeClock } from './fake-clock.ts';

type Listener = (e: ExchangeEvent) => void;

/** A stand-in for FocusApi.onExchange that the test pushes real-looking exchanges through. */
function exchangeSource() {
  const listeners = new Set<Listener>();
  return {
    subscribe: (l: Listener) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    push: (e: Partial<ExchangeEvent> & Pick<ExchangeEvent, 'outcome'>, clock: FakeClock) => {
      const full: ExchangeEvent = { method: 'POST', path: '/v2/nfce', elapsedMs: 300, at: clock.now(), ...e };
      for (const l of listeners) l(full);
    },
    count: () => listeners.size,
  };
}

function setup(opts: { probe?: () => Promise<boolean>; mayProbe?: () => boolean } = {}) {
  const clock = new FakeClock();
  const src = exchangeSource();
  const probeCalls: number[] = [];
  let probeAnswer = false;
  const monitor = new LinkMonitor({
    source: src.subscribe,
    clock,
    probe:
      opts.probe ??
      (async () => {
        probeCalls.push(clock.now());
        return probeAnswer;
      }),
    mayProbe: opts.mayProbe,
  });
  const changes: LinkChange[] = [];
  monitor.onChange((c) => changes.push(c));
  return {
    clock,
    src,
    monitor,
    changes,
    probeCalls,
    setProbe: (ok: boolean) => {
      probeAnswer = ok;
    },
    push: (e: Partial<ExchangeEvent> & Pick<ExchangeEvent, 'outcome'>) => src.push(e, clock),
  };
}

describe('LinkMonitor', () => {
  it('stays online on a healthy day and never probes', async () => {
    const s = setup();
    for (let i = 0; i < 50; i++) {
      s.push({ outcome: 'ok', status: 201, elapsedMs: 400 + i });
      await s.clock.advance(30_000);
    }
    expect(s.monitor.state()).toBe('online');
    expect(s.probeCalls).toEqual([]);
    expect(s.changes).toEqual([]);
  });

  it('a refused connection means offline at once; probes then back off and bring it back', async () => {
    const s = setup();
    s.push({ outcome: 'never-sent', elapsedMs: 2 });
    expect(s.monitor.state()).toBe('offline');
    expect(s.changes.map((c) => [c.previous, c.state, c.reason])).toEqual([['online', 'offline', 'refused']]);

    // Five minutes of outage: probes keep going, growing apart, never more than 4 in any minute.
    await s.clock.advance(5 * 60_000);
    expect(s.probeCalls.length).toBeGreaterThanOrEqual(5);
    const gaps = s.probeCalls.slice(1).map((t, i) => t - (s.probeCalls[i] as number));
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThanOrEqual(gaps[i - 1] as number);
    for (const t of s.probeCalls) {
      expect(s.probeCalls.filter((u) => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(4);
    }
    expect(gaps.at(-1)).toBeLessThanOrEqual(60_000);
    expect(s.monitor.state()).toBe('offline');

    // The internet comes back: the next probe says "degraded", a quick second one "online".
    s.setProbe(true);
    const before = s.probeCalls.length;
    const next = s.monitor.snapshot().nextProbeAt as number;
    expect(next - s.clock.now()).toBeLessThanOrEqual(60_000);
    await s.clock.advance(next - s.clock.now());
    expect(s.monitor.state()).toBe('degraded');
    await s.clock.advance(1_000);
    expect(s.monitor.state()).toBe('online');
    expect(s.probeCalls.length).toBe(before + 2);
    expect(s.changes.map((c) => c.state)).toEqual(['offline', 'degraded', 'online']);

    // Online again: no more probes.
    const settled = s.probeCalls.length;
    await s.clock.advance(10 * 60_000);
    expect(s.probeCalls.length).toBe(settled);
  });

  it('one timeout is doubt, the failed probe that follows makes it offline', async () => {
    const s = setup();
    s.push({ outcome: 'unknown-outcome', elapsedMs: 15_000 });
    expect(s.monitor.state()).toBe('degraded');
    await s.clock.advance(1_000);
    expect(s.probeCalls).toHaveLength(1);
    expect(s.monitor.state()).toBe('offline');
    expect(s.changes.map((c) => c.reason)).toEqual(['transport-failure', 'probe-failed']);
  });

  it('two timeouts in a row are offline without waiting for a probe', () => {
    const s = setup();
    s.push({ outcome: 'unknown-outcome', elapsedMs: 15_000 });
    s.push({ outcome: 'unknown-outcome', elapsedMs: 15_000 });
    expect(s.monitor.state()).toBe('offline');
  });

  it('a 5xx streak degrades then takes the link offline; the next good answer restores it', () => {
    const s = setup();
    s.push({ outcome: 'unknown-outcome', status: 502 });
    expect(s.monitor.state()).toBe('degraded');
    s.push({ outcome: 'unknown-outcome', status: 503 });
    expect(s.monitor.state()).toBe('degraded');
    s.push({ outcome: 'unknown-outcome', status: 500 });
    expect(s.monitor.state()).toBe('offline');
    s.push({ outcome: 'ok', status: 200, method: 'GET' });
    expect(s.monitor.state()).toBe('online');
  });

  it('slow answers in a row degrade; a fast one clears it', () => {
    const s = setup();
    s.push({ outcome: 'ok', status: 201, elapsedMs: 9_000 });
    expect(s.monitor.state()).toBe('online');
    s.push({ outcome: 'ok', status: 201, elapsedMs: 9_500 });
    expect(s.monitor.state()).toBe('degraded');
    s.push({ outcome: 'ok', status: 201, elapsedMs: 600 });
    expect(s.monitor.state()).toBe('online');
  });

  it('4xx answers, 429 included, prove the wire works', () => {
    const s = setup();
    s.push({ outcome: 'never-sent' });
    expect(s.monitor.state()).toBe('offline');
    s.push({ outcome: 'api-error', status: 429 });
    expect(s.monitor.state()).toBe('online');
    s.push({ outcome: 'api-error', status: 404 });
    expect(s.monitor.state()).toBe('online');
  });

  it('a stalled request (deadline passed, no answer yet) raises doubt and a prompt probe', async () => {
    const s = setup();
    s.setProbe(true);
    s.monitor.reportStall();
    expect(s.monitor.state()).toBe('degraded');
    await s.clock.advance(1_000);
    expect(s.probeCalls).toHaveLength(1);
    expect(s.monitor.state()).toBe('online');
  });

  it('checkNow probes at once instead of waiting out a long backoff, within the per-minute cap', async () => {
    const s = setup();
    s.push({ outcome: 'never-sent' });
    expect(s.monitor.state()).toBe('offline');
    // A long outage: the interval has grown to its ceiling.
    for (let i = 0; i < 12; i++) await s.clock.advance(60_000);
    // Just after an automatic (failed) probe.
    const seen = s.probeCalls.length;
    for (let i = 0; i < 130 && s.probeCalls.length === seen; i++) await s.clock.advance(500);
    const before = s.probeCalls.length;
    expect(before).toBe(seen + 1);
    const next = s.monitor.snapshot().nextProbeAt ?? 0;
    expect(next - s.clock.now()).toBeGreaterThan(10_000);
    s.setProbe(true);
    // Right after a failed automatic probe (traffic-free): the manager's click still probes.
    expect(await s.monitor.checkNow()).toBe('degraded');
    expect(s.probeCalls).toHaveLength(before + 1);
    expect(s.changes.at(-1)).toMatchObject({ state: 'degraded', previous: 'offline', reason: 'probe-ok' });
    // Online already: nothing to check.
    await s.clock.advance(1_000);
    expect(s.monitor.state()).toBe('online');
    expect(await s.monitor.checkNow()).toBe('online');
    expect(s.probeCalls).toHaveLength(before + 2);

    // The cap holds for clicks too: a new outage, six clicks in a row, four probes (the cap).
    s.setProbe(false);
    s.push({ outcome: 'never-sent' });
    const atOutage = s.probeCalls.length;
    for (let i = 0; i < 6; i++) await s.monitor.checkNow();
    expect(s.probeCalls.length - atOutage).toBe(4);
    expect(s.monitor.state()).toBe('offline');
  });

  it('real traffic in doubt saves the probe', async () => {
    const s = setup();
    s.push({ outcome: 'never-sent' });
    // The transmitter keeps trying every 500 ms and failing: those failures are the signal.
    for (let i = 0; i < 20; i++) {
      await s.clock.advance(500);
      s.push({ outcome: 'never-sent' });
    }
    expect(s.probeCalls).toEqual([]);
    expect(s.monitor.state()).toBe('offline');
  });

  it('respects the gate (no credits to spare → no probe)', async () => {
    let allowed = false;
    const s = setup({ mayProbe: () => allowed });
    s.push({ outcome: 'never-sent' });
    await s.clock.advance(30_000);
    expect(s.probeCalls).toEqual([]);
    allowed = true;
    await s.clock.advance(30_000);
    expect(s.probeCalls.length).toBeGreaterThan(0);
  });

  it('a throwing probe counts as a failed probe, a throwing listener does not break others', async () => {
    const clock = new FakeClock();
    const src = exchangeSource();
    const m = new LinkMonitor({
      source: src.subscribe,
      clock,
      probe: async () => {
        throw new Error('boom');
      },
    });
    const seen: string[] = [];
    m.onChange(() => {
      throw new Error('listener bug');
    });
    m.onChange((c) => seen.push(c.state));
    src.push({ outcome: 'unknown-outcome' }, clock);
    await clock.advance(1_000);
    expect(seen).toEqual(['degraded', 'offline']);
    m.close();
    expect(src.count()).toBe(0);
    expect(clock.pending()).toBe(0);
  });

  it('replays a real outage: sale ok, cable pulled, sales time out, cable back', async () => {
    const s = setup();
    const trace: string[] = [];
    s.monitor.onChange((c) => trace.push(`${Math.round((c.at - s.changes[0]!.at) / 1000)}s:${c.state}`));
    s.push({ outcome: 'ok', status: 201, elapsedMs: 850 });
    await s.clock.advance(40_000);
    // The cable is pulled while a POST is out: the engine's deadline fires first.
    s.monitor.reportStall();
    await s.clock.advance(3_000); // the probe (blackholed) fails → offline
    s.push({ outcome: 'unknown-outcome', elapsedMs: 60_000 }); // the POST's socket finally gives up
    await s.clock.advance(120_000);
    expect(s.monitor.state()).toBe('offline');
    s.setProbe(true);
    await s.clock.advance(61_000);
    await s.clock.advance(1_000);
    expect(s.monitor.state()).toBe('online');
    s.push({ outcome: 'ok', status: 201, elapsedMs: 700 });
    expect(s.changes.map((c) => c.state)).toEqual(['degraded', 'offline', 'degraded', 'online']);
    expect(trace[0]).toBe('0s:degraded');
  });
});
