// A hand-driven clock: timers fire only when a test advances time, in due order, and the
// promises they start get to settle before the next one fires.
import type { TimerClock } from '../../../../main/link/clock.ts';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

export class FakeClock implements TimerClock {
  private t: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start = Date.UTC(2026, 9, 15, 13, 0, 0)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { id: ++this.seq, at: this.t + Math.max(0, ms), fn };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== handle);
  }

  pending(): number {
    return this.timers.length;
  }

  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    for (let guard = 0; guard < 100_000; guard++) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
      await settle();
    }
    this.t = target;
    await settle();
  }
}

export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}
