// A profile is "which Focus, which journal": demo (the built-in sandbox, its own journal), or a
// real environment with the manager's token. Sales of one profile never mix with another's.
import { LAYOUT } from './layout.ts';
import type { Emitter, Environment, Product } from '../../shared/sale.ts';
import type { FocusApi } from '../focus/types.ts';
import type { LinkState } from '../../shared/contract.ts';
import { LinkMonitor } from '../link/monitor.ts';
import { endpointOf, tcpProbe } from '../link/probe.ts';
import { FOCUS_URLS, type Settings } from '../settings/schema.ts';
import { SECRET_NAMES, utf8, type SecretVault } from '../secrets/vault.ts';
import type { Sandbox } from '../sandbox/types.ts';
import type { FocusFactory, SalesPort, SalesPortFactory } from './ports.ts';
import { configuredPixSource, demoPixSource, readPixCredentials, type PixSource } from '../pix/source.ts';
import type { PixChargeView } from '../../shared/pix/charge.ts';

export type SandboxStarter = (opts: { port: number; latencyMs: number | [number, number]; dataDir: string; clock?: () => number }) => Promise<Sandbox>;

export interface Profile {
  key: 'demo' | Environment;
  demo: boolean;
  environment: Environment;
  emitter: () => Emitter;
  focus: FocusApi;
  sales: SalesPort;
  sandbox: Sandbox | null;
  /** The PSP this profile charges PIX through. */
  pix: PixSource;
  link(): LinkState;
  onLink(listener: () => void): () => void;
  close(): Promise<void>;
}

export interface ProfileDeps {
  dataDir: string;
  vault: SecretVault;
  settings: () => Settings;
  clock: () => number;
  focusFactory: FocusFactory;
  salesFactory: SalesPortFactory;
  startSandbox: SandboxStarter | null;
  sandboxLatencyMs: number | [number, number];
  getProduct: (id: string) => Product | null;
  printSale?: (saleId: number) => void;
  onPix?: (view: PixChargeView) => void;
  log?: (line: string) => void;
}

export async function tokenFor(vault: SecretVault, env: Environment): Promise<string | null> {
  const bytes = await vault.get(SECRET_NAMES.token(env));
  return bytes ? utf8.decode(bytes) : null;
}

export async function openProfile(deps: ProfileDeps): Promise<Profile> {
  const s = deps.settings();
  const token = await tokenFor(deps.vault, s.environment);
  let sandbox: Sandbox | null = null;
  let focus: FocusApi;
  let environment: Environment = s.environment;
  let emitter: () => Emitter;
  let key: Profile['key'];
  let baseUrl: string;
  if (token) {
    key = s.environment;
    baseUrl = s.focusUrls[s.environment] ?? FOCUS_URLS[s.environment];
    focus = deps.focusFactory({ baseUrl, token, clock: deps.clock });
    emitter = () => deps.settings().emitter;
  } else {
    if (!deps.startSandbox) {
      throw new Error('demo mode needs the built-in sandbox');
    }
    sandbox = await deps.startSandbox({
      port: 0,
      latencyMs: deps.sandboxLatencyMs,
      dataDir: LAYOUT.sandbox(deps.dataDir),
      clock: deps.clock,
    });
    key = 'demo';
    environment = 'homologacao';
    baseUrl = sandbox.url;
    const sb = sandbox;
    focus = deps.focusFactory({ baseUrl, token: sb.tokens.homologacao, ...(sb.ca ? { ca: sb.ca } : {}), clock: deps.clock });
    emitter = () => sb.emitter;
  }
  const merchant = () => {
    const e = emitter();
    return { name: e.tradeName ?? e.name, city: e.address.city };
  };
  let pix: PixSource;
  if (key === 'demo') {
    pix = demoPixSource({ merchant, now: deps.clock });
  } else {
    // Read once per profile; the settings handler reopens the profile after new credentials.
    const creds = await readPixCredentials(deps.vault);
    pix = configuredPixSource({ settings: () => deps.settings().pix, merchant, credentials: () => creds, now: deps.clock });
  }
  let sales: SalesPort;
  try {
    sales = await deps.salesFactory({
      journalPath: LAYOUT.journal(deps.dataDir, key),
      archiveDir: LAYOUT.archive(deps.dataDir, key),
      focus,
      environment,
      settings: deps.settings,
      emitter,
      vault: deps.vault,
      clock: deps.clock,
      demo: key === 'demo',
      getProduct: deps.getProduct,
      focusBaseUrl: baseUrl,
      ...(sandbox?.ca ? { focusCa: sandbox.ca } : {}),
      csc: sandbox ? sandbox.csc.homologacao : null,
      ...(deps.printSale ? { printSale: deps.printSale } : {}),
      pix,
      onPix: deps.onPix ?? (() => {}),
      log: deps.log ?? (() => {}),
    });
  } catch (e) {
    await pix.close().catch(() => {});
    await focus.close().catch(() => {});
    await sandbox?.close().catch(() => {});
    throw e;
  }
  // Open the TCP/TLS connection now, so the first sale of the day never pays the handshake.
  void focus.warm().catch(() => {});
  // The offline flow owns a link monitor when it is wired; otherwise a light one of our own.
  const own = sales.contingency ? null : new LinkMonitor({ source: (l) => focus.onExchange(l), probe: tcpProbe(endpointOf(baseUrl)) });
  const contingency = sales.contingency;
  return {
    key,
    demo: key === 'demo',
    environment,
    emitter,
    focus,
    sales,
    sandbox,
    pix,
    link: () => (contingency ? contingency.link() : own!.state()),
    onLink: (l) => (contingency ? contingency.onLink(l) : own!.onChange(() => l())),
    async close() {
      own?.close();
      await sales.close().catch(() => {});
      await pix.close().catch(() => {});
      await focus.close().catch(() => {});
      await sandbox?.close().catch(() => {});
    },
  };
}
