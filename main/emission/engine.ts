// The emission engine: turns committed sales into exactly one NFC-e each, whatever fails on the way.
// The journal is the truth. A sale and its emission row (with its Focus ref) are committed before
// anything goes on the wire; 'sending' is committed before the POST leaves, so after a crash any
// emission found 'sending' or 'unknown' is resolved with GET /v2/nfce/REF before any new POST.
import type { FocusApi, FocusDocument } from '../focus/types.ts';
import type { Journal } from '../db/journal.ts';
import type { AuditInput, EmissionPatch, EmissionRow, NewSale } from '../db/types.ts';
import { ENGINE_OPEN_STATES, isResendable, isSettled, STATE_LABEL_PT, type EmissionState, type EmissionView } from '../../shared/emission.ts';
import { NO_PROBLEM, problemPatch } from './problem.ts';
import type { Sale } from '../../shared/sale.ts';
import { buildNfceRequest, NfcePayloadError } from '../../shared/nfce/payload.ts';
import { explainRejection } from '../../shared/fiscal/rejections.ts';
import { localOffsetMinutes, toFocusDateTime } from '../../shared/datetime.ts';
import { FocusScheduler } from './scheduler.ts';
import { XmlArchiver } from './archive.ts';
import { AfterSale } from './after-sale.ts';
import { answerOf, decideEmit, decideQuery, type Decision } from './outcomes.ts';
import { toEmissionView } from './views.ts';
import { NOTE_MISMATCH, NOTE_MISMATCH_TITLE, noteMismatch } from './note-match.ts';
import { relearnFromFocus, type RelearnReport } from './relearn.ts';
import { resolvePendingSideEffects } from './side-effects.ts';
import { isDiskFull } from '../db/faults.ts';
import { UserFacingError } from '../../shared/errors.ts';
import {
  EmissionError,
  type CatalogPort,
  type Clock,
  type ContingencyPort,
  type CrashPoint,
  type EngineSettings,
} from './types.ts';

export interface EmissionEngineOptions {
  journal: Journal;
  api: FocusApi;
  settings: () => EngineSettings;
  /** Root of the local XML archive (<dataDir>/xml/…). */
  dataDir: string;
  /** Shared with every other part that talks to Focus; built from api.rateLimit when absent. */
  scheduler?: FocusScheduler;
  clock?: Clock;
  contingency?: ContingencyPort;
  /** Needed by resend() to rebuild a rejected note from corrected product data. */
  catalog?: CatalogPort;
  /** HTTP deadline of a POST (then the outcome is unknown and resolved by GET). Default 60 000. */
  emitDeadlineMs?: number;
  /** HTTP deadline of a GET. Default 15 000. */
  queryDeadlineMs?: number;
  /** Back-off between attempts to reach Focus: base and ceiling. Defaults 500 / 15 000 ms. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Wait between GETs while Focus says processando_autorizacao. Default 2 000 ms. */
  processingPollMs?: number;
  /** start() stops waiting for old emissions after this long (they keep resolving). Default 20 000. */
  startupDeadlineMs?: number;
  /** data_emissao older than this is refreshed on (re)POST so SEFAZ does not reject it (704). Default 4 min. */
  maxEmissionAgeMs?: number;
  /** Download the XMLs in the background. Default true. */
  archive?: boolean;
  /** Test hook: called at named points of the emission path (crash injection). */
  crashPoint?: (point: CrashPoint, info: { saleId?: number; ref?: string }) => void;
  /** A background failure (disk full, damaged page, a bug): reported, never thrown. Default: stderr. */
  onFault?: (fault: EngineFault) => void;
}

/** A failure a background loop caught (it retries with back-off; nothing is lost). */
export interface EngineFault {
  code: string;
  message: string;
  atMs: number;
  emissionId?: number;
}

export interface FinalizeResult {
  saleId: number;
  emission: EmissionView;
  /** false when the clientId had already been committed (a resent finalize). */
  created: boolean;
}

