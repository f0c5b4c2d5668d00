// The offline flow, assembled: link monitor, certificate, manual issuance, transmission of the
// backlog, reconciliation of earlier attempts, following Focus's automatic contingency, and the
// panel data. The shell builds one with createContingency() and hands `port` (the engine's
// ContingencyPort) to the EmissionEngine. The dependency is one-way: this flow never calls the
// engine; it shares the Focus scheduler, publishes on the same emission feed and cancels a
// duplicate through the after-sale actions.
import type { FocusApi } from '../focus/types.ts';
import type { Journal } from '../db/journal.ts';
import type { EmissionRow } from '../db/types.ts';
import type { SecretVault } from '../secrets/vault.ts';
import type { FocusScheduler, Lane } from '../emission/scheduler.ts';
import type { EmissionFeed } from '../emission/feed.ts';
import type { CatalogPort, ContingencyPort, DivertReason } from '../emission/types.ts';
import type { ContingencyItem } from '../../shared/contract.ts';
import { CONTINGENCY_BLOCKS, type EmissionView } from '../../shared/emission.ts';
import { backoffDelay, type BackoffPolicy } from '../../shared/backoff.ts';
import { LinkMonitor, type LinkProbe, type LinkThresholds } from '../link/monitor.ts';
import { systemClock, type TimerClock } from '../link/clock.ts';
import { httpProbe } from '../link/probe.ts';
import { CertificateStore, type CertificateInfo } from './certificate.ts';
import { ContingencyIssuer, type ContingencyConfig, type IssueResult } from './issuer.ts';
import { ContingencyStore } from './store.ts';
import { ContingencyTransmitter, type DrainReport } from './transmitter.ts';
import { FocusContingencyFollower } from './follower.ts';
import { Reconciler, type CancelPort, type ReconcileReport } from './reconciler.ts';
import { contingencyCounts, panelItems, type ContingencyCounts } from './panel.ts';

export type { ContingencyConfig } from './issuer.ts';
export type { CertificateInfo } from './certificate.ts';
export type { ContingencyCounts } from './panel.ts';

/** A blocked sale's own retry pace (per sale): 30 s doubling to 15 min. */
const BLOCKED_RETRY: BackoffPolicy = { baseMs: 30_000, maxMs: 15 * 60_000 };

export interface ContingencyDeps {
  journal: Journal;
  api: FocusApi;
  vault: SecretVault;
  /** Current settings (read on every use: environment, séries and QR version may change). */
  config: () => ContingencyConfig;
  /** The Focus scheduler shared with the engine (one rate-limit budget). */
  scheduler: FocusScheduler;
  /** The emission feed shared with the engine: every change this flow commits is published there. */
  feed: EmissionFeed;
  /** Cancels an earlier attempt that turned out authorized (the engine's AfterSale). */
  cancel: CancelPort;
  /** Focus base URL (and extra CA), for the default probe: an unauthenticated GET / (no credit spent). */
  focusBaseUrl?: string;
  focusCa?: string;
  /** Reachability check used only while the link is in doubt (default: httpProbe of focusBaseUrl). */
  probe?: LinkProbe;
  thresholds?: Partial<LinkThresholds>;
  clock?: TimerClock;
  randomInt?: (maxExclusive: number) => number;
  /** Two-copy contingency receipt → print queue. */
  print?: (view: EmissionView, row: EmissionRow) => void | Promise<void>;
  catalog?: CatalogPort;
  /** Scheduler lane of the backlog and the follow-up GETs (default 'resolve'). */
  lane?: Lane;
  /** Notes transmitted at once (default 2). */
  concurrency?: number;
  /** Background pass interval while there is work and the link is not offline (default 30 s). */
  tickMs?: number;
  /** Minimum interval between GETs of one Focus-contingency note (default 2 min). */
  followIntervalMs?: number;
  emitDeadlineMs?: number;
}

export interface PassReport {
  reconcile: ReconcileReport;
  drain: DrainReport;
  followed: number;
  unblocked: number;
}

