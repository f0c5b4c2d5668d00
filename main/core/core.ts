// The app core: one object both shells (Electron IPC and the browser host) drive through
// handle(channel, rawInput). It validates every input with the contract's schema, runs the
// channel's handler, and turns every failure into a PosError in Portuguese.
import { CHANNELS, type Channel, type ChannelOutputs, type OperatorView, type Result } from '../../shared/contract.ts';
import type { Product } from '../../shared/sale.ts';
import { OperatorDirectory } from '../auth/operators.ts';
import { Catalog } from '../catalog/catalog.ts';
import { demoCatalog } from '../demo/catalog.ts';
import { SettingsService } from '../settings/settings.ts';
import type { KeyValueStore } from '../settings/store.ts';
import type { SecretVault } from '../secrets/vault.ts';
import { LAYOUT } from './layout.ts';
import { PosFailure, toPosError } from './errors.ts';
import { EventBus, type EventListener } from './events.ts';
import { openProfile, type Profile, type SandboxStarter } from './profile.ts';
import type { FocusFactory, ReceiptPort, SalesPortFactory } from './ports.ts';
import { statusView, type Services } from './services.ts';
import { authHandlers } from './handlers/auth.ts';
import { catalogHandlers } from './handlers/catalog.ts';
import { contingencyHandlers } from './handlers/contingency.ts';
import { receiptHandlers } from './handlers/receipt.ts';
import { salesHandlers } from './handlers/sales.ts';
import { settingsHandlers } from './handlers/settings.ts';
import { statusHandlers } from './handlers/status.ts';
import { pixHandlers } from './handlers/pix.ts';
import type { Handler } from './handlers/types.ts';

export interface CoreDeps {
  /** Root of everything this terminal stores (see the data-dir layout in main/core/layout.ts). */
  dataDir: string;
  /** Settings and operators (conf in plain Node, electron-store in the shell). */
  kv: KeyValueStore;
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
  /** Products for an empty catalog (default: the demo shop's). */
  catalogSeed?: () => readonly Product[];
  /** Where redacted diagnostics go (default stderr). */
  log?: (line: string) => void;
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
  info(): { demo: boolean; environment: string; profile: string; sandbox: Profile['sandbox'] };
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
  ...pixHandlers,
} as { [C in Channel]: Handler<C> };

export function createCore(deps: CoreDeps): Core {
  const clock = deps.clock ?? Date.now;
  const log = deps.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const events = new EventBus();
  const settings = new SettingsService(deps.kv);
  const operators = new OperatorDirectory(deps.kv, clock);
  let catalog: Catalog | null = null;
  let profile: Profile | null = null;
  let switching: Promise<void> | null = null;
  let started: Promise<void> | null = null;
  let closed = false;
  const unsubs: (() => void)[] = [];
  const unsubsPermanent: (() => void)[] = [];

  const openCurrent = async () => {
    const p = await openProfile({
      dataDir: deps.dataDir,
      vault: deps.vault,
      settings: () => settings.get(),
      clock,
      focusFactory: deps.focusFactory,
      salesFactory: deps.salesFactory,
      startSandbox: deps.startSandbox,
      sandboxLatencyMs: deps.sandboxLatencyMs ?? [150, 400],
      getProduct: (id) => catalog?.get(id) ?? null,
      printSale: (saleId: number) => void printContingency(saleId),
      onPix: (view) => events.emit('pix.changed', view),
      log,
    });
    unsubs.push(p.sales.onEmission((view) => {
      events.emit('emission.changed', view);
      if (profile) events.emit('status.changed', statusView(services));
    }));
    unsubs.push(p.onLink(() => { if (profile) events.emit('status.changed', statusView(services)); }));
    profile = p;
    // Open emissions of a previous run resolve in the background; finalize() waits for them itself.
    void p.sales.start().catch((e: unknown) => log(`balcao: resolving open emissions failed: ${describe(e)}`));
  };

  const services: Services = {
    settings,
    vault: deps.vault,
    operators,
    get catalog() {
      if (!catalog) throw new PosFailure('starting', 'O caixa ainda está iniciando. Aguarde um instante.');
      return catalog;
    },
    events,
    receipts: deps.receipts ?? null,
    clock,
    printer: { ok: true, message: null },
    session: { operator: null },
    profile() {
      if (!profile) throw new PosFailure('starting', 'O caixa está se conectando ao emissor de notas. Aguarde um instante e tente de novo.');
      return profile;
    },
    async reopenProfile() {
      const run = async () => {
        const old = profile;
        profile = null;
        for (const u of unsubs.splice(0)) u();
        await old?.close();
        await openCurrent();
      };
      switching = run().finally(() => { switching = null; });
      await switching;
    },
    log,
  };

  /** A contingency receipt prints at once (two copies); failures surface as print.changed. */
  async function printContingency(saleId: number): Promise<void> {
    if (!deps.receipts || !profile) return;
    try {
      const r = await deps.receipts.print(profile.sales.detail(saleId), settings.get(), profile.emitter());
      events.emit('print.changed', { saleId, ok: r.ok, message: r.message });
    } catch (e) {
      log(`balcao: contingency print failed: ${describe(e)}`);
    }
  }

  if (deps.receipts) {
    unsubsPermanent.push(deps.receipts.onPrint((e) => {
      services.printer = { ok: e.ok, message: e.message };
      if (e.saleId !== null) events.emit('print.changed', { saleId: e.saleId, ok: e.ok, message: e.message });
      if (profile) events.emit('status.changed', statusView(services));
    }));
  }

  async function start(): Promise<void> {
    started ??= (async () => {
      const t0 = clock();
      catalog = Catalog.open(LAYOUT.catalog(deps.dataDir), deps.catalogSeed ?? demoCatalog, new Date(clock()).toISOString());
      await operators.ensureSeeded();
      await openCurrent();
      log(`balcao: core ready in ${clock() - t0} ms (${profile!.demo ? 'demo' : profile!.environment}, ${catalog.size} products)`);
    })();
    return started;
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
      const handler = HANDLERS[channel as Channel] as Handler<Channel>;
      const value = await handler(input as never, services);
      return { ok: true, value };
    } catch (err) {
      const { error, expected } = toPosError(err);
      if (!expected) log(`balcao: ${channel} via ${ctx.via} failed: ${describe(err)}`);
      return { ok: false, error };
    }
  }

  return {
    start,
    handle: handle as Core['handle'],
    events: { subscribe: (l) => events.subscribe(l) },
    info() {
      const p = services.profile();
      return { demo: p.demo, environment: p.environment, profile: p.key, sandbox: p.sandbox };
    },
    operator: () => services.session.operator,
    async close() {
      if (closed) return;
      closed = true;
      await started?.catch(() => {});
      await switching?.catch(() => {});
      for (const u of [...unsubs.splice(0), ...unsubsPermanent.splice(0)]) u();
      await profile?.close();
      profile = null;
      catalog?.close();
      await deps.receipts?.close().catch(() => {});
    },
  };
}

/** Error class and a message stripped of anything that looks like a secret or a URL credential. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return typeof err;
  const msg = err.message
    .replace(/[A-Za-z0-9_-]{24,}/g, '[redacted]')
    .replace(/\/\/[^@\s/]+@/g, '//[redacted]@');
  return `${err.name}: ${msg.slice(0, 300)}`;
}
