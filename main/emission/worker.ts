// The worker loop: drives one emission at a time to a state it can leave (authorized, rejected,
// …), POSTing at most once per ref unless Focus proved the earlier POST never arrived. The journal
// is the truth: 'sending' is committed before the POST leaves, so after a crash any emission found
// 'sending' or 'unknown' is resolved with GET /v2/nfce/REF before any new POST.
import type { FocusApi, FocusDocument } from '../focus/types.ts';
import type { Journal } from '../db/journal.ts';
import type { EmissionRow } from '../db/types.ts';
import type { EmissionState, EmissionView } from '../../shared/emission.ts';
import { NfcePayloadError } from '../../shared/nfce/payload.ts';
import { explainRejection } from '../../shared/fiscal/rejections.ts';
import { backoffDelay } from '../../shared/backoff.ts';
import type { FocusScheduler } from './scheduler.ts';
import type { EmissionFeed } from './feed.ts';
import { freshPayload, type FreshPayload } from './freshness.ts';
import { answerOf, decideEmit, decideQuery, type Decision } from './outcomes.ts';
import { problemPatch } from './problem.ts';
import { NOTE_MISMATCH, NOTE_MISMATCH_TITLE, noteMismatch } from './note-match.ts';
import type { Clock, ContingencyPort, CrashPoint, EngineSettings } from './types.ts';

export interface WorkerTiming {
  emitDeadlineMs: number;
  queryDeadlineMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  processingPollMs: number;
  maxEmissionAgeMs: number;
}

export interface WorkerDeps {
  journal: Journal;
  api: FocusApi;
  scheduler: FocusScheduler;
  settings: () => EngineSettings;
  clock: Clock;
  feed: EmissionFeed;
  timing: WorkerTiming;
  contingency: ContingencyPort | undefined;
  /** The offline flow took the sale over before the POST (link offline): release its waiters. */
  diverted: (saleId: number, view: EmissionView) => void;
  crashPoint: ((point: CrashPoint, info: { saleId?: number; ref?: string }) => void) | undefined;
  /** A loop step failed (disk full, a damaged page, a bug): reported, never an unhandled rejection. */
  report: (err: unknown, at: { emissionId?: number }) => void;
  /** A loop step of this emission succeeded: a fault it had reported may be cleared. */
  recovered: (emissionId: number) => void;
}

type Next = 'continue' | 'stop' | 'backoff' | 'poll';

export class EmissionWorker {
  readonly #d: WorkerDeps;
  /** One loop per emission id: two loops never drive the same emission. */
  readonly #loops = new Map<number, Promise<void>>();
  readonly #sleeps = new Set<{ timer: ReturnType<typeof setTimeout>; resolve: () => void }>();
  #closed = false;

  constructor(deps: WorkerDeps) {
    this.#d = deps;
  }

  /** Number of emissions being worked on. */
  get busy(): number {
    return this.#loops.size;
  }

