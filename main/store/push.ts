// The push loop: the outbox goes up in seq order, in batches, at least once. The store stores in
// seq order only and acknowledges cumulatively (`ackedSeq`): everything up to it is marked pushed
// here; a duplicate is acknowledged again; a gap makes us resend from `expectedSeq`. A crash between
// the store's commit and our ack only means the next push repeats rows the store already has.
// Nothing here is on the checkout's path: a sale commits its outbox row and returns; this loop runs
// on its own timer, backs off while the store is down, and never throws into the caller.
//
// A journal restored from an older copy numbers its new rows with seqs the store already holds for
// other events (seq_conflict), or is behind what the store acknowledged. The loop then starts a new
// history (a fresh journal id) from its first unacknowledged row; the store deduplicates by event id
// across histories, so nothing is counted twice and the new rows go up (store/events.ts).
import { backoffDelay, type BackoffPolicy } from '../../shared/backoff.ts';
import { MAX_PUSH_EVENTS, PushAck, STORE_ROUTES, StoreError } from '../../shared/store/protocol.ts';
import type { Outbox } from '../db/outbox.ts';
import type { StoreHttp } from './http.ts';

export interface PushState {
  lastPushMs: number | null;
  ackedSeq: number;
  backlog: number;
  /** Store clock − lane clock at the last answer (ms). */
  clockSkewMs: number | null;
  error: { code: string; message: string } | null;
  /** Histories started after a restored journal (0: the first one still). */
  restarts: number;
}

const JOURNAL_STATE = 'push_journal';
interface PushJournal {
  id: string;
  startSeq: number;
}

export interface PushLoopDeps {
  outbox: Outbox;
  /** The lane's link to the store, null while not paired. */
  http: () => Pick<StoreHttp, 'post'> | null;
  now: () => number;
  batchSize?: number;
  /** How often an idle loop looks for new rows (ms). Default 500. */
  idleMs?: number;
  backoff?: BackoffPolicy;
  onChange?: (s: PushState) => void;
}

// Capped at 10 s: a store back from an outage hears from every lane within seconds, at one small request per lane.
export const PUSH_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 10_000, jitter: 0.2 };

export class PushLoop {
  readonly #d: PushLoopDeps;
  #state: PushState;
  #failures = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running: Promise<void> | null = null;
  #stopped = true;
  /** A history started here and not acknowledged yet: a conflict now is not the journal's age. */
  #fresh = false;

  constructor(d: PushLoopDeps) {
    this.#d = d;
    this.#state = { lastPushMs: null, ackedSeq: d.outbox.ackedThrough(), backlog: d.outbox.backlog().count, clockSkewMs: null, error: null, restarts: 0 };
  }

  #journal(): PushJournal | null {
    const raw = this.#d.outbox.getState(JOURNAL_STATE);
    if (raw === null) return null;
    try {
      const j = JSON.parse(raw) as PushJournal;
      return typeof j.id === 'string' && Number.isInteger(j.startSeq) && j.startSeq >= 1 ? j : null;
    } catch {
      return null;
    }
  }

  /** The journal is older than what the store holds: a new history from the first unacknowledged row. */
  #newHistory(): void {
    const startSeq = this.#d.outbox.ackedThrough() + 1;
    this.#d.outbox.setState(JOURNAL_STATE, JSON.stringify({ id: crypto.randomUUID(), startSeq } satisfies PushJournal));
    this.#fresh = true;
    this.#state = { ...this.#state, ackedSeq: startSeq - 1, restarts: this.#state.restarts + 1 };
  }

  state(): PushState {
    return { ...this.#state, backlog: this.#d.outbox.backlog().count };
  }

  /** Pushes until the outbox is empty or the store refuses. Returns the rows the store now holds. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const r = await this.pushOnce();
      total += r.stored;
      if (!r.more) return total;
    }
  }

  /** One batch. Throws StoreError when the store is unreachable or refuses. */
  async pushOnce(): Promise<{ stored: number; duplicates: number; more: boolean }> {
    const http = this.#d.http();
    if (!http) return { stored: 0, duplicates: 0, more: false };
    const batch = Math.min(this.#d.batchSize ?? 200, MAX_PUSH_EVENTS);
    const rows = this.#d.outbox.from(this.#state.ackedSeq, batch);
    if (rows.length === 0) return { stored: 0, duplicates: 0, more: false };
    const backlog = this.#d.outbox.backlog().count;
    const journal = this.#journal();
    const sending = http.post(
      STORE_ROUTES.events,
      {
        ...(journal ? { journal } : {}),
        events: rows.map((r) => ({
          id: r.id,
          seq: r.seq,
          kind: r.kind,
          atMs: Number.isFinite(r.atMs) ? r.atMs : 0,
          payload: r.payload as Record<string, unknown>,
        })),
        backlog: Math.max(0, backlog - rows.length),
        sentAtMs: this.#d.now(),
      },
      PushAck,
    );
    let ack: PushAck;
    try {
      ack = await sending;
    } catch (err) {
      if (!(err instanceof StoreError) || err.code !== 'seq_conflict' || this.#fresh) throw err;
      this.#newHistory();
      return { stored: 0, duplicates: 0, more: true };
    }
    const now = this.#d.now();
    const last = rows[rows.length - 1]!.seq;
    if (ack.ackedSeq > this.#d.outbox.lastSeq() && !this.#fresh) {
      // The store holds more of this lane than the journal ever wrote: the journal is an older copy.
      this.#newHistory();
      return { stored: ack.stored, duplicates: ack.duplicates, more: true };
    }
    this.#fresh = false;
    // Only rows this batch carried are marked: a row the journal wrote under a seq the store holds
    // for another event must still go up (and reveal the conflict), never be skipped.
    const confirmed = Math.min(ack.ackedSeq, last);
    this.#d.outbox.ack(confirmed, now);
    // The store's order is the truth: after a gap (or a store restored from an older copy) resend from where it is.
    this.#state = {
      ...this.#state,
      lastPushMs: now,
      ackedSeq: ack.gap ? ack.expectedSeq - 1 : confirmed,
      backlog: this.#d.outbox.backlog().count,
      clockSkewMs: ack.serverTimeMs - now,
      error: null,
    };
    this.#d.onChange?.(this.state());
    return { stored: ack.stored, duplicates: ack.duplicates, more: ack.gap || confirmed < this.#d.outbox.lastSeq() };
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule(0);
  }

  /** New rows were committed: push soon instead of at the next idle tick. */
  kick(): void {
    if (this.#stopped || this.#running || this.#failures > 0) return;
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#running = this.#tick().finally(() => (this.#running = null));
    }, ms);
    this.#timer.unref?.();
  }

  async #tick(): Promise<void> {
    try {
      const r = await this.pushOnce();
      this.#failures = 0;
      this.#schedule(r.more ? 0 : (this.#d.idleMs ?? 500));
    } catch (err) {
      this.#failures++;
      const e = err instanceof StoreError ? err : new StoreError('internal');
      this.#state = { ...this.#state, error: { code: e.code, message: e.message } };
      this.#d.onChange?.(this.state());
      this.#schedule(backoffDelay(this.#failures, this.#d.backoff ?? PUSH_BACKOFF));
    }
  }
}
