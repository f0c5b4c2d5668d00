// Tells whether Focus can be reached, from the answers the app already gets. A healthy shop pays
// nothing for it: probes run only while the link is in doubt (degraded or offline), with a growing
// interval and a hard cap per minute, so they can never eat the 100 requests/min Focus budget.
import type { ExchangeEvent } from '../focus/types.ts';
import type { LinkState } from '../../shared/contract.ts';
import { nextBackoff } from '../../shared/backoff.ts';
import { systemClock, type TimerClock } from './clock.ts';

export type { LinkState };

export interface LinkThresholds {
  /** An answer slower than this counts as slow. */
  slowMs: number;
  /** Consecutive slow answers before the link is called degraded. */
  slowToDegraded: number;
  /** Consecutive transport failures (timeout, reset, failed probe) before offline. */
  failuresToOffline: number;
  /** Consecutive 5xx answers before offline (one already makes it degraded). */
  serverErrorsToOffline: number;
  /** First probe delay after the link falls into doubt. */
  probeFirstMs: number;
  /** Probe interval grows by this factor after each probe that did not settle the doubt. */
  probeFactor: number;
  probeMaxMs: number;
  /** Hard cap, whatever the backoff says. */
  maxProbesPerMinute: number;
}

export const DEFAULT_THRESHOLDS: LinkThresholds = {
  slowMs: 5_000,
  slowToDegraded: 2,
  failuresToOffline: 2,
  serverErrorsToOffline: 3,
  probeFirstMs: 1_000,
  probeFactor: 2,
  probeMaxMs: 60_000,
  maxProbesPerMinute: 4,
};

/** Why the state moved; stable codes for logs and tests (the UI shows the state only). */
export type LinkReason = 'answer' | 'slow' | 'refused' | 'transport-failure' | 'server-error' | 'stall' | 'probe-ok' | 'probe-failed' | 'initial';

export interface LinkChange {
  state: LinkState;
  previous: LinkState;
  reason: LinkReason;
  at: number;
}

export interface LinkSnapshot {
  state: LinkState;
  since: number;
  reason: LinkReason;
  lastAnswerAt: number | null;
  probesSent: number;
  nextProbeAt: number | null;
}

/** A cheap reachability check (e.g. a TCP connect to the Focus host): true when it got through. */
export type LinkProbe = () => Promise<boolean>;

export interface LinkMonitorOptions {
  /** Where exchanges come from: FocusApi.onExchange. */
  source?: (listener: (e: ExchangeEvent) => void) => () => void;
  clock?: TimerClock;
  probe: LinkProbe;
  thresholds?: Partial<LinkThresholds>;
  /** Optional gate (e.g. the scheduler's credits): a false answer postpones the probe. */
  mayProbe?: (() => boolean) | undefined;
  initial?: LinkState;
}

type Signal = 'ok' | 'slow' | 'refused' | 'transport' | 'server';

function classify(e: ExchangeEvent, slowMs: number): Signal {
  if (e.status !== undefined && e.status >= 500) return 'server';
  switch (e.outcome) {
    case 'ok':
    case 'api-error':
      // 4xx (429 included) is an answer from Focus: the wire works.
      return e.elapsedMs > slowMs ? 'slow' : 'ok';
    case 'never-sent':
      return 'refused';
    case 'unknown-outcome':
      return 'transport';
  }
}

export class LinkMonitor {
  private readonly clock: TimerClock;
  private readonly probeFn: LinkProbe;
  private readonly mayProbe: () => boolean;
  private readonly t: LinkThresholds;
  private readonly listeners = new Set<(c: LinkChange) => void>();
  private readonly unsubscribe: (() => void) | null;

  private current: LinkState;
  private since: number;
  private reason: LinkReason = 'initial';
  private failures = 0;
  private serverErrors = 0;
  private slowStreak = 0;
  private lastAnswerAt: number | null = null;
  private lastExchangeAt = -Infinity;

  private backoffMs: number;
  private probeTimer: unknown = null;
  private nextProbeAt: number | null = null;
  private probing = false;
  private probeTimes: number[] = [];
  private probesSent = 0;
  private closed = false;

  constructor(opts: LinkMonitorOptions) {
    this.clock = opts.clock ?? systemClock;
    this.probeFn = opts.probe;
    this.mayProbe = opts.mayProbe ?? (() => true);
    this.t = { ...DEFAULT_THRESHOLDS, ...opts.thresholds };
    this.backoffMs = this.t.probeFirstMs;
    this.current = opts.initial ?? 'online';
    this.since = this.clock.now();
    this.unsubscribe = opts.source ? opts.source((e) => this.observe(e)) : null;
    if (this.current !== 'online') this.scheduleProbe();
  }

  state(): LinkState {
    return this.current;
  }

  snapshot(): LinkSnapshot {
    return {
      state: this.current,
      since: this.since,
      reason: this.reason,
      lastAnswerAt: this.lastAnswerAt,
      probesSent: this.probesSent,
      nextProbeAt: this.nextProbeAt,
    };
  }