  drive(emissionId: number, opts: { fromRestart?: boolean } = {}): Promise<void> {
    const running = this.#loops.get(emissionId);
    if (running) return running;
    // Never rejects: a failing loop is reported (the loop itself retries a failed step).
    const p = this.#loop(emissionId, opts.fromRestart === true)
      .catch((err: unknown) => this.#d.report(err, { emissionId }))
      .finally(() => this.#loops.delete(emissionId));
    this.#loops.set(emissionId, p);
    return p;
  }

  /** Stops every loop (each leaves its emission in a state a restart resolves). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const s of this.#sleeps) {
      clearTimeout(s.timer);
      s.resolve();
    }
    this.#sleeps.clear();
    await Promise.allSettled([...this.#loops.values()]);
  }

  sleep(ms: number): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const entry = {
        timer: setTimeout(
          () => {
            this.#sleeps.delete(entry);
            resolve();
          },
          Math.max(0, ms),
        ),
        resolve,
      };
      // Not unref'd: an emission waiting to retry is work in progress and keeps the process alive
      // (close() cancels these timers).
      this.#sleeps.add(entry);
    });
  }

  #publish(row: EmissionRow | null): void {
    if (row) this.#d.feed.publish(row);
  }

  async #loop(emissionId: number, fromRestart: boolean): Promise<void> {
    const { journal, timing } = this.#d;
    let failures = 0;
    // A 'pending' row left by an earlier run is resolved by GET first as well: cheap insurance
    // against a journal restored from a copy taken while the POST was out.
    let queryFirst = fromRestart;
    while (!this.#closed) {
      let next: Next;
      try {
        const row = journal.emissions.get(emissionId);
        if (!row) return;
        if (row.environment !== this.#d.settings().environment) return; // belongs to another token: left for that environment
        if (row.state === 'pending' && !queryFirst) next = await this.#post(row);
        else if (row.state === 'pending' || row.state === 'unknown') next = await this.#resolve(row);
        else if (row.state === 'sending') {
          // Only an earlier run (or a crashed step) leaves 'sending': the POST may have left.
          this.#publish(journal.emissions.transition(row.id, 'sending', 'unknown'));
          next = 'continue';
        } else return;
        queryFirst = false;
        this.#d.recovered(emissionId);
      } catch (err) {
        // Disk full, a damaged page, a bug: the emission stays where the journal last recorded it
        // ('sending' is resolved by GET), the fault is reported, and the loop tries again later.
        this.#d.report(err, { emissionId });
        next = 'backoff';
      }
      if (next === 'stop') return;
      if (next === 'continue') {
        failures = 0;
        continue;
      }
      if (next === 'poll') {
        await this.sleep(timing.processingPollMs);
        continue;
      }
      failures++;
      // Up to +25 % jitter so lanes that failed together do not retry in step.
      await this.sleep(backoffDelay(failures, { baseMs: timing.retryBaseMs, maxMs: timing.retryMaxMs, jitter: 0.25 }));
    }
  }

  async #post(row: EmissionRow): Promise<Next> {
    const { journal, clock, timing } = this.#d;
    const crash = this.#d.crashPoint;
    const latest = journal.emissions.latestForSale(row.saleId);
    if (latest && latest.id !== row.id) {
      // A later attempt (manual contingency) speaks for the sale and this one is known not to exist
      // at Focus (never sent, or GET said 404): POSTing it now would make a second valid note.
      this.#publish(journal.emissions.transition(row.id, 'pending', 'superseded', {}));
      return 'stop';
    }
    const port = this.#d.contingency;
    if (port && port.linkState() === 'offline') {
      const diverted = await port.divert(row.saleId, 'offline');
      if (diverted) {
        this.#d.diverted(row.saleId, diverted);
        return 'stop';
      }
    }
    const sale = journal.sales.require(row.saleId);
    let built: FreshPayload;
    try {
      const now = clock.now();
      built = freshPayload({
        row,
        sale,
        createdMs: journal.sales.createdMs(sale.id) ?? now,
        settings: this.#d.settings(),
        now,
        maxAgeMs: timing.maxEmissionAgeMs,
      });
    } catch (err) {
      // The sale cannot become a valid note (e.g. CSOSN × regime): a manager fixes the product and resends.
      const payloadError = err instanceof NfcePayloadError;
      const msg = payloadError ? err.message : String((err as Error)?.message ?? err);
      const p = payloadError
        ? { title: 'Dados da venda inválidos para a NFC-e', fix: `${msg} Corrija o cadastro do produto e reenvie a nota.` }
        : explainRejection(undefined, msg, 'erro_interno');
      this.#publish(
        journal.emissions.transition(row.id, 'pending', 'rejected', {
          ...problemPatch('invalid_sale_data', p.title, p.fix),
          mensagemSefaz: msg,
          statusSefaz: null,
        }),
      );
      return 'stop';
    }
    // 'sending' is committed only when the queue lets the request go, right before it leaves:
    // while it waits for rate-limit credits the emission is still plainly 'pending'.
    let notRecorded: unknown = null;
    const outcome = await this.#d.scheduler
      .run('emission', async () => {
        let sending: EmissionRow | null;
        try {
          sending = journal.emissions.transition(row.id, 'pending', 'sending', { emittedMs: built.emittedMs, incrementPosts: true });
        } catch (err) {
          // The journal could not record 'sending' (disk full…): nothing goes on the wire.
          notRecorded = err;
          return 'moved' as const;
        }
        if (!sending) return 'moved' as const;
        this.#publish(sending);
        crash?.('after-sending-commit', { saleId: row.saleId, ref: row.ref });
        const p = this.#d.api.emit(row.ref, built.body, { deadlineMs: timing.emitDeadlineMs, completa: true });
        crash?.('post-in-flight', { saleId: row.saleId, ref: row.ref });
        return p;
      })
      .catch(() => null);
    // The queue was closed before the request could start: nothing left this machine, still pending.
    if (outcome === null) return 'stop';
    if (notRecorded !== null) throw notRecorded instanceof Error ? notRecorded : new Error(String(notRecorded));
    if (outcome === 'moved') return 'continue';
    crash?.('after-answer', { saleId: row.saleId, ref: row.ref });
    const next = this.#apply(row.id, 'sending', decideEmit(outcome), answerOf('emit', outcome, clock.now()));
    crash?.('after-result-commit', { saleId: row.saleId, ref: row.ref });
    return next;
  }

  async #resolve(row: EmissionRow): Promise<Next> {
    const outcome = await this.#d.scheduler
      .run('resolve', () => this.#d.api.query(row.ref, { deadlineMs: this.#d.timing.queryDeadlineMs, completa: true }))
      .catch(() => null);
    if (outcome === null) return 'stop';
    this.#d.crashPoint?.('after-query-answer', { saleId: row.saleId, ref: row.ref });
    return this.#apply(row.id, row.state, decideQuery(outcome), answerOf('query', outcome, this.#d.clock.now()));
  }

  /** Commits a decision (compare-and-set on `from`), publishes it, and says what the loop does next. */
  #apply(id: number, from: EmissionState, d: Decision, answer: ReturnType<typeof answerOf>): Next {
    const em = this.#d.journal.emissions;
    switch (d.kind) {
      case 'adopt': {
        const mismatch = d.doc ? this.#mismatch(id, d.doc) : null;
        if (mismatch) {
          // Never "Autorizada" with another sale's note: a manager decides (resend uses a new ref).
          const blocked = em.transition(
            id,
            from,
            'blocked',
            {
              ...problemPatch(
                NOTE_MISMATCH,
                NOTE_MISMATCH_TITLE,
                `A Focus já tem uma nota com a referência desta venda, mas ${mismatch}. A nota desta venda não foi emitida. ` +
                  'Confira a venda e use "Reenviar": ela será emitida com uma referência nova. Avise o suporte (arquivo de vendas restaurado de uma cópia?).',
              ),
              statusSefaz: null,
              mensagemSefaz: null,
            },
            answer,
          );
          if (!blocked) return 'continue';
          this.#d.journal.audit.add({
            actor: 'system',
            action: 'note_mismatch',
            saleId: blocked.saleId,
            details: { ref: blocked.ref, reason: mismatch, chave: d.patch.chave ?? null },
          });
          this.#publish(blocked);
          return 'stop';
        }
        const moved = em.transition(id, from, d.to, d.patch, answer);
        if (!moved) return 'continue';
        this.#publish(moved);
        return 'stop';
      }
      case 'resend': {
        const moved = em.transition(id, from, 'pending', d.patch ?? {}, answer);
        if (!moved) return 'continue';
        if (from !== 'pending') this.#publish(moved);
        // A refusal that never reached Focus (no connection, 429) waits before the next POST;
        // a 404 from GET means the POST never arrived: send it again right away.
        return answer.operation === 'query' ? 'continue' : 'backoff';
      }
      case 'unknown': {
        this.#publish(em.transition(id, from, 'unknown', {}, answer));
        return 'backoff';
      }
      case 'ask-again': {
        em.recordAnswer(id, answer);
        if (d.patch) this.#publish(em.update(id, d.patch));
        const body = answer.kind === 'ok' && answer.body ? (JSON.parse(answer.body) as FocusDocument) : null;
        return body?.status === 'processando_autorizacao' ? 'poll' : 'backoff';
      }
    }
  }

  /** Why Focus's note under this emission's ref cannot be this sale's, or null. */
  #mismatch(id: number, doc: FocusDocument): string | null {
    const { journal } = this.#d;
    const row = journal.emissions.get(id);
    if (!row) return null;
    const sale = journal.sales.get(row.saleId);
    if (!sale) return null;
    return noteMismatch(sale, journal.sales.createdMs(row.saleId) ?? row.createdMs, row.emittedMs ?? row.updatedMs, doc);
  }
}
