// The emission engine's facade: finalize, resend, cancel, e-mail and the reads, over the worker
// loop (worker.ts), the payload-freshness policy (freshness.ts) and the after-sale actions
// (after-sale.ts). Every committed change goes out through one EmissionFeed. The offline flow is
// reached only through the ContingencyPort this module owns (types.ts): it never calls the engine.
import type { FocusApi } from '../focus/types.ts';
import type { Journal } from '../db/journal.ts';
import type { AuditInput, EmissionPatch, NewSale } from '../db/types.ts';
import { ENGINE_OPEN_STATES, isResendable, isSettled, STATE_LABEL_PT, type EmissionView } from '../../shared/emission.ts';
import { FocusScheduler } from './scheduler.ts';
import { XmlArchiver } from './archive.ts';
import { AfterSale } from './after-sale.ts';
import { EconfService, econfEligible } from './econf.ts';
import type { EconfPaymentInput, EconfView } from '../../shared/contract.ts';
import { EmissionFeed } from './feed.ts';
import { NO_PROBLEM } from './problem.ts';
import { toEmissionView } from './views.ts';
import { EmissionWorker, type WorkerTiming } from './worker.ts';
import { NOTE_MISMATCH } from './note-match.ts';
import { relearnFromFocus, type RelearnReport } from './relearn.ts';
import { resolvePendingSideEffects } from './side-effects.ts';
import { isDiskFull } from '../db/faults.ts';
import { UserFacingError } from '../../shared/errors.ts';
import { EmissionError, type CatalogPort, type Clock, type ContingencyPort, type CrashPoint, type EngineSettings } from './types.ts';

export interface EmissionEngineOptions {
  journal: Journal;
  api: FocusApi;
  settings: () => EngineSettings;
  /** Root of the local XML archive (<dataDir>/xml/…). */
  dataDir: string;
  /** Shared with every other part that talks to Focus; built from api.rateLimit when absent. */
  scheduler?: FocusScheduler;
  /** Shared with the offline flow so the UI hears one stream; a new one when absent. */
  feed?: EmissionFeed;
  /** Cancel and e-mail (shared with the offline flow's reconciler); built here when absent. */
  afterSale?: AfterSale;
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

/** Defaults of the deadlines AfterSale shares with the worker. */
export const DEFAULT_EMIT_DEADLINE_MS = 60_000;
export const DEFAULT_QUERY_DEADLINE_MS = 15_000;

export class EmissionEngine {
  readonly journal: Journal;
  readonly scheduler: FocusScheduler;
  readonly feed: EmissionFeed;
  readonly #settings: () => EngineSettings;
  readonly #clock: Clock;
  readonly #contingency: ContingencyPort | undefined;
  readonly #catalog: CatalogPort | undefined;
  readonly #archiver: XmlArchiver | null;
  readonly #afterSale: AfterSale;
  readonly #worker: EmissionWorker;
  readonly #startupDeadlineMs: number;
  /** finalize()/resend() callers waiting for a sale to settle (a view when the offline flow took it). */
  readonly #waiters = new Map<number, Set<(diverted?: EmissionView) => void>>();
  /** Ends every deadline wait at close (background finalizes must not hold the process open). */
  readonly #abortWaits = new Set<() => void>();
  readonly #unsubscribe: (() => void)[] = [];
  readonly #crash: EmissionEngineOptions['crashPoint'];
  readonly #econf: EconfService;
  #startPromise: Promise<void> | null = null;
  #closed = false;
  readonly #api: FocusApi;
  readonly #timing: WorkerTiming;
  readonly #onFault: (f: EngineFault) => void;
  #fault: EngineFault | null = null;
  #relearning: Promise<RelearnReport | null> | null = null;