type Listener = (view: EmissionView) => void;

export class EmissionEngine {
  readonly journal: Journal;
  readonly scheduler: FocusScheduler;
  readonly #api: FocusApi;
  readonly #settings: () => EngineSettings;
  readonly #clock: Clock;
  readonly #contingency: ContingencyPort | undefined;
  readonly #catalog: CatalogPort | undefined;
  readonly #archiver: XmlArchiver | null;
  readonly #afterSale: AfterSale;
  readonly #o: Required<Pick<EmissionEngineOptions, 'emitDeadlineMs' | 'queryDeadlineMs' | 'retryBaseMs' | 'retryMaxMs' | 'processingPollMs' | 'startupDeadlineMs' | 'maxEmissionAgeMs'>>;
  readonly #crash: EmissionEngineOptions['crashPoint'];
  readonly #listeners = new Set<Listener>();
  /** One worker per emission id: two loops never drive the same emission. */
  readonly #workers = new Map<number, Promise<void>>();
  /** finalize()/resend() callers waiting for a sale to settle (a view when the offline flow took it). */
  readonly #waiters = new Map<number, Set<(diverted?: EmissionView) => void>>();
  /** Ends every deadline wait at close (background finalizes must not hold the process open). */
  readonly #abortWaits = new Set<() => void>();
  readonly #sleeps = new Set<{ timer: ReturnType<typeof setTimeout>; resolve: () => void }>();
  #startPromise: Promise<void> | null = null;
  #closed = false;
  readonly #onFault: (f: EngineFault) => void;
  #fault: EngineFault | null = null;
  #relearning: Promise<RelearnReport | null> | null = null;