export interface Contingency {
  /** Give this to the EmissionEngine (options.contingency). */
  readonly port: ContingencyPort;
  readonly monitor: LinkMonitor;
  /** ContingencyItem[] for `contingency.list`. */
  list(): ContingencyItem[];
  /** `contingency.sendNow`: rejected notes get the fixed product data, then the backlog is sent. */
  sendNow(): Promise<{ queued: number }>;
  /** StatusView counts. */
  counts(): ContingencyCounts;
  /** `settings.importCertificate`: validates, stores in the vault, returns the public facts. Throws CertificateError (pt-BR). */
  importCertificate(pfx: Uint8Array, password: string): Promise<CertificateInfo>;
  certificateInfo(): Promise<CertificateInfo | null>;
  /** Handler for Focus's nfce_contingencia webhook (body = the delivered JSON). */
  handleWebhook(body: unknown): Promise<{ accepted: boolean; settled: boolean }>;
  /** Runs one pass now (reconcile, unblock, transmit, follow); resolves with what it did. */
  runPass(opts?: { force?: boolean }): Promise<PassReport>;
  /** Issues a sale in contingency directly (what divert() does). */
  issue(saleId: number, reason: DivertReason): Promise<IssueResult>;
  close(): Promise<void>;
}

export function createContingency(deps: ContingencyDeps): Contingency {
  const clock = deps.clock ?? systemClock;
  const now = () => clock.now();
  const store = new ContingencyStore(deps.journal);
  const certificates = new CertificateStore({ vault: deps.vault, now });
  let closed = false;
  const announce = (row: EmissionRow) => {
    deps.feed.publish(row);
  };
  const releases = new Set<(saleId: number) => void>();

  const probe =
    deps.probe ??
    (deps.focusBaseUrl
      ? httpProbe({ baseUrl: deps.focusBaseUrl, ...(deps.focusCa ? { ca: deps.focusCa } : {}) })
      : async () => {
          const q = await deps.api.query('__link_probe__', { deadlineMs: 3_000 });
          return q.kind === 'ok' || q.kind === 'api-error';
        });

  const lanes: Pick<FocusScheduler, 'run'> = deps.scheduler;

  const monitor = new LinkMonitor({
    source: (l) => deps.api.onExchange(l),
    clock,
    probe,
    ...(deps.thresholds ? { thresholds: deps.thresholds } : {}),
    // A probe through the API spends a credit: only when the scheduler has plenty left.
    mayProbe: () => deps.probe !== undefined || deps.focusBaseUrl !== undefined || deps.api.rateLimit().remaining > 20,
  });
  let downSince: number | null = null;
  monitor.onChange((c) => {
    if (c.state === 'offline') downSince ??= c.at;
    if (c.state === 'online') downSince = null;
    if (c.state !== 'offline' && c.previous === 'offline') schedulePass(0);
    if (c.state === 'online') schedulePass(0);
  });

  const issuer = new ContingencyIssuer({
    store,
    certificates,
    config: deps.config,
    now,
    ...(deps.randomInt ? { randomInt: deps.randomInt } : {}),
    linkDownSince: () => downSince,
    ...(deps.print ? { print: deps.print } : {}),
    onChange: announce,
  });
  const transmitter = new ContingencyTransmitter({
    store,
    api: deps.api,
    scheduler: lanes,
    config: deps.config,
    linkState: () => monitor.state(),
    now,
    ...(deps.lane ? { lane: deps.lane } : {}),
    ...(deps.concurrency ? { concurrency: deps.concurrency } : {}),
    ...(deps.emitDeadlineMs ? { emitDeadlineMs: deps.emitDeadlineMs } : {}),
    ...(deps.catalog ? { catalog: deps.catalog } : {}),
    onChange: announce,
  });
  const follower = new FocusContingencyFollower({
    store,
    api: deps.api,
    scheduler: lanes,
    now,
    ...(deps.lane ? { lane: deps.lane } : {}),
    ...(deps.followIntervalMs !== undefined ? { intervalMs: deps.followIntervalMs } : {}),
    onChange: announce,
  });
  const reconciler = new Reconciler({ store, cancel: deps.cancel, onChange: announce });

  // No resend storms: each blocked sale waits longer after every automatic retry (per-sale
  // back-off, 30 s doubling to 15 min), and one pass retries at most UNBLOCK_PER_PASS of them, so
  // a flapping link re-sends a trickle instead of the whole backlog at every flap.
  const UNBLOCK_PER_PASS = 20;
  const retryAt = new Map<number, { at: number; tries: number }>();
  /** Sales this flow parked as blocked: sent normally once the link is back, or issued offline once possible. */
  async function unblock(): Promise<number> {
    let n = 0;
    for (const row of store.byState(['blocked'])) {
      if (n >= UNBLOCK_PER_PASS) break;
      // Only the blocks this flow set (the engine's own setup blocks wait for the manager).
      if (!row.blockReason || !CONTINGENCY_BLOCKS.includes(row.blockReason)) continue;
      const latest = deps.journal.emissions.latestForSale(row.saleId);
      if (!latest || latest.id !== row.id) continue;
      if (monitor.state() !== 'offline') {
        if (releases.size === 0) continue;
        const b = retryAt.get(row.saleId);
        if (b && now() < b.at) continue;
        const tries = (b?.tries ?? 0) + 1;
        retryAt.set(row.saleId, { at: now() + backoffDelay(tries, BLOCKED_RETRY), tries });
        n++;
        for (const l of releases) l(row.saleId);
      } else {
        const r = await issuer.issue(row.saleId, 'offline');
        if (r.kind === 'issued') n++;
      }
    }
    return n;
  }

  let passing: Promise<PassReport> | null = null;
  async function pass(force: boolean): Promise<PassReport> {
    const report: PassReport = {
      reconcile: { cancelled: 0, flagged: 0, waiting: 0 },
      drain: { attempted: 0, authorized: 0, rejected: 0, unknown: 0, stopped: null },
      followed: 0,
      unblocked: 0,
    };
    if (closed) return report;
    report.unblocked = await unblock();
    if (monitor.state() === 'offline' && !force) return report;
    // Cancelling a duplicate is bound to a 30-minute window: it goes before the (longer) backlog.
    report.reconcile = await reconciler.run();
    report.drain = await transmitter.drain();
    report.followed = await follower.follow({ force });
    // Earlier attempts resolved by the engine meanwhile (e.g. authorized while the backlog drained).
    const again = await reconciler.run();
    report.reconcile.cancelled += again.cancelled;
    report.reconcile.flagged += again.flagged;
    return report;
  }
  function runPass(opts: { force?: boolean } = {}): Promise<PassReport> {
    passing ??= pass(opts.force === true).finally(() => {
      passing = null;
    });
    return passing;
  }

  let timer: unknown = null;
  const tickMs = deps.tickMs ?? 30_000;
  function schedulePass(delay: number): void {
    if (closed) return;
    if (timer !== null) clock.clearTimeout(timer);
    timer = clock.setTimeout(() => {
      timer = null;
      void runPass()
        .catch(() => undefined)
        .finally(() => schedulePass(tickMs));
    }, delay);
  }
  schedulePass(tickMs);

  const port: ContingencyPort = {
    linkState: () => monitor.state(),
    divert: async (saleId, reason) => {
      if (closed) return null;
      if (reason === 'deadline') monitor.reportStall();
      const r = await issuer.issue(saleId, reason);
      return r.view;
    },
    onRelease: (listener) => {
      releases.add(listener);
      return () => releases.delete(listener);
    },
  };

  return {
    port,
    monitor,
    list: () => panelItems(store, now()),
    sendNow: async () => {
      const r = await transmitter.sendNow();
      // Focus's own contingency notes are listed in the same panel: the manager's "Enviar agora"
      // asks about them now too, instead of waiting for the follow-up's interval (minutes).
      const focusNotes = store.byState(['contingency_focus']).length;
      if (focusNotes > 0) void follower.follow({ force: true }).catch(() => undefined);
      // Pressed once the cable is back: look at the link now rather than after the probe's
      // backoff (up to a minute); a good probe moves it out of offline and that starts a pass.
      if (monitor.state() === 'offline') await monitor.checkNow().catch(() => undefined);
      schedulePass(0);
      return { queued: r.queued + focusNotes };
    },
    counts: () => contingencyCounts(store, now()),
    importCertificate: async (pfx, password) => {
      const info = await certificates.import(pfx, password, { emitterCnpj: deps.config().emitter.cnpj });
      schedulePass(0);
      return info;
    },
    certificateInfo: () => certificates.info(),
    handleWebhook: (body) => follower.handleWebhook(body),
    runPass,
    issue: (saleId, reason) => issuer.issue(saleId, reason),
    close: async () => {
      closed = true;
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      transmitter.close();
      monitor.close();
      await passing?.catch(() => undefined);
    },
  };
}
