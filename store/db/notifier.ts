// Wakes the long-polls when records change. One dedicated connection LISTENs on the records channel
// (so a change written by another store process or the CLI wakes them too); `latest` remembers the
// highest version announced, so a poll that registers just after a change returns at once instead
// of waiting for the next one. A lost connection is reopened; waits then end on their timeout.
import pg from 'pg';

interface Waiter {
  since: number;
  done: () => void;
}

export class ChangeNotifier {
  #latest: number;
  #waiters = new Set<Waiter>();
  #client: pg.Client | null = null;
  #closed = false;
  #retry: NodeJS.Timeout | null = null;
  readonly #url: string;
  readonly #channel: string;

  constructor(url: string, channel: string, latest: number) {
    this.#url = url;
    this.#channel = channel;
    this.#latest = latest;
  }

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#url, application_name: 'balcao-store-listen' });
    client.on('notification', (msg) => {
      if (msg.channel === this.#channel) this.bump(Number(msg.payload));
    });
    client.on('error', () => this.#reconnect());
    client.on('end', () => this.#reconnect());
    await client.connect();
    await client.query(`LISTEN ${this.#channel}`);
    this.#client = client;
  }

  #reconnect(): void {
    if (this.#closed || this.#retry !== null) return;
    this.#client = null;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      this.start().catch(() => this.#reconnect());
    }, 1000);
  }

  /** Also called in-process after a write commits, so a lost LISTEN never delays a local change. */
  bump(version: number): void {
    if (!Number.isFinite(version) || version <= this.#latest) return;
    this.#latest = version;
    for (const w of this.#waiters) if (w.since < version) w.done();
  }

  /** Resolves when a version past `since` is announced, after `ms`, or when `signal` aborts. */
  wait(since: number, ms: number, signal?: AbortSignal): Promise<void> {
    if (this.#latest > since || ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter: Waiter = {
        since,
        done: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', waiter.done);
          this.#waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.done, ms);
      signal?.addEventListener('abort', waiter.done, { once: true });
      this.#waiters.add(waiter);
    });
  }

  /** Long-polls parked right now (the lanes' screen and the tests read it). */
  get waiting(): number {
    return this.#waiters.size;
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retry !== null) clearTimeout(this.#retry);
    for (const w of [...this.#waiters]) w.done();
    const c = this.#client;
    this.#client = null;
    await c?.end().catch(() => {});
  }
}
