// The app core: one object both shells (Electron IPC and the browser host) drive through
// handle(channel, rawInput). It validates every input with the contract's schema, runs the
// channel's handler, and turns every failure into a PosError in Portuguese.
import { CHANNELS, type Channel, type ChannelOutputs, type OperatorView, type Result } from '../../shared/contract.ts';
import type { Product } from '../../shared/sale.ts';
import { OperatorDirectory } from '../auth/operators.ts';
import type { PinCost } from '../auth/pin-hash.ts';
import { Catalog, type WarmStage } from '../catalog/catalog.ts';
import { CatalogWorkspace } from '../catalog/import/workspace.ts';
import { demoCatalog } from '../demo/catalog.ts';
import { SettingsService } from '../settings/settings.ts';
import type { KeyValueStore } from '../settings/store.ts';
import type { FileStore } from '../settings/file-store.ts';
import type { AppPhase, SecretsProblem } from '../../shared/contract.ts';
import { ACCESS, allowedInPhase } from './access.ts';
import { requireManager } from './services.ts';
import { operatorHandlers } from './handlers/operators.ts';
import { setupHandlers } from './handlers/setup.ts';
import { setupTaxProfileHandlers } from './handlers/setup-tax-profiles.ts';
import { preflightHandlers } from './handlers/preflight.ts';
import { SecretsUnreadable } from './profile.ts';
import { SECRET_NAMES } from '../secrets/vault.ts';
import { VaultError } from '../secrets/errors.ts';
import type { SecretVault } from '../secrets/vault.ts';
import { LAYOUT } from './layout.ts';
import { PosFailure, toPosError } from './errors.ts';
import { EventBus, type EventListener } from './events.ts';
import { openProfile, tokenFor, type Profile, type SandboxStarter } from './profile.ts';
import type { FocusFactory, ReceiptPort, SalesPortFactory } from './ports.ts';
import { shopCrt, statusView, type Services } from './services.ts';
import { AutoPrint } from './auto-print.ts';
import { ParkedSales } from './parked.ts';
import { tillHandlers } from './handlers/till.ts';
import { authHandlers } from './handlers/auth.ts';
import { catalogHandlers } from './handlers/catalog.ts';
import { contingencyHandlers } from './handlers/contingency.ts';
import { receiptHandlers } from './handlers/receipt.ts';
import { salesHandlers } from './handlers/sales.ts';
import { settingsHandlers } from './handlers/settings.ts';
import { registerHandlers } from './handlers/register.ts';
import { storeHandlers } from './handlers/store.ts';
import { StoreSync, type StoreTiming } from '../store/sync.ts';
import { tokenKeyOf } from '../store/credits.ts';
import { reportsHandlers } from './handlers/reports.ts';
import { statusHandlers } from './handlers/status.ts';
import { pixHandlers } from './handlers/pix.ts';
import { receiptLogoHandlers } from './handlers/receipt-logo.ts';
import { ReceiptLogoStore } from '../printing/logo.ts';
import type { Handler } from './handlers/types.ts';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';
import { JournalError } from '../db/errors.ts';
import { journalHandlers } from './handlers/journal.ts';

export interface CoreDeps {
  /** Root of everything this terminal stores (see the data-dir layout in main/core/layout.ts). */
  dataDir: string;
  /** Settings and operators (main/settings/file-store.ts). A FileStore opened 'damaged' starts in recovery. */
  kv: KeyValueStore | FileStore;
  /** CA of a test Focus over TLS (setup's token check). */
  focusCa?: string;
  vault: SecretVault;
  clock?: () => number;
  /** Journal + emission engine for a profile. */
  salesFactory: SalesPortFactory;
  focusFactory: FocusFactory;
  /** Starts the built-in sandbox for demo mode; null disables demo mode (a token is then required). */
  startSandbox: SandboxStarter | null;
  /** Latency the demo sandbox simulates (a real SEFAZ is not instant). */
  sandboxLatencyMs?: number | [number, number];
  receipts?: ReceiptPort | null;
  /** Products for an empty catalog (default: the demo shop's in demo mode, none in a real one). */
  catalogSeed?: () => readonly Product[];
  /** Awaited between the slices of the catalog's warm-up and index build (tests hold it to look inside). */
  catalogPause?: (stage: WarmStage) => Promise<void>;
  /** Where redacted diagnostics go (default stderr). */
  log?: (line: string) => void;
  /** Shorter store long-poll, push idle and credit lease times, smaller leases (tests). */
  storeTiming?: StoreTiming;
  /** scrypt cost of the PINs this terminal hashes: PIN_COST unless said; only tests pass a cheaper one. */
  pinCost?: PinCost;
}

