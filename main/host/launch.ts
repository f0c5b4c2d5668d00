// Starts the browser host: the core in plain Node plus the loopback HTTP/WebSocket server.
// Used by `npm run host`, `npm start` (when there is no Electron binary) and the e2e tests.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Environment, Product } from '../../shared/sale.ts';
import { createCore, type Core } from '../core/core.ts';
import { LAYOUT, secureDataDir } from '../core/layout.ts';
import { realCoreDeps } from '../core/wiring.ts';
import type { EngineSalesOptions } from '../core/adapters/sales.ts';
import type { Sandbox } from '../sandbox/types.ts';
import type { StoreTiming } from '../store/sync.ts';
import { openFileStore } from '../settings/file-store.ts';
import { portTaken, rememberedPort, rememberPort } from './port-memory.ts';
import { FileVault } from '../secrets/file-vault.ts';
import { defaultKeyStore } from '../secrets/key-store.ts';
import { hashPin, type PinCost } from '../auth/pin-hash.ts';
import type { Role } from '../../shared/contract.ts';
import type { Emitter } from '../../shared/sale.ts';
import { SECRET_NAMES, utf8 } from '../secrets/vault.ts';
import { SettingsService } from '../settings/settings.ts';
import { startHostServer } from './server.ts';

export interface StartHostOptions {
  dataDir: string;
  /** 0 (default): a free port. */
  port?: number;
  /**
   * Listen on the port of the last start (when none is given), and remember it: the page's origin,
   * and with it the sales its localStorage still holds, stays the same across restarts.
   */
  stablePort?: boolean;
  /** 'builtin' (default): demo mode (no token) runs the in-process sandbox. */
  sandbox?: 'builtin' | 'none';
  /** Latency the demo sandbox simulates; default [150, 400] ms. Tests pass 0. */
  sandboxLatencyMs?: number | [number, number];
  /**
   * Tests and benches: preset the profile instead of going through the first-run setup. 'demo' opens
   * the demo shop; with `token` the terminal is a configured real shop.
   */
  mode?: 'demo';
  /** A Focus token to store for `environment` before start: a configured real shop (tests, benches). */
  token?: string;
  /** With `token`: the shop's emitter. */
  emitter?: Emitter;
  /** With `token`: operators to store as they are (tests; the setup flow enforces the PIN rule). */
  operators?: readonly { id?: string; name: string; role: Role; pin: string }[];
  /** With `token`: the Focus host to use instead of the official one (e.g. a sandbox the test runs). */
  focusUrl?: string;
  /** Environment to select when `token` is given. Default 'homologacao'. */
  environment?: Environment;
  clock?: () => number;
  /** Fixed secret (default: 32 random bytes, hex). */
  secret?: string;
  /** Built renderer; default <repo>/dist/renderer. */
  rendererDir?: string;
  engine?: EngineSalesOptions['engine'];
  log?: (line: string) => void;
  /** Products for an empty catalog instead of the demo shop's (bench:ui seeds 100,000). */
  catalogSeed?: () => readonly Product[];
  /** Shorter store long-poll, push idle and credit lease times, smaller leases (tests, benches). */
  storeTiming?: StoreTiming;
  /** scrypt cost of the PINs hashed here: PIN_COST unless said; only tests pass a cheaper one. */
  pinCost?: PinCost;
}

export interface RunningHost {
  /**
   * http://127.0.0.1:PORT/?c=CODE — a fresh one-time launch code at each read: opening it sets the
   * session cookie and redirects to a clean URL. The secret itself is never in a URL.
   */
  readonly url: string;
  /** A launch URL valid for `ttlMs` (npm start prints one when no browser can be opened). */
  launchUrl(ttlMs?: number): string;
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  secret: string;
  core: Core;
  /** The in-process sandbox in demo mode (fault controls, notes), else null. */
  sandbox(): Sandbox | null;
  close(): Promise<void>;
}