  onChange(listener: (c: LinkChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Feed one exchange (the constructor's source calls this for every answer or failure). */
  observe(e: ExchangeEvent): void {
    if (this.closed) return;
    this.lastExchangeAt = this.clock.now();
    const signal = classify(e, this.t.slowMs);
    switch (signal) {
      case 'ok':
        this.failures = 0;
        this.serverErrors = 0;
        this.slowStreak = 0;
        this.lastAnswerAt = this.clock.now();
        this.move('online', 'answer');
        return;
      case 'slow':
        this.failures = 0;
        this.serverErrors = 0;
        this.slowStreak++;
        this.lastAnswerAt = this.clock.now();
        if (this.current === 'offline' || this.slowStreak >= this.t.slowToDegraded) this.move('degraded', 'slow');
        return;
      case 'refused':
        // The connection could not even be opened: no point waiting for a second opinion.
        this.failures = Math.max(this.failures + 1, this.t.failuresToOffline);
        this.move('offline', 'refused');
        return;
      case 'transport':
        this.failure('transport-failure');
        return;
      case 'server':
        this.serverErrors++;
        this.lastAnswerAt = this.clock.now();
        this.move(this.serverErrors >= this.t.serverErrorsToOffline ? 'offline' : 'degraded', 'server-error');
        return;
    }
  }

  /**
   * A request is taking longer than the authorization deadline and has not come back yet: the link
   * is in doubt now, not when the socket finally gives up.
   */
  reportStall(): void {
    if (this.closed) return;
    this.failure('stall');
  }

  /**
   * Someone asks to try now (the manager's "Enviar agora" after the cable is back): probe at once
   * instead of waiting out the backoff, still within the per-minute cap and the gate. Resolves
   * with the state afterwards.
   */
  async checkNow(): Promise<LinkState> {
    if (this.closed || this.current === 'online' || this.probing) return this.current;
    const now = this.clock.now();
    this.probeTimes = this.probeTimes.filter((t) => now - t < 60_000);
    if (this.probeTimes.length >= this.t.maxProbesPerMinute || !this.mayProbe()) return this.current;
    this.cancelProbe();
    await this.runProbe(true);
    return this.current;
  }

  close(): void {
    this.closed = true;
    this.cancelProbe();
    this.unsubscribe?.();
    this.listeners.clear();
  }

  private failure(reason: LinkReason): void {
    this.failures++;
    this.slowStreak = 0;
    this.move(this.failures >= this.t.failuresToOffline ? 'offline' : 'degraded', reason);
  }

  private move(next: LinkState, reason: LinkReason): void {
    const previous = this.current;
    if (next === previous) {
      if (next !== 'online' && this.probeTimer === null && !this.probing) this.scheduleProbe();
      return;
    }
    this.current = next;
    this.since = this.clock.now();
    this.reason = reason;
    if (next === 'online') {
      this.cancelProbe();
      this.backoffMs = this.t.probeFirstMs;
      this.probeTimes = [];
    } else if (previous === 'online') {
      // Fresh doubt: look again soon.
      this.backoffMs = this.t.probeFirstMs;
      this.cancelProbe();
      this.scheduleProbe();
    } else if (this.probeTimer === null && !this.probing) {
      this.scheduleProbe();
    }
    const change: LinkChange = { state: next, previous, reason, at: this.since };
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch {
        // A listener's bug must not stop the others from hearing about the link.
      }
    }
  }

  private cancelProbe(): void {
    if (this.probeTimer !== null) this.clock.clearTimeout(this.probeTimer);
    this.probeTimer = null;
    this.nextProbeAt = null;
  }

  private scheduleProbe(): void {
    if (this.closed) return;
    const now = this.clock.now();
    let delay = this.backoffMs;
    this.probeTimes = this.probeTimes.filter((t) => now - t < 60_000);
    if (this.probeTimes.length >= this.t.maxProbesPerMinute) {
      const oldest = this.probeTimes[0] as number;
      delay = Math.max(delay, oldest + 60_000 - now);
      // Keep the intervals growing: the cap is a floor for every later wait too.
      this.backoffMs = Math.min(this.t.probeMaxMs, Math.max(this.backoffMs, delay));
    }
    this.nextProbeAt = now + delay;
    this.probeTimer = this.clock.setTimeout(() => void this.runProbe(), delay);
  }

  private async runProbe(asked = false): Promise<void> {
    this.probeTimer = null;
    this.nextProbeAt = null;
    if (this.closed || this.current === 'online') return;
    const now = this.clock.now();
    // Real traffic since the last look already told us what a probe would: save the probe.
    const recentTraffic = now - this.lastExchangeAt < this.backoffMs;
    if (!asked && (recentTraffic || !this.mayProbe())) {
      this.scheduleProbe();
      return;
    }
    this.probing = true;
    this.probeTimes.push(now);
    this.probesSent++;
    let ok: boolean;
    try {
      ok = await this.probeFn();
    } catch {
      ok = false;
    }
    this.probing = false;
    if (this.closed) return;
    if (ok) {
      this.failures = 0;
      this.serverErrors = 0;
      // Hysteresis: one good probe after an outage says "try again" (and look again soon),
      // a second one says "online".
      const wasOffline = this.current === 'offline';
      this.backoffMs = wasOffline ? this.t.probeFirstMs : this.grow(this.backoffMs);
      this.move(wasOffline ? 'degraded' : 'online', 'probe-ok');
    } else {
      this.backoffMs = this.grow(this.backoffMs);
      this.failure('probe-failed');
    }
    if ((this.current as LinkState) !== 'online' && this.probeTimer === null) this.scheduleProbe();
  }

  private grow(ms: number): number {
    return nextBackoff(ms, { baseMs: this.t.probeFirstMs, maxMs: this.t.probeMaxMs, factor: this.t.probeFactor });
  }
}