  constructor(opts: EmissionEngineOptions) {
    this.journal = opts.journal;
    this.#settings = opts.settings;
    this.#clock = opts.clock ?? { now: Date.now };
    this.#contingency = opts.contingency;
    this.#catalog = opts.catalog;
    this.#crash = opts.crashPoint;
    this.#startupDeadlineMs = opts.startupDeadlineMs ?? 20_000;
    this.feed = opts.feed ?? new EmissionFeed();
    this.#onFault = opts.onFault ?? ((f) => process.stderr.write(`balcao: emission fault ${f.code}: ${f.message}\n`));
    this.scheduler = opts.scheduler ?? new FocusScheduler({ rateLimit: () => opts.api.rateLimit(), now: () => this.#clock.now() });
    const timing: WorkerTiming = {
      emitDeadlineMs: opts.emitDeadlineMs ?? DEFAULT_EMIT_DEADLINE_MS,
      queryDeadlineMs: opts.queryDeadlineMs ?? DEFAULT_QUERY_DEADLINE_MS,
      retryBaseMs: opts.retryBaseMs ?? 500,
      retryMaxMs: opts.retryMaxMs ?? 15_000,
      processingPollMs: opts.processingPollMs ?? 2_000,
      maxEmissionAgeMs: opts.maxEmissionAgeMs ?? 4 * 60_000,
    };
    this.#timing = timing;
    this.#api = opts.api;
    this.#archiver =
      opts.archive === false
        ? null
        : new XmlArchiver({ journal: opts.journal, api: opts.api, scheduler: this.scheduler, dataDir: opts.dataDir, now: () => this.#clock.now() });
    this.#afterSale =
      opts.afterSale ??
      new AfterSale({
        journal: this.journal,
        api: opts.api,
        scheduler: this.scheduler,
        clock: this.#clock,
        emitDeadlineMs: timing.emitDeadlineMs,
        queryDeadlineMs: timing.queryDeadlineMs,
        changed: (row) => this.feed.publish(row),
      });
    this.#worker = new EmissionWorker({
      journal: this.journal,
      api: opts.api,
      scheduler: this.scheduler,
      settings: this.#settings,
      clock: this.#clock,
      feed: this.feed,
      timing,
      contingency: this.#contingency,
      diverted: (saleId, view) => this.#release(saleId, view),
      crashPoint: opts.crashPoint,
      report: (err, at) => this.#report(err, at),
      recovered: (emissionId) => {
        if (this.#fault?.emissionId === emissionId || this.#fault?.code === 'disk_full') this.#fault = null;
      },
    });
    this.#econf = new EconfService({ journal: this.journal, api: opts.api, scheduler: this.scheduler, clock: this.#clock, deadlineMs: timing.emitDeadlineMs });
    this.#unsubscribe.push(
      this.feed.onRow((row) => {
        this.#archiver?.enqueue(row);
        if (isSettled(row.state)) this.#release(row.saleId);
        if (row.state === 'authorized') this.#autoEconf(row.saleId);
      }),
    );
    if (this.#contingency) {
      // A sale the offline flow had parked (no certificate, SP…) goes out normally once the link is back.
      this.#unsubscribe.push(this.#contingency.onRelease((saleId) => void this.resend(saleId, 'system').catch(() => undefined)));
    }
  }

  // ── ECONF ─────────────────────────────────────────────────────────────────────────────────────

  /** Registers the sale's electronic payments at Focus (ECONF), journaled before the request. */
  async econf(saleId: number, actor: string, payments: readonly EconfPaymentInput[] = []): Promise<EconfView> {
    this.#assertOpen();
    await this.start();
    return this.#econf.attach(saleId, actor, payments);
  }

  /** The manager resolves an ECONF left unknown (see EconfService.resolveUnknown). */
  econfResolve(econfId: number, actor: string, how: { kind: 'check'; protocolo: string } | { kind: 'resend' }): Promise<EconfView> {
    this.#assertOpen();
    return this.#econf.resolveUnknown(econfId, actor, how);
  }

  econfList(saleId: number): EconfView[] {
    return this.#econf.list(saleId);
  }

  /** After authorization, where the shop's UF asks for it: attach the electronic payments once. */
  #autoEconf(saleId: number): void {
    if (this.#settings().econfAfterAuthorization !== true || this.#closed) return;
    const sale = this.journal.sales.get(saleId);
    if (!sale || !sale.payments.some(econfEligible) || this.#econf.list(saleId).length > 0) return;
    void this.#econf.attach(saleId, 'sistema').catch(() => {});
  }

  // ── events ────────────────────────────────────────────────────────────────────────────────────

  /** Subscribes to committed state changes. Returns the unsubscribe function. */
  on(event: 'emission.changed', listener: (view: EmissionView) => void): () => void {
    if (event !== 'emission.changed') throw new Error(`evento desconhecido: ${String(event)}`);
    return this.feed.onView(listener);
  }

  /** Publishes an emission changed in the journal by someone else (tests, tools) on the feed. */
  announce(emissionId: number): EmissionView | null {
    const row = this.journal.emissions.get(emissionId);
    return row ? this.feed.publish(row) : null;
  }

  #release(saleId: number, diverted?: EmissionView): void {
    for (const w of this.#waiters.get(saleId) ?? []) w(diverted);
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
          ...open.map((row) => this.#worker.drive(row.id, { fromRestart: true })),
          // Cancellations, e-mails… journaled as pending by an earlier run: ask Focus what happened.
          this.#guard(
            () =>
              resolvePendingSideEffects({
                journal: this.journal,
                api: this.#api,
                scheduler: this.scheduler,
                clock: this.#clock,
                queryDeadlineMs: this.#timing.queryDeadlineMs,
                changed: (row) => this.feed.publish(row),
              }),
            {},
          ),
        ];
        await Promise.race([Promise.allSettled(runs), this.#worker.sleep(this.#startupDeadlineMs)]);
        this.#archiver?.enqueueBacklog();
        await this.#econf.start();
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
    for (const u of this.#unsubscribe.splice(0)) u();
    for (const abort of [...this.#abortWaits]) abort();
    this.#archiver?.close();
    this.scheduler.close();
    await this.#worker.close();
    await this.#relearning?.catch(() => null);
    await this.#relearning?.catch(() => null);
  }

  // ── faults ────────────────────────────────────────────────────────────────────────────────────

  /** The last background fault still standing (cleared by the next successful step), or null. */
  fault(): EngineFault | null {
    return this.#fault;
  }

  #report(err: unknown, at: { emissionId?: number }): void {
    const known: UserFacingError<string> | null = err instanceof UserFacingError ? (err as UserFacingError<string>) : null;
    const code: string = known ? known.code : isDiskFull(err, this.journal.path) ? 'disk_full' : 'internal';
    const message: string = known ? known.message : String((err as Error)?.message ?? err).slice(0, 300);
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
      queryDeadlineMs: this.#timing.queryDeadlineMs,
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
    return this.#worker.busy;
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
    const crash = this.#crash;
    crash?.('before-sale-commit', {});
    const {
      sale: committed,
      emission,
      created,
    } = this.journal.sales.commitSale(sale, {
      environment: settings.environment,
      ...(opts.audit ? { audit: opts.audit } : {}),
    });
    crash?.('after-sale-commit', { saleId: committed.id, ref: emission.ref });
    if (created) this.feed.publish(emission);
    if (opts.wait === false) {
      // The checkout moves on at once: the same drive, deadline and contingency diversion run in
      // the background, and every change reaches the screen as 'emission.changed'.
      // Started on a later turn: the first transition (pending → sending) writes the journal too,
      // and the cashier's answer must not wait for that second disk flush.
      setImmediate(() => {
        // Closed meanwhile: the sale stays pending in the journal and start() resolves it.
        if (!this.#closed) void this.#driveAndWait(committed.id, emission.id, settings).catch(() => {});
      });
      const row = this.journal.emissions.latestForSale(committed.id) ?? emission;
      return { saleId: committed.id, emission: toEmissionView(row), created };
    }
    const view = await this.#driveAndWait(committed.id, emission.id, settings);
    return { saleId: committed.id, emission: view, created };
  }

  async #driveAndWait(saleId: number, emissionId: number, settings: EngineSettings): Promise<EmissionView> {
    const deadlineMs = settings.authorizationDeadlineMs ?? 15_000;
    const settled = this.#waitSettled(saleId, deadlineMs);
    void this.#worker.drive(emissionId); // never rejects: the worker reports its own failures
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
      throw new EmissionError(
        'not_resendable',
        `A nota desta venda está "${STATE_LABEL_PT[row.state]}" e não pode ser reenviada; só notas rejeitadas ou bloqueadas podem.`,
      );
    }
    const settings = this.#settings();
    if (row.environment !== settings.environment) {
      throw new EmissionError(
        'wrong_environment',
        'Esta nota foi registrada em outro ambiente (produção/homologação). Volte ao ambiente original para reenviá-la.',
      );
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
      this.feed.publish(next);
      return this.#driveAndWait(saleId, next.id, settings);
    }
    const moved = this.journal.transaction(() => {
      const refreshed: string[] = [];
      if (this.#catalog) {
        const sale = this.journal.sales.require(saleId);
        for (const it of sale.items) {
          const p = this.#catalog.getProduct(it.productId);
          if (!p) continue;
          this.journal.sales.updateItemFiscal(saleId, it.seq, p);
          this.journal.sales.updateItemTax(saleId, it.seq, p.ibsCbsCst ?? null, p.cClassTrib ?? null);
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
    this.feed.publish(moved);
    return this.#driveAndWait(saleId, row.id, settings);
  }

  /** Cancels an authorized note (DELETE with justificativa) within the 30-minute window. */
  async cancel(saleId: number, justificativa: string, actor: string): Promise<EmissionView> {
    this.#assertOpen();
    return this.#afterSale.cancel(saleId, justificativa, actor);
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