export const DEFAULT_RENDERER_DIR = join(import.meta.dirname, '..', '..', 'dist', 'renderer');

export async function startHost(opts: StartHostOptions): Promise<RunningHost> {
  secureDataDir(opts.dataDir);
  // A damaged settings file opens the recovery screen; it is never silently emptied.
  const kv = openFileStore(opts.dataDir, LAYOUT.settingsName, { damaged: 'recover' });
  const vault = new FileVault(LAYOUT.secrets(opts.dataDir), defaultKeyStore(opts.dataDir, { legacyPath: LAYOUT.legacyVaultKey(opts.dataDir) }));
  if (opts.mode === 'demo') {
    const settings = new SettingsService(kv);
    if (settings.get().mode === 'unset') settings.update({ mode: 'demo', setupComplete: true });
  }
  if (opts.token) {
    const environment = opts.environment ?? 'homologacao';
    await vault.set(SECRET_NAMES.token(environment), utf8.encode(opts.token));
    const settings = new SettingsService(kv);
    const current = settings.get();
    settings.update({
      mode: 'real',
      setupComplete: true,
      environment,
      ...(opts.emitter ? { emitter: opts.emitter } : {}),
      focusUrls: { ...current.focusUrls, ...(opts.focusUrl ? { [environment]: opts.focusUrl } : {}) },
    });
    if (opts.operators && kv.get('operators') === undefined) {
      const ops = [];
      for (const o of opts.operators) {
        ops.push({
          id: o.id ?? o.name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
          name: o.name,
          role: o.role,
          pinHash: await hashPin(o.pin, opts.pinCost),
          active: true,
        });
      }
      kv.set('operators', ops);
    }
  }
  const core = createCore({
    ...(await realCoreDeps({
      dataDir: opts.dataDir,
      kv,
      vault,
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.sandbox ? { sandbox: opts.sandbox } : {}),
      ...(opts.sandboxLatencyMs !== undefined ? { sandboxLatencyMs: opts.sandboxLatencyMs } : {}),
      ...(opts.engine ? { engine: opts.engine } : {}),
      ...(opts.log ? { log: opts.log } : {}),
      ...(opts.pinCost ? { pinCost: opts.pinCost } : {}),
    })),
    ...(opts.catalogSeed ? { catalogSeed: opts.catalogSeed } : {}),
    ...(opts.storeTiming ? { storeTiming: opts.storeTiming } : {}),
  });
  try {
    await core.start();
  } catch (e) {
    await core.close();
    throw e;
  }
  const secret = opts.secret ?? randomBytes(32).toString('hex');
  const listen = (port: number) =>
    startHostServer({
      core,
      rendererDir: opts.rendererDir ?? DEFAULT_RENDERER_DIR,
      secret,
      port,
      ...(opts.log ? { log: opts.log } : {}),
    });
  const wanted = opts.port ?? (opts.stablePort ? rememberedPort(opts.dataDir) : 0);
  let server: Awaited<ReturnType<typeof listen>>;
  try {
    // Another program may hold the remembered port now: a free one then, remembered from here on.
    server = await listen(wanted).catch((e: unknown) => {
      if (opts.port === undefined && wanted !== 0 && portTaken(e)) return listen(0);
      throw e;
    });
  } catch (e) {
    await core.close();
    throw e;
  }
  if (opts.stablePort && opts.port === undefined && server.port !== wanted) rememberPort(opts.dataDir, server.port);
  const origin = `http://127.0.0.1:${server.port}`;
  const launchUrl = (ttlMs?: number) => `${origin}/?c=${server.launchCode(ttlMs)}`;
  return {
    get url() {
      return launchUrl();
    },
    launchUrl,
    origin,
    port: server.port,
    secret,
    core,
    sandbox: () => core.info().sandbox,
    async close() {
      await server.close();
      await core.close();
    },
  };
}
