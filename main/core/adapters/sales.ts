// SalesPort over the real journal (main/db), emission engine (main/emission) and offline flow
// (main/contingency): one set per profile, sharing one journal file.
import { mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { BackupScheduler, type BackupError } from '../../db/backup.ts';
import { checkJournal } from '../../db/journal-check.ts';
import { CrossCheckScheduler, crossCheckHistory, crossCheckMonth, type CrossCheckDeps } from '../../emission/cross-check.ts';
import { Journal } from '../../db/journal.ts';
import { DEFAULT_EMIT_DEADLINE_MS, DEFAULT_QUERY_DEADLINE_MS, EmissionEngine, type EmissionEngineOptions } from '../../emission/engine.ts';
import { AfterSale } from '../../emission/after-sale.ts';
import { EmissionFeed } from '../../emission/feed.ts';
import { FocusScheduler } from '../../emission/scheduler.ts';
import { countProblems, problemSaleIds, TILL_MIGRATIONS } from '../../db/problems.ts';
import { PixChargesRepo, PIX_MIGRATIONS } from '../../pix/charges-repo.ts';
import { PixService } from '../../pix/service.ts';
import { EmissionError } from '../../emission/types.ts';
import { createContingency, type Contingency, type ContingencyDeps } from '../../contingency/index.ts';
import type { SaleDetail } from '../../../shared/contract.ts';
import type { ProfileContingency, SalesPort, SalesPortFactory } from '../ports.ts';

/** Focus's answers to a token it does not accept (spec §1.2), as the engine records them. */
const TOKEN_REFUSED = /^(http_401|http_403|nao_autorizado|permissao_negada|acesso_negado|token_invalido)$/;

export interface EngineSalesOptions {
  /** Engine tuning for tests (deadlines, archive off…). */
  engine?: Partial<
    Pick<EmissionEngineOptions, 'emitDeadlineMs' | 'queryDeadlineMs' | 'retryBaseMs' | 'retryMaxMs' | 'processingPollMs' | 'startupDeadlineMs' | 'archive'>
  >;
  /** Offline-flow tuning for tests (probe, thresholds, tick). */
  contingency?: Partial<Pick<ContingencyDeps, 'probe' | 'thresholds' | 'tickMs' | 'followIntervalMs' | 'clock'>>;
  /** Minutes between hot backups of the journal (to Settings.backupDir). Default 5; 0: only at closing. */
  backupIntervalMinutes?: number;
  /** The automatic monthly cross-check with Focus's backup: first look after start, then every intervalMs (0: off). */
  crossCheck?: { firstDelayMs: number; intervalMs: number };
}

/** Journal trouble the status bar shows (the latest wins). */
class ProblemBoard {
  #backup: BackupError | null = null;
  readonly #listeners = new Set<() => void>();
  backupFailed(e: BackupError | null): void {
    const changed = (e?.code ?? null) !== (this.#backup?.code ?? null);
    this.#backup = e;
    if (changed) this.changed();
  }
  backup(): BackupError | null {
    return this.#backup;
  }
  changed(): void {
    for (const l of this.#listeners) l();
  }
  on(l: () => void): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }
}

export function engineSalesFactory(extra: EngineSalesOptions = {}): SalesPortFactory {
  return async (opts) => {
    mkdirSync(dirname(opts.journalPath), { recursive: true, mode: 0o700 });
    const journal = Journal.open({ path: opts.journalPath, now: opts.clock, extraMigrations: [...TILL_MIGRATIONS, ...PIX_MIGRATIONS] });
    // Read per call: a manager's settings change applies to the next emission without a restart.
    const current = () => {
      const s = opts.settings();
      return {
        s,
        base: {
          environment: opts.environment,
          emitter: opts.emitter(),
          terminalId: s.terminalId,
          serie: s.serie,
          taxReform: { earlyStart: s.ibsCbsEarlyStart },
        },
      };
    };
    // Built here and shared, so the engine and the offline flow never need each other: one Focus
    // budget, one event stream, one way to cancel a duplicate.
    const clock = { now: opts.clock };
    const scheduler = new FocusScheduler({ rateLimit: () => opts.focus.rateLimit(), now: opts.clock, ...(opts.credits ? { credits: opts.credits } : {}) });
    const feed = new EmissionFeed();
    const afterSale = new AfterSale({
      journal,
      api: opts.focus,
      scheduler,
      clock,
      emitDeadlineMs: extra.engine?.emitDeadlineMs ?? DEFAULT_EMIT_DEADLINE_MS,
      queryDeadlineMs: extra.engine?.queryDeadlineMs ?? DEFAULT_QUERY_DEADLINE_MS,
      changed: (row) => feed.publish(row),
    });
    let contingency: Contingency | null = null;
    const board = new ProblemBoard();
    try {
      contingency = createContingency({
        journal,
        api: opts.focus,
        vault: opts.vault,
        scheduler,
        feed,
        cancel: afterSale,
        config: () => {
          const { s, base } = current();
          return { ...base, contingencySerie: s.contingencySerie, qrVersion: s.qrVersion, csc: opts.csc };
        },
        focusBaseUrl: opts.focusBaseUrl,
        ...(opts.focusCa ? { focusCa: opts.focusCa } : {}),
        catalog: { getProduct: opts.getProduct },
        ...(opts.printSale ? { print: (view) => opts.printSale!(view.saleId) } : {}),
        ...(extra.contingency ?? {}),
      });
      const engine = new EmissionEngine({
        journal,
        api: opts.focus,
        dataDir: opts.archiveDir,
        clock,
        scheduler,
        feed,
        afterSale,
        catalog: { getProduct: opts.getProduct },
        settings: () => {
          const { s, base } = current();
          return { ...base, authorizationDeadlineMs: s.authorizationDeadlineMs, econfAfterAuthorization: s.econfAfterAuthorization };
        },
        contingency: contingency.port,
        onFault: (f) => {
          process.stderr.write(`balcao: emission fault ${f.code}\n`);
          board.changed();
        },
        ...extra.engine,
      });
      const backups = new BackupScheduler({
        db: journal.db,
        dir: () => opts.settings().backupDir ?? null,
        name: basename(opts.journalPath, '.sqlite'),
        intervalMs: (extra.backupIntervalMinutes ?? 5) * 60_000,
        report: (r) => board.backupFailed(r.ok ? null : r.error),
      });
      const pix = new PixService({
        repo: new PixChargesRepo(journal.db, opts.clock),
        client: () => opts.pix.client(),
        config: () => opts.pix.config(),
        transaction: (fn) => journal.transaction(fn),
        clock: opts.clock,
        terminalId: () => opts.settings().terminalId,
        onChange: opts.onPix,
        log: opts.log,
        saleForClient: (clientId) => journal.sales.getByClientId(clientId)?.id ?? null,
      });
      const crossDeps: CrossCheckDeps = {
        journal,
        api: opts.focus,
        scheduler,
        environment: opts.environment,
        get cnpj() {
          return opts.emitter().cnpj;
        },
        now: opts.clock,
        queryDeadlineMs: extra.engine?.queryDeadlineMs ?? DEFAULT_QUERY_DEADLINE_MS,
        relearn: () => engine.relearn(),
        changed: (row) => feed.publish(row),
      };
      const cross = new CrossCheckScheduler(crossDeps, {
        firstDelayMs: extra.crossCheck?.firstDelayMs ?? 120_000,
        intervalMs: extra.crossCheck?.intervalMs ?? 6 * 3_600_000,
        report: (err) => opts.log(`balcao: monthly cross-check failed: ${err instanceof Error ? err.name : typeof err}`),
      });
      return engineSalesPort(journal, engine, contingency, pix, { board, backups, cross: { deps: crossDeps, scheduler: cross } });
    } catch (e) {
      await contingency?.close().catch(() => {});
      scheduler.close();
      journal.close();
      throw e;
    }
  };
}

function profileContingency(c: Contingency): ProfileContingency {
  return {
    list: () => c.list(),
    sendNow: () => c.sendNow(),
    async importCertificate(pfx, password) {
      const info = await c.importCertificate(pfx, password);
      return { subject: info.subject, expiresAt: info.notAfter };
    },
    counts: () => c.counts(),
    link: () => c.monitor.state(),
    onLink: (l) => c.monitor.onChange(() => l()),
  };
}

export function engineSalesPort(
  journal: Journal,
  engine: EmissionEngine,
  contingency: Contingency,
  pix: PixService,
  extras: { board?: ProblemBoard; backups?: BackupScheduler; cross?: { deps: CrossCheckDeps; scheduler: CrossCheckScheduler } } = {},
): SalesPort {
  return {
    async start() {
      await engine.start();
      // Charges a crash left open are asked about in the background; the till does not wait.
      void pix.resolveThenPoll();
    },
    pix,
    saleIdForClient: (clientId) => journal.sales.getByClientId(clientId)?.id ?? null,
    async finalize({ sale, audit, wait }) {
      const r = await engine.finalize(sale, { audit, ...(wait === false ? { wait } : {}) });
      return { saleId: r.saleId, emission: r.emission, created: r.created };
    },
    list: (q) => journal.sales.list(q),
    detail(saleId): SaleDetail {
      const sale = journal.sales.get(saleId);
      const emission = engine.view(saleId);
      if (!sale || !emission) throw new EmissionError('sale_not_found', `Venda ${saleId} não encontrada neste caixa. Confira o número no histórico.`);
      return { sale, emission, attempts: engine.attempts(saleId), econf: engine.econfList(saleId) };
    },
    resend: (saleId, actor) => engine.resend(saleId, actor),
    cancel: (saleId, justificativa, actor) => engine.cancel(saleId, justificativa, actor),
    email: (saleId, emails, actor) => engine.email(saleId, emails, actor),
    econf: (saleId, payments, actor) => engine.econf(saleId, actor, payments),
    econfResolve: (econfId, how, actor) => engine.econfResolve(econfId, actor, how),
    claimDrawer: (saleId) => journal.claimDrawer(saleId, Date.now()),
    problems: () => countProblems(journal.db),
    problemSales() {
      return problemSaleIds(journal.db).flatMap((id) => {
        const sale = journal.sales.get(id);
        const emission = engine.view(id);
        return sale && emission ? [{ sale, emission }] : [];
      });
    },
    audit(actor, action, details, saleId = null) {
      journal.audit.add({ actor, action, details, saleId });
    },
    auditQuery: (f) => journal.audit.query(f),
    blockedByToken() {
      return journal.emissions
        .listOpen(['blocked'])
        .filter((r) => r.codigoApi !== null && TOKEN_REFUSED.test(r.codigoApi))
        .sort((a, b) => a.createdMs - b.createdMs)
        .map((r) => r.saleId);
    },
    integrity: () => journal.integrity(),
    checkJournal: () => checkJournal(journal.path, { markPath: journal.mark?.path ?? null, extent: journal.extent() }),
    ...(extras.cross ? { crossCheck: (month: string, actor: string) => crossCheckMonth(extras.cross!.deps, month, actor) } : {}),
    crossChecks: () => crossCheckHistory(journal),
    onEmission: (listener) => engine.on('emission.changed', listener),
    problem() {
      const refusal = journal.refusal();
      if (refusal) return { code: refusal.code, message: refusal.message };
      const fault = engine.fault();
      if (fault) return { code: fault.code, message: fault.message };
      const b = extras.board?.backup();
      return b ? { code: b.code, message: b.message } : null;
    },
    onProblem: (l) => extras.board?.on(l) ?? (() => {}),
    background: (fn) => engine.scheduler.run('background', fn),
    contingency: profileContingency(contingency),
    async close() {
      pix.stop();
      await extras.cross?.scheduler.close().catch(() => {});
      await contingency.close().catch(() => {});
      await engine.close();
      // The closing backup, then the full integrity check, recorded for the next start's manager.
      await extras.backups?.close().catch(() => {});
      try {
        const problems = journal.checkIntegrity(true);
        journal.audit.add({ actor: 'system', action: 'integrity_check', details: { ok: problems.length === 0, problems: problems.slice(0, 20) } });
      } catch {
        // a journal that cannot even be checked is found by quick_check at the next start
      }
      journal.close();
    },
  };
}