export interface CallContext {
  via: 'ipc' | 'http' | 'test';
}

export interface Core {
  start(): Promise<void>;
  handle<C extends Channel>(channel: C, rawInput: unknown, ctx?: CallContext): Promise<Result<ChannelOutputs[C]>>;
  handle(channel: string, rawInput: unknown, ctx?: CallContext): Promise<Result<unknown>>;
  events: { subscribe(listener: EventListener): () => void };
  /** Current profile facts (tests, the host's banner). */
  info(): { demo: boolean; environment: string; profile: string; sandbox: Profile['sandbox']; phase: AppPhase };
  /** The logged-in operator, if any. */
  operator(): OperatorView | null;
  close(): Promise<void>;
}

const HANDLERS = {
  ...authHandlers,
  ...catalogHandlers,
  ...salesHandlers,
  ...receiptHandlers,
  ...settingsHandlers,
  ...statusHandlers,
  ...contingencyHandlers,
  ...registerHandlers,
  ...storeHandlers,
  ...reportsHandlers,
  ...operatorHandlers,
  ...setupHandlers,
  ...setupTaxProfileHandlers,
  ...preflightHandlers,
  ...tillHandlers,
  ...pixHandlers,
  ...journalHandlers,
  ...receiptLogoHandlers,
};

export function createCore(deps: CoreDeps): Core {
  const clock = deps.clock ?? Date.now;
  const log = deps.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const events = new EventBus();
  const settings = new SettingsService(deps.kv);
  const operators = new OperatorDirectory(deps.kv, clock, undefined, undefined, deps.pinCost);
  let catalog: Catalog | null = null;
  let catalogPath: string | null = null;
  let profile: Profile | null = null;
  let phase: AppPhase = 'setup';
  let secretsProblem: SecretsProblem | null = null;
  let journalProblem: { code: string; message: string } | null = null;
  let switching: Promise<void> | null = null;
  let started: Promise<void> | null = null;
  let closed = false;
  let lock: DataDirLock | null = null;
  const unsubs: (() => void)[] = [];
  const unsubsPermanent: (() => void)[] = [];
  const store = new StoreSync({
    settings,
    vault: deps.vault,
    now: clock,
    log,
    targets: () => (catalog ? { catalog, operators } : null),
    ...(deps.storeTiming ?? {}),
  });

  /** The catalog belongs to the profile: the demo shop's products never show in a real one. */
  const openCatalog = (demo: boolean) => {
    const path = demo ? LAYOUT.demoCatalog(deps.dataDir) : LAYOUT.catalog(deps.dataDir);
    if (catalog && catalogPath === path) return;
    catalog?.close();
    const seed = deps.catalogSeed ?? (demo ? demoCatalog : undefined);
    catalog = Catalog.open(path, seed, new Date(clock()).toISOString(), deps.catalogPause ? { pause: deps.catalogPause } : {});
    catalogPath = path;
    // The search index is built after the core is ready; until then the catalog file answers.
    const warming = catalog;
    setImmediate(() => void warming.warm().catch((e: unknown) => log(`balcao: catalog warm-up failed: ${describe(e)}`)));
  };

  const openCurrent = async () => {
    const demo = settings.get().mode === 'demo';
    operators.use(demo ? 'demoOperators' : 'operators');
    await operators.ensureSeeded();
    openCatalog(demo);
    const p = await openProfile({
      dataDir: deps.dataDir,
      vault: deps.vault,
      settings: () => settings.get(),
      clock,
      focusFactory: deps.focusFactory,
      salesFactory: deps.salesFactory,
      startSandbox: deps.startSandbox,
      sandboxLatencyMs: deps.sandboxLatencyMs ?? [150, 400],
      getProduct: (id) => catalog?.forSale(id) ?? null,
      printSale: (saleId: number) => void printReceipt(saleId),
      onPix: (view) => events.emit('pix.changed', view),
      // A real shop's lanes share one Focus token: the store's credits (or an even share) gate the scheduler.
      ...(demo ? {} : { credits: store.credits }),
      log,
    });
    unsubs.push(
      p.sales.onEmission((view) => {
        events.emit('emission.changed', view);
        autoPrint.changed(view);
        statusSoon();
      }),
    );
    unsubs.push(
      p.onLink(() => {
        if (profile) events.emit('status.changed', statusView(services));
      }),
    );
    if (p.sales.onProblem)
      unsubs.push(
        p.sales.onProblem(() => {
          if (profile) events.emit('status.changed', statusView(services));
        }),
      );
    profile = p;
    if (!demo) {
      const token = await tokenFor(deps.vault, p.environment).catch(() => null);
      await store.attach(p.register.db, token ? await tokenKeyOf(token) : null);
    }
    // Open emissions of a previous run resolve in the background; finalize() waits for them itself.
    void p.sales.start().catch((e: unknown) => log(`balcao: resolving open emissions failed: ${describe(e)}`));
  };

  /**
   * The counters behind status.changed read the journal; one recount per turn of the event loop,
   * after the answer in progress went out, is enough however many emissions changed meanwhile.
   */
  let statusQueued = false;
  const statusSoon = () => {
    if (statusQueued) return;
    statusQueued = true;
    setImmediate(() => {
      statusQueued = false;
      if (profile && !closed) events.emit('status.changed', statusView(services));
    });
  };

  const autoPrint = new AutoPrint((saleId) => void printReceipt(saleId));
  let parked: { key: string; store: ParkedSales } | null = null;

  const services: Services = {
    store,
    autoPrint,
    statusSoon,
    parked() {
      const key = services.profile().key;
      if (parked?.key !== key) parked = { key, store: new ParkedSales(LAYOUT.parked(deps.dataDir, key), clock) };
      return parked.store;
    },
    settings,
    vault: deps.vault,
    operators,
    focusCa: deps.focusCa,
    dataDir: deps.dataDir,
    phase: () => phase,
    secretsProblem: () => secretsProblem,
    enter: () => enter(),
    get catalog() {
      if (!catalog) throw new PosFailure('starting', 'O caixa ainda está iniciando. Aguarde um instante.');
      return catalog;
    },
    realCatalog() {
      openCatalog(false);
      return catalog!;
    },
    catalogWork: new CatalogWorkspace({
      catalog: () => services.catalog,
      crt: () => shopCrt(services),
      progress: (p) => events.emit('catalog.progress', p),
    }),
    events,
    receipts: deps.receipts ?? null,
    receiptLogo: new ReceiptLogoStore(deps.dataDir),
    clock,
    printer: { ok: true, message: null },
    session: { operator: null, managerAuthAt: null, lastActivityAt: clock() },
    profile() {
      if (!profile) throw new PosFailure('starting', 'O caixa está se conectando ao emissor de notas. Aguarde um instante e tente de novo.');
      return profile;
    },
    async reopenProfile() {
      const run = async () => {
        const old = profile;
        profile = null;
        for (const u of unsubs.splice(0)) u();
        await store.detach();
        await old?.close();
        await openCurrent();
      };
      switching = run().finally(() => {
        switching = null;
      });
      await switching;
    },
    async replaceJournal(fn) {
      // The profile (journal, engine, register connection) is closed around the file swap, then the
      // phase is decided again: a sound file opens (and re-learns what it lacks), a damaged one
      // stays in the 'journal' phase.
      const out: { failure: Error | null } = { failure: null };
      const run = async () => {
        const old = profile;
        profile = null;
        for (const u of unsubs.splice(0)) u();
        await old?.close();
        try {
          await fn();
        } catch (e) {
          out.failure = e instanceof Error ? e : new Error(String(e));
        }
      };
      switching = run().finally(() => {
        switching = null;
      });
      await switching;
      const next = await enter();
      if (out.failure) throw out.failure;
      return next;
    },
    journalProblem: () => journalProblem,
    profileKey: () => (profile ? profile.key : settings.get().mode === 'demo' ? 'demo' : settings.get().environment),
    log,
  };

  /**
   * A receipt that prints by itself (authorized, or contingency with its two copies). A refusal
   * before queueing (no printer) surfaces as print.changed 'failed'; the queue reports the rest.
   */
  async function printReceipt(saleId: number): Promise<void> {
    if (!deps.receipts || !profile) return;
    try {
      const r = await deps.receipts.print(profile.sales.detail(saleId), settings.get(), profile.emitter(), { firstPrint: profile.sales.claimDrawer(saleId) });
      if (!r.ok) events.emit('print.changed', { saleId, ok: false, message: r.message, kind: 'receipt', state: 'failed', code: 'not_queued' });
    } catch (e) {
      log(`balcao: automatic print failed: ${describe(e)}`);
    }
  }

  if (deps.receipts) {
    unsubsPermanent.push(
      deps.receipts.onPrint((e) => {
        // Queued and printing say nothing yet about the printer's health.
        if (e.state === undefined || e.state === 'done' || e.state === 'failed' || e.state === 'retrying') services.printer = { ok: e.ok, message: e.message };
        if (e.saleId !== null) {
          events.emit('print.changed', {
            saleId: e.saleId,
            ok: e.ok,
            message: e.message,
            ...(e.jobId !== undefined ? { jobId: e.jobId } : {}),
            ...(e.kind !== undefined ? { kind: e.kind } : {}),
            ...(e.state !== undefined ? { state: e.state } : {}),
            ...(e.code !== undefined ? { code: e.code } : {}),
          });
        }
        if (profile) events.emit('status.changed', statusView(services));
      }),
    );
  }

  /**
   * Decides the phase from the settings and the secrets, and opens the profile when it can. A real
   * profile whose secrets cannot be read stops on the secrets screen: it never falls back to demo.
   */
  async function enter(): Promise<AppPhase> {
    secretsProblem = null;
    journalProblem = null;
    if ('opened' in deps.kv && deps.kv.opened === 'damaged') {
      phase = 'recovery';
      return phase;
    }
    const raw = deps.kv.get('settings');
    const legacy = typeof raw === 'object' && raw !== null && !('mode' in raw);
    let st = settings.get();
    if (st.mode === 'unset' && legacy && (await hasAnyToken())) {
      // A terminal configured before the first-run setup existed: its token makes it a real shop.
      st = settings.update({ mode: 'real', setupComplete: true });
    }
    if (st.mode === 'unset' || (st.mode === 'real' && !st.setupComplete)) {
      phase = 'setup';
      return phase;
    }
    try {
      if (profile) {
        await services.reopenProfile();
      } else {
        await openCurrent();
      }
      phase = 'ready';
    } catch (e) {
      if (e instanceof JournalError && e.code === 'journal_damaged') {
        // A damaged sales file stops on the guided restore (journal.*), never on a stack trace.
        phase = 'journal';
        journalProblem = { code: e.code, message: e.message };
        operators.use(st.mode === 'demo' ? 'demoOperators' : 'operators');
        log('balcao: journal damaged, waiting for a restore');
        events.emit('status.changed', statusView(services));
        return phase;
      }
      if (!(e instanceof SecretsUnreadable)) throw e;
      phase = 'secrets';
      operators.use('operators');
      secretsProblem = { code: e.reason, message: e.message, needs: e.needs, environment: st.environment };
      log(`balcao: secrets needed (${e.reason})`);
    }
    events.emit('status.changed', statusView(services));
    return phase;
  }

  async function hasAnyToken(): Promise<boolean> {
    for (const env of ['homologacao', 'producao'] as const) {
      try {
        if (await deps.vault.get(SECRET_NAMES.token(env))) return true;
      } catch (e) {
        if (e instanceof VaultError) return true;
        throw e;
      }
    }
    return false;
  }

  async function start(): Promise<void> {
    started ??= (async () => {
      const t0 = clock();
      // One process per data directory: a second host or window is refused before it reads anything.
      lock ??= acquireDataDirLock(deps.dataDir);
      await enter();
      const p = profile;
      log(`balcao: core ${phase} in ${clock() - t0} ms${p ? ` (${p.demo ? 'demo' : p.environment}, ${catalog?.size ?? 0} products)` : ''}`);
    })().catch((err: unknown) => {
      // A refusal at start (damaged or full journal, a second process) is answered to every call
      // with its code; the next call tries again, so freeing disk space is enough to resume.
      started = null;
      throw err;
    });
    return started;
  }

  /** Access check of the table in access.ts, the phase, and the idle lock. */
  async function authorize(channel: Channel, input: Record<string, unknown>): Promise<OperatorView | null> {
    if (!allowedInPhase(channel, phase)) {
      throw new PosFailure(`phase_${phase}`, PHASE_MESSAGES[phase]);
    }
    const access = ACCESS[channel];
    if (access === 'public') return null;
    const now = clock();
    const idleMs = settings.get().idleLockMinutes * 60_000;
    if (services.session.operator && idleMs > 0 && now - services.session.lastActivityAt > idleMs) {
      services.session.operator = null;
      services.session.managerAuthAt = null;
      events.emit('status.changed', statusView(services));
      throw new PosFailure('session_locked', 'O caixa foi bloqueado por inatividade. Entre de novo com o seu PIN.');
    }
    const op = services.session.operator;
    if (!op) throw new PosFailure('login_required', 'Nenhum operador no caixa. Entre com seu PIN para continuar.');
    services.session.lastActivityAt = now;
    if (access === 'operator') return null;
    return requireManager(services, typeof input.managerPin === 'string' ? input.managerPin : undefined);
  }

  async function handle(channel: string, rawInput: unknown, ctx: CallContext = { via: 'test' }): Promise<Result<unknown>> {
    const schema = (CHANNELS as Record<string, (typeof CHANNELS)[Channel]>)[channel];
    if (!Object.hasOwn(CHANNELS, channel) || !schema) {
      return { ok: false, error: { code: 'unknown_channel', message: 'Operação desconhecida. Atualize o Balcão.' } };
    }
    if (closed) return { ok: false, error: { code: 'closed', message: 'O caixa está sendo fechado. Abra o Balcão de novo.' } };
    try {
      if (started) await started;
      else await start();
      if (switching) await switching;
      const input = schema.parse(rawInput ?? {});
      const actor = await authorize(channel as Channel, input);
      const handler = HANDLERS[channel as Channel] as Handler<Channel, Services>;
      const value = await handler(input, services, { actor });
      return { ok: true, value };
    } catch (err) {
      const { error, expected } = toPosError(err);
      if (!expected) log(`balcao: ${channel} via ${ctx.via} failed: ${describe(err)}`);
      return { ok: false, error };
    }
  }

  return {
    start,
    handle: handle,
    events: { subscribe: (l) => events.subscribe(l) },
    info() {
      if (!profile) return { demo: false, environment: settings.get().environment, profile: phase, sandbox: null, phase };
      const p = profile;
      return { demo: p.demo, environment: p.environment, profile: p.key, sandbox: p.sandbox, phase };
    },
    operator: () => services.session.operator,
    async close() {
      if (closed) return;
      closed = true;
      await started?.catch(() => {});
      await switching?.catch(() => {});
      for (const u of [...unsubs.splice(0), ...unsubsPermanent.splice(0)]) u();
      await store.detach();
      await profile?.close();
      profile = null;
      catalog?.close();
      await deps.receipts?.close().catch(() => {});
      lock?.release();
      lock = null;
    },
  };
}

const PHASE_MESSAGES: Record<AppPhase, string> = {
  setup: 'O caixa ainda não foi configurado. Conclua a Configuração inicial.',
  recovery: 'As configurações do caixa estão danificadas. Siga a tela de recuperação.',
  secrets: 'O caixa precisa que o gerente informe o token da Focus NFe (ou o certificado) de novo.',
  journal: 'O arquivo de vendas está danificado: o gerente deve restaurar uma cópia de segurança antes de vender.',
  ready: 'Esta etapa da configuração inicial já foi concluída. Use Configurações.',
};

/** Error class and a message stripped of anything that looks like a secret or a URL credential. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return typeof err;
  const msg = err.message.replace(/[A-Za-z0-9_-]{24,}/g, '[redacted]').replace(/\/\/[^@\s/]+@/g, '//[redacted]@');
  return `${err.name}: ${msg.slice(0, 300)}`;
}