  constructor(opts: EmissionEngineOptions) {
    this.journal = opts.journal;
    this.#api = opts.api;
    this.#settings = opts.settings;
    this.#clock = opts.clock ?? { now: Date.now };
    this.#contingency = opts.contingency;
    this.#catalog = opts.catalog;
    this.#crash = opts.crashPoint;
    this.#onFault = opts.onFault ?? ((f) => process.stderr.write(`balcao: emission fault ${f.code}: ${f.message}\n`));
    this.scheduler = opts.scheduler ?? new FocusScheduler({ rateLimit: () => opts.api.rateLimit(), now: () => this.#clock.now() });
    this.#o = {
      emitDeadlineMs: opts.emitDeadlineMs ?? 60_000,
      queryDeadlineMs: opts.queryDeadlineMs ?? 15_000,
      retryBaseMs: opts.retryBaseMs ?? 500,
      retryMaxMs: opts.retryMaxMs ?? 15_000,
      processingPollMs: opts.processingPollMs ?? 2_000,
      startupDeadlineMs: opts.startupDeadlineMs ?? 20_000,
      maxEmissionAgeMs: opts.maxEmissionAgeMs ?? 4 * 60_000,
    };
    this.#archiver =
      opts.archive === false
        ? null
        : new XmlArchiver({ journal: opts.journal, api: opts.api, scheduler: this.scheduler, dataDir: opts.dataDir, now: () => this.#clock.now() });
    this.#afterSale = new AfterSale({
      journal: this.journal,
      api: this.#api,
      scheduler: this.scheduler,
      clock: this.#clock,
      emitDeadlineMs: this.#o.emitDeadlineMs,
      queryDeadlineMs: this.#o.queryDeadlineMs,
      changed: (row) => {
        this.#publish(row);
        this.#archiver?.enqueue(row);
      },
    });
  }

  // ── events ────────────────────────────────────────────────────────────────────────────────────

  /** Subscribes to committed state changes. Returns the unsubscribe function. */
  on(event: 'emission.changed', listener: Listener): () => void {
    if (event !== 'emission.changed') throw new Error(`evento desconhecido: ${String(event)}`);
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #publish(row: EmissionRow): void {
    const view = toEmissionView(row);
    for (const l of this.#listeners) {
      try {
        l(view);
      } catch {
        // A listener's failure must not stop the emission path.
      }
    }
    if (isSettled(row.state)) {
      const ws = this.#waiters.get(row.saleId);
      if (ws) for (const w of ws) w();
    }
  }

  /**
   * Lets the offline flow (or any part that changed an emission in the journal itself) announce
   * the new state through the same event stream.
   */
  announce(emissionId: number): EmissionView | null {
    const row = this.journal.emissions.get(emissionId);
    if (!row) return null;
    this.#publish(row);
    return toEmissionView(row);
  }

  // ── lifecycle ─────────────────────────────────────────────────────────────────────────────────

  /**
   * Resolves every emission a previous run left open (pending, sending, unknown) before new sales
   * are taken. Returns when they all settled or startupDeadlineMs passed (they keep resolving).
   */
  start(): Promise<void> {
    this.#startPromise ??= (async () => {
      try {
        if (this.journal.refusal()) await this.relearn();
        const open = this.journal.emissions.listOpen(ENGINE_OPEN_STATES);
        const runs = [
          ...open.map((row) => this.#drive(row.id, { fromRestart: true })),
          // Cancellations, e-mails… journaled as pending by an earlier run: ask Focus what happened.
          this.#guard(() => resolvePendingSideEffects({ journal: this.journal, api: this.#api, scheduler: this.scheduler, clock: this.#clock, queryDeadlineMs: this.#o.queryDeadlineMs, changed: (row) => this.#publish(row) }), {}),
        ];
        await Promise.race([Promise.allSettled(runs), this.#sleep(this.#o.startupDeadlineMs)]);
        this.#archiver?.enqueueBacklog();
      } catch (err) {
        // start() never rejects: a fault here is reported and the workers retry on their own.
        this.#report(err, {});
      }
    })();
    return this.#startPromise;
  }

  /** Stops the workers (they leave every emission in a state a restart resolves) and the queue. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const s of this.#sleeps) {
      clearTimeout(s.timer);
      s.resolve();
    }
    this.#sleeps.clear();
    for (const abort of [...this.#abortWaits]) abort();
    this.#archiver?.close();
    this.scheduler.close();
    await Promise.allSettled([...this.#workers.values()]);
    await this.#relearning?.catch(() => null);
  }

  // ── faults ────────────────────────────────────────────────────────────────────────────────────

  /** The last background fault still standing (cleared by the next successful step), or null. */
  fault(): EngineFault | null {
    return this.#fault;
  }

  #report(err: unknown, at: { emissionId?: number }): void {
    const code = err instanceof UserFacingError ? err.code : isDiskFull(err, this.journal.path) ? 'disk_full' : 'internal';
    const message = err instanceof UserFacingError ? err.message : String((err as Error)?.message ?? err).slice(0, 300);
    const f: EngineFault = { code, message, atMs: this.#clock.now(), ...(at.emissionId !== undefined ? { emissionId: at.emissionId } : {}) };
    const repeated = this.#fault?.code === f.code && this.#fault.emissionId === f.emissionId;
    this.#fault = f;
    try {
      this.#onFault(f);
    } catch {
      // a reporter's failure changes nothing
    }
    if (repeated || code === 'disk_full') return;
    try {
      this.journal.audit.add({ actor: 'system', action: 'fault', details: { code, message: f.message, ...at } });
    } catch {
      // the journal itself may be what failed
    }
  }

  /** Runs a background task; its failure is reported, never an unhandled rejection. */
  #guard(task: () => Promise<unknown>, at: { emissionId?: number }): Promise<void> {
    return task().then(
      () => undefined,
      (err: unknown) => this.#report(err, at),
    );
  }

  // ── rollback recovery ─────────────────────────────────────────────────────────────────────────

  /**
   * For a journal behind its high-water mark: GETs from Focus every ref the missing sales could
   * have used, writes back the notes Focus has, and lets selling resume. Null when the journal is
   * not behind; a report otherwise (unresolved > 0: Focus could not answer for all, still refused).
   */
  relearn(): Promise<RelearnReport | null> {
    if (!this.journal.refusal()) return Promise.resolve(null);
    this.#relearning ??= relearnFromFocus({
      journal: this.journal,
      api: this.#api,
      scheduler: this.scheduler,
      terminalId: this.#settings().terminalId,
      environment: this.#settings().environment,
      queryDeadlineMs: this.#o.queryDeadlineMs,
      now: () => this.#clock.now(),
    }).finally(() => {
      this.#relearning = null;
    });
    return this.#relearning;
  }

  // ── reads ─────────────────────────────────────────────────────────────────────────────────────

  view(saleId: number): EmissionView | null {
    const row = this.journal.emissions.latestForSale(saleId);
    return row ? toEmissionView(row) : null;
  }

  attempts(saleId: number): EmissionView[] {
    return this.journal.emissions.attemptsForSale(saleId).map(toEmissionView);
  }

  /** Number of this process's emissions still being worked on (tests, status bar). */
  busy(): number {
    return this.#workers.size;
  }

  // ── finalize ──────────────────────────────────────────────────────────────────────────────────

  /**
   * Commits the sale with its first emission and sends it. Resolves when the note reached a settled
   * state, or when the authorization deadline passed (then the view is pending/sending/unknown
   * and the work continues in the background, or the contingency port took the sale over).
   * Idempotent on sale.clientId.
   */
  async finalize(sale: NewSale, opts: { audit?: AuditInput[]; wait?: boolean } = {}): Promise<FinalizeResult> {
    this.#assertOpen();
    await this.start();
    this.#assertOpen();
    if (this.journal.refusal()) await this.relearn().catch((err: unknown) => this.#report(err, {}));
    const settings = this.#settings();
    this.#crash?.('before-sale-commit', {});
    const { sale: committed, emission, created } = this.journal.sales.commitSale(sale, {
      environment: settings.environment,
      ...(opts.audit ? { audit: opts.audit } : {}),
    });
    this.#crash?.('after-sale-commit', { saleId: committed.id, ref: emission.ref });
    if (created) this.#publish(emission);
    if (opts.wait === false) {
      // The checkout moves on at once: the same drive, deadline and contingency diversion run in
      // the background, and every change reaches the screen as 'emission.changed'.
      void this.#driveAndWait(committed.id, emission.id, settings).catch(() => {});
      const row = this.journal.emissions.latestForSale(committed.id) ?? emission;
      return { saleId: committed.id, emission: toEmissionView(row), created };
    }
    const view = await this.#driveAndWait(committed.id, emission.id, settings);
    return { saleId: committed.id, emission: view, created };
  }

  async #driveAndWait(saleId: number, emissionId: number, settings: EngineSettings): Promise<EmissionView> {
    const deadlineMs = settings.authorizationDeadlineMs ?? 15_000;
    const settled = this.#waitSettled(saleId, deadlineMs);
    void this.#drive(emissionId); // never rejects: #drive reports its own failures
    const ok = await settled;
    if (typeof ok === 'object') return ok;
    if (!ok && this.#contingency && !this.#closed) {
      const current = this.journal.emissions.latestForSale(saleId);
      if (current && !isSettled(current.state)) {
        const diverted = await this.#contingency.divert(saleId, 'deadline');
        if (diverted) return diverted;
      }
    }
    const row = this.journal.emissions.latestForSale(saleId);
    if (!row) throw new EmissionError('sale_not_found', `Venda ${saleId} não encontrada.`);
    return toEmissionView(row);
  }

  /**
   * Resolves true once the sale's latest attempt is settled, the offline flow's view when it took
   * the sale over, false at the deadline.
   */
  #waitSettled(saleId: number, deadlineMs: number): Promise<boolean | EmissionView> {
    const latest = this.journal.emissions.latestForSale(saleId);
    if (latest && isSettled(latest.state)) return Promise.resolve(true);
    return new Promise<boolean | EmissionView>((resolve) => {
      let set = this.#waiters.get(saleId);
      if (!set) this.#waiters.set(saleId, (set = new Set()));
      const done = (v: boolean | EmissionView) => {
        clearTimeout(timer);
        this.#abortWaits.delete(abort);
        set.delete(onSettle);
        if (set.size === 0) this.#waiters.delete(saleId);
        resolve(v);
      };
      const onSettle = (diverted?: EmissionView) => {
        if (diverted) return done(diverted);
        const row = this.journal.emissions.latestForSale(saleId);
        if (row && isSettled(row.state)) done(true);
      };
      const timer = setTimeout(() => done(false), deadlineMs);
      const abort = () => done(false);
      this.#abortWaits.add(abort);
      set.add(onSettle);
    });
  }

  // ── the worker ────────────────────────────────────────────────────────────────────────────────

  #drive(emissionId: number, opts: { fromRestart?: boolean } = {}): Promise<void> {
    const running = this.#workers.get(emissionId);
    if (running) return running;
    const p = this.#guard(() => this.#loop(emissionId, opts.fromRestart === true), { emissionId }).finally(() => this.#workers.delete(emissionId));
    this.#workers.set(emissionId, p);
    return p;
  }

  async #loop(emissionId: number, fromRestart: boolean): Promise<void> {
    let failures = 0;
    // A 'pending' row left by an earlier run is resolved by GET first as well: cheap insurance
    // against a journal restored from a copy taken while the POST was out.
    let queryFirst = fromRestart;
    while (!this.#closed) {
      let next: 'continue' | 'stop' | 'backoff' | 'poll';
      try {
        const row = this.journal.emissions.get(emissionId);
        if (!row) return;
        if (row.environment !== this.#settings().environment) return; // belongs to another token: left for that environment
        if (row.state === 'pending' && !queryFirst) next = await this.#post(row);
        else if (row.state === 'pending' || row.state === 'unknown') next = await this.#resolve(row);
        else if (row.state === 'sending') {
          // Only an earlier run (or a crashed step) leaves 'sending': the POST may have left.
          const moved = this.journal.emissions.transition(row.id, 'sending', 'unknown');
          if (moved) this.#publish(moved);
          next = 'continue';
        } else return;
        queryFirst = false;
        if (this.#fault?.emissionId === emissionId || this.#fault?.code === 'disk_full') this.#fault = null;
      } catch (err) {
        // Disk full, a damaged page, a bug: the emission stays where the journal last recorded it
        // ('sending' is resolved by GET), the fault is reported, and the worker tries again later.
        this.#report(err, { emissionId });
        next = 'backoff';
      }
      if (next === 'stop') return;
      if (next === 'continue') {
        failures = 0;
        continue;
      }
      if (next === 'poll') {
        await this.#sleep(this.#o.processingPollMs);
        continue;
      }
      failures++;
      const delay = Math.min(this.#o.retryMaxMs, this.#o.retryBaseMs * 2 ** Math.min(failures - 1, 10));
      await this.#sleep(delay * (0.75 + Math.random() * 0.5));
    }
  }

  /** Builds the body for this POST: the committed sale with a data_emissao SEFAZ will accept. */
  #payload(row: EmissionRow, sale: Sale, settings: EngineSettings, now: number) {
    const createdMs = this.journal.sales.createdMs(sale.id) ?? now;
    const offset = settings.utcOffsetMinutes ?? localOffsetMinutes(now);
    const fresh = now - createdMs <= this.#o.maxEmissionAgeMs && createdMs - now <= 60_000;
    const emittedMs = fresh ? createdMs : now;
    const dataEmissao = fresh ? sale.createdAt : toFocusDateTime(now, offset);
    const body = buildNfceRequest({ sale: { ...sale, createdAt: dataEmissao }, emitter: settings.emitter, environment: row.environment });
    return { body, emittedMs };
  }

  async #post(row: EmissionRow): Promise<'continue' | 'stop' | 'backoff' | 'poll'> {
    const latest = this.journal.emissions.latestForSale(row.saleId);
    if (latest && latest.id !== row.id) {
      // A later attempt (manual contingency) speaks for the sale and this one is known not to exist
      // at Focus (never sent, or GET said 404): POSTing it now would make a second valid note.
      const moved = this.journal.emissions.transition(row.id, 'pending', 'superseded', {});
      if (moved) this.#publish(moved);
      return 'stop';
    }
    if (this.#contingency && this.#contingency.linkState() === 'offline') {
      const diverted = await this.#contingency.divert(row.saleId, 'offline');
      if (diverted) {
        for (const w of this.#waiters.get(row.saleId) ?? []) w(diverted);
        return 'stop';
      }
    }
    const settings = this.#settings();
    const sale = this.journal.sales.require(row.saleId);
    let built: { body: ReturnType<typeof buildNfceRequest>; emittedMs: number };
    try {
      built = this.#payload(row, sale, settings, this.#clock.now());
    } catch (err) {
      // The sale cannot become a valid note (e.g. CSOSN × regime): a manager fixes the product and resends.
      const msg = err instanceof NfcePayloadError ? err.message : String((err as Error)?.message ?? err);
      const p = explainRejection(undefined, msg, err instanceof NfcePayloadError ? undefined : 'erro_interno');
      const moved = this.journal.emissions.transition(row.id, 'pending', 'rejected', {
        ...(err instanceof NfcePayloadError
          ? problemPatch('invalid_sale_data', 'Dados da venda inválidos para a NFC-e', `${msg} Corrija o cadastro do produto e reenvie a nota.`)
          : problemPatch('invalid_sale_data', p.title, p.fix)),
        mensagemSefaz: msg,
        statusSefaz: null,
      });
      if (moved) this.#publish(moved);
      return 'stop';
    }
    // 'sending' is committed only when the queue lets the request go, right before it leaves:
    // while it waits for rate-limit credits the emission is still plainly 'pending'.
    let notRecorded: unknown = null;
    const outcome = await this.scheduler
      .run('emission', async () => {
        let sending: EmissionRow | null;
        try {
          sending = this.journal.emissions.transition(row.id, 'pending', 'sending', { emittedMs: built.emittedMs, incrementPosts: true });
        } catch (err) {
          // The journal could not record 'sending' (disk full…): nothing goes on the wire.
          notRecorded = err;
          return 'moved' as const;
        }
        if (!sending) return 'moved' as const;
        this.#publish(sending);
        this.#crash?.('after-sending-commit', { saleId: row.saleId, ref: row.ref });
        const p = this.#api.emit(row.ref, built.body, { deadlineMs: this.#o.emitDeadlineMs, completa: true });
        this.#crash?.('post-in-flight', { saleId: row.saleId, ref: row.ref });
        return p;
      })
      .catch(() => null);
    // The queue was closed before the request could start: nothing left this machine, still pending.
    if (outcome === null) return 'stop';
    if (notRecorded !== null) throw notRecorded;
    if (outcome === 'moved') return 'continue';
    this.#crash?.('after-answer', { saleId: row.saleId, ref: row.ref });
    const answer = answerOf('emit', outcome, this.#clock.now());
    const next = this.#apply(row.id, 'sending', decideEmit(outcome), answer);
    this.#crash?.('after-result-commit', { saleId: row.saleId, ref: row.ref });
    return next;
  }

  async #resolve(row: EmissionRow): Promise<'continue' | 'stop' | 'backoff' | 'poll'> {
    const outcome = await this.scheduler
      .run('resolve', () => this.#api.query(row.ref, { deadlineMs: this.#o.queryDeadlineMs, completa: true }))
      .catch(() => null);
    if (outcome === null) return 'stop';
    this.#crash?.('after-query-answer', { saleId: row.saleId, ref: row.ref });
    const answer = answerOf('query', outcome, this.#clock.now());
    return this.#apply(row.id, row.state, decideQuery(outcome), answer);
  }

  /** Commits a decision (compare-and-set on `from`), publishes it, and says what the worker does next. */
  #apply(id: number, from: EmissionState, d: Decision, answer: ReturnType<typeof answerOf>): 'continue' | 'stop' | 'backoff' | 'poll' {
    const em = this.journal.emissions;
    switch (d.kind) {
      case 'adopt': {
        const mismatch = d.doc ? this.#mismatch(id, d.doc) : null;
        if (mismatch) {
          // Never "Autorizada" with another sale's note: a manager decides (resend uses a new ref).
          const blocked = em.transition(id, from, 'blocked', {
            ...problemPatch(NOTE_MISMATCH, NOTE_MISMATCH_TITLE, `A Focus já tem uma nota com a referência desta venda, mas ${mismatch}. A nota desta venda não foi emitida. ` +
              'Confira a venda e use "Reenviar": ela será emitida com uma referência nova. Avise o suporte (arquivo de vendas restaurado de uma cópia?).'),
            statusSefaz: null,
            mensagemSefaz: null,
          }, answer);
          if (!blocked) return 'continue';
          this.journal.audit.add({ actor: 'system', action: 'note_mismatch', saleId: blocked.saleId, details: { ref: blocked.ref, reason: mismatch, chave: d.patch.chave ?? null } });
          this.#publish(blocked);
          return 'stop';
        }
        const moved = em.transition(id, from, d.to, d.patch, answer);
        if (!moved) return 'continue';
        this.#publish(moved);
        if (this.#archiver && moved.caminhoXml) this.#archiver.enqueue(moved);
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
        const moved = em.transition(id, from, 'unknown', {}, answer);
        if (moved) this.#publish(moved);
        return 'backoff';
      }
      case 'ask-again': {
        em.recordAnswer(id, answer);
        if (d.patch) {
          const updated = em.update(id, d.patch);
          this.#publish(updated);
        }
        const body = answer.kind === 'ok' && answer.body ? (JSON.parse(answer.body) as FocusDocument) : null;
        return body?.status === 'processando_autorizacao' ? 'poll' : 'backoff';
      }
    }
  }

  /** Why Focus's note under this emission's ref cannot be this sale's, or null. */
  #mismatch(id: number, doc: FocusDocument): string | null {
    const row = this.journal.emissions.get(id);
    if (!row) return null;
    const sale = this.journal.sales.get(row.saleId);
    if (!sale) return null;
    return noteMismatch(sale, this.journal.sales.createdMs(row.saleId) ?? row.createdMs, row.emittedMs ?? row.updatedMs, doc);
  }

  #sleep(ms: number): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.#sleeps.delete(entry);
          resolve();
        }, Math.max(0, ms)),
        resolve,
      };
      // Not unref'd: an emission waiting to retry is work in progress and keeps the process alive
      // (close() cancels these timers).
      this.#sleeps.add(entry);
    });
  }

  #assertOpen(): void {
    if (this.#closed) throw new EmissionError('engine_closed', 'O emissor de notas foi encerrado. Reinicie o Balcão.');
  }

  // ── manager actions ───────────────────────────────────────────────────────────────────────────

  /**
   * Sends a rejected (or blocked) note again with the same ref, after the manager fixed the data.
   * With a catalog port, each item's fiscal data (NCM, CFOP, CEST, CST/CSOSN, origin…) is refreshed
   * from the current product; quantities and prices stay as sold.
   */
  async resend(saleId: number, actor: string): Promise<EmissionView> {
    this.#assertOpen();
    await this.start();
    const row = this.journal.emissions.latestForSale(saleId);
    if (!row) throw new EmissionError('sale_not_found', `Venda ${saleId} não encontrada.`);
    if (!isResendable(row.state)) {
      throw new EmissionError('not_resendable', `A nota desta venda está "${STATE_LABEL_PT[row.state]}" e não pode ser reenviada; só notas rejeitadas ou bloqueadas podem.`);
    }
    const settings = this.#settings();
    if (row.environment !== settings.environment) {
      throw new EmissionError('wrong_environment', 'Esta nota foi registrada em outro ambiente (produção/homologação). Volte ao ambiente original para reenviá-la.');
    }
    if (row.blockReason === NOTE_MISMATCH) {
      // The ref belongs to another sale's note at Focus: this sale gets a new attempt and ref.
      const next = this.journal.transaction(() => {
        if (!this.journal.emissions.transition(row.id, 'blocked', 'superseded', {})) return null;
        const added = this.journal.addAttempt(saleId, { state: 'pending', environment: row.environment });
        this.journal.audit.add({ actor, action: 'resend', saleId, details: { ref: row.ref, newRef: added.ref, from: row.state, reason: NOTE_MISMATCH } });
        return added;
      });
      if (!next) throw new EmissionError('not_resendable', 'A nota mudou de estado enquanto o reenvio era preparado. Confira e tente de novo.');
      this.#publish(next);
      return this.#driveAndWait(saleId, next.id, settings);
    }
    const moved = this.journal.transaction(() => {
      const refreshed: string[] = [];
      if (this.#catalog) {
        const sale = this.journal.sales.require(saleId);
        for (const it of sale.items) {
          const p = this.#catalog.getProduct(it.productId);
          if (!p) continue;
          this.journal.sales.updateItemFiscal(saleId, it.seq, {
            ncm: p.ncm, cfop: p.cfop, cest: p.cest, origin: p.origin, icms: p.icms, icmsRateBp: p.icmsRateBp,
            gtin: p.gtin, description: p.description, code: p.code, unit: p.unit, approxTaxBp: p.approxTaxBp,
          });
          refreshed.push(it.productId);
        }
      }
      const clear: EmissionPatch = { ...NO_PROBLEM, codigoApi: null, statusSefaz: null, mensagemSefaz: null };
      const m = this.journal.emissions.transition(row.id, row.state, 'pending', clear);
      if (!m) return null;
      this.journal.audit.add({ actor, action: 'resend', saleId, details: { ref: row.ref, from: row.state, statusSefaz: row.statusSefaz, refreshed } });
      return m;
    });
    if (!moved) throw new EmissionError('not_resendable', 'A nota mudou de estado enquanto o reenvio era preparado. Confira e tente de novo.');
    this.#publish(moved);
    return this.#driveAndWait(saleId, row.id, settings);
  }

  /** Cancels an authorized note (DELETE with justificativa) within the 30-minute window. */
  async cancel(saleId: number, justificativa: string, actor: string): Promise<EmissionView> {
    this.#assertOpen();
    return this.#afterSale.cancel(saleId, justificativa, actor);
  }

  /** Same as cancel() for a given attempt (the offline flow cancels a superseded online attempt). */
  async cancelEmission(emissionId: number, justificativa: string, actor: string): Promise<EmissionView> {
    this.#assertOpen();
    return this.#afterSale.cancelEmission(emissionId, justificativa, actor);
  }

  /** Asks Focus to e-mail the note (≤ 10 addresses). */
  async email(saleId: number, emails: string[], actor: string): Promise<void> {
    this.#assertOpen();
    return this.#afterSale.email(saleId, emails, actor);
  }

  /** Queues the local XML archive of a sale's note now (normally automatic). */
  archiveNow(saleId: number): void {
    const row = this.journal.emissions.latestForSale(saleId);
    if (row) this.#archiver?.enqueue(row);
  }

  /** Downloads waiting or running (tests, diagnostics). */
  archivePending(): number {
    return this.#archiver?.pending() ?? 0;
  }
}
