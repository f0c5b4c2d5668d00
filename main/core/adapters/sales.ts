// SalesPort over the real journal (main/db), emission engine (main/emission) and offline flow
// (main/contingency): one set per profile, sharing one journal file.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Journal } from '../../db/journal.ts';
import { PixChargesRepo, PIX_MIGRATIONS } from '../../pix/charges-repo.ts';
import { PixService } from '../../pix/service.ts';
import { EmissionEngine, type EmissionEngineOptions } from '../../emission/engine.ts';
import { EmissionError } from '../../emission/types.ts';
import { createContingency, type Contingency, type ContingencyDeps } from '../../contingency/index.ts';
import type { SaleDetail } from '../../../shared/contract.ts';
import type { EmissionState } from '../../../shared/emission.ts';
import type { ProfileContingency, SalesPort, SalesPortFactory, SalesPortOptions } from '../ports.ts';

/** Every state of a sale whose note is not final yet. */
const NOT_FINAL: readonly EmissionState[] = ['pending', 'sending', 'unknown', 'contingency', 'contingency_focus', 'blocked'];
const CONTINGENCY: ReadonlySet<EmissionState> = new Set(['contingency', 'contingency_focus']);

export interface EngineSalesOptions {
  /** Engine tuning for tests (deadlines, archive off…). */
  engine?: Partial<Pick<EmissionEngineOptions, 'emitDeadlineMs' | 'queryDeadlineMs' | 'retryBaseMs' | 'retryMaxMs' | 'processingPollMs' | 'startupDeadlineMs' | 'archive'>>;
  /** Offline-flow tuning for tests (probe, thresholds, tick), or false to leave it out. */
  contingency?: Partial<Pick<ContingencyDeps, 'probe' | 'thresholds' | 'tickMs' | 'followIntervalMs' | 'clock'>> | false;
}

export function engineSalesFactory(extra: EngineSalesOptions = {}): SalesPortFactory {
  return async (opts) => {
    mkdirSync(dirname(opts.journalPath), { recursive: true, mode: 0o700 });
    const journal = Journal.open({ path: opts.journalPath, now: opts.clock, extraMigrations: PIX_MIGRATIONS });
    // Read per call: a manager's settings change applies to the next emission without a restart.
    const current = () => {
      const s = opts.settings();
      return { s, base: { environment: opts.environment, emitter: opts.emitter(), terminalId: s.terminalId, serie: s.serie } };
    };
    let contingency: Contingency | null = null;
    try {
      if (extra.contingency !== false) {
        contingency = createContingency({
          journal,
          api: opts.focus,
          vault: opts.vault,
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
      }
      const engine = new EmissionEngine({
        journal,
        api: opts.focus,
        dataDir: opts.archiveDir,
        clock: { now: opts.clock },
        catalog: { getProduct: opts.getProduct },
        settings: () => {
          const { s, base } = current();
          return { ...base, authorizationDeadlineMs: s.authorizationDeadlineMs };
        },
        ...(contingency ? { contingency: contingency.port } : {}),
        ...extra.engine,
      });
      contingency?.attach(engine);
      const saleIdForClient = (clientId: string) => journal.sales.getByClientId(clientId)?.id ?? null;
      const pix = new PixService({
        repo: new PixChargesRepo(journal.db, opts.clock),
        client: () => opts.pix.client(),
        config: () => opts.pix.config(),
        transaction: (fn) => journal.transaction(fn),
        clock: opts.clock,
        terminalId: () => opts.settings().terminalId,
        onChange: opts.onPix,
        log: opts.log,
        saleForClient: saleIdForClient,
      });
      return engineSalesPort(journal, engine, contingency, pix);
    } catch (e) {
      await contingency?.close().catch(() => {});
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

export function engineSalesPort(journal: Journal, engine: EmissionEngine, contingency: Contingency | null, pix: PixService): SalesPort {
  return {
    async start() {
      await engine.start();
      // Charges a crash left open are asked about in the background; the till does not wait.
      void pix.resolveAtStart().then(() => pix.start());
    },
    pix,
    saleIdForClient: (clientId) => journal.sales.getByClientId(clientId)?.id ?? null,
    async finalize({ sale, audit }) {
      const r = await engine.finalize(sale, { audit });
      return { saleId: r.saleId, emission: r.emission };
    },
    list: (q) => journal.sales.list(q),
    detail(saleId): SaleDetail {
      const sale = journal.sales.get(saleId);
      const emission = engine.view(saleId);
      if (!sale || !emission) throw new EmissionError('sale_not_found', `Venda ${saleId} não encontrada neste caixa. Confira o número no histórico.`);
      return { sale, emission, attempts: engine.attempts(saleId) };
    },
    resend: (saleId, actor) => engine.resend(saleId, actor),
    cancel: (saleId, justificativa, actor) => engine.cancel(saleId, justificativa, actor),
    email: (saleId, emails, actor) => engine.email(saleId, emails, actor),
    counts() {
      const open = journal.emissions.listOpen(NOT_FINAL);
      const sales = new Set(open.map((r) => r.saleId));
      let n = 0;
      let oldest: number | null = null;
      for (const r of open) {
        if (!CONTINGENCY.has(r.state)) continue;
        n++;
        oldest = oldest === null ? r.createdMs : Math.min(oldest, r.createdMs);
      }
      return { pending: sales.size, contingency: n, oldestContingencyMs: oldest };
    },
    audit(actor, action, details, saleId = null) {
      journal.audit.add({ actor, action, details, saleId });
    },
    onEmission: (listener) => engine.on('emission.changed', listener),
    ...(contingency ? { contingency: profileContingency(contingency) } : {}),
    async close() {
      pix.stop();
      await contingency?.close().catch(() => {});
      await engine.close();
      journal.close();
    },
  };
}
