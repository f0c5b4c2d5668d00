// Composition root of the Electron shell: single instance, the app:// protocol with its CSP, one
// sandboxed window, IPC bound to the core, secrets in safeStorage, settings in an atomic file store with a last-good copy.
import { app, BrowserWindow, safeStorage, screen, type WebContents } from 'electron';
import { join } from 'node:path';
import { openFileStore } from './settings/file-store.ts';
import { defaultKeyStore } from './secrets/key-store.ts';
import { createSafeStorageVault } from './secrets/safe-storage-vault.ts';
import { createCore, type Core } from './core/core.ts';
import { realCoreDeps } from './core/wiring.ts';
import { LAYOUT, resolveDataDir, secureDataDir } from './core/layout.ts';
import { handleAppProtocol, registerSchemePrivileges } from './shell/protocol.ts';
import { denyPermissions, hardenContents } from './shell/security.ts';
import { forwardEvents, registerIpc } from './shell/register.ts';
import { createMainWindow } from './shell/window.ts';
import { hiddenPrintContents } from './shell/print-window.ts';
import { createCustomerWindow } from './shell/customer-window.ts';
import { createWebContentsPrintPort } from './printing/transports/os-print.ts';
import { DISABLED_CHROMIUM_FEATURES } from './chromium-features.ts';

export interface AppPaths {
  /** Directory holding index.js and preload.cjs (dist/main). */
  mainDir: string;
  /** Directory of the built renderer (dist/renderer). */
  rendererDir: string;
}

export interface RunningApp {
  core: Core;
  window: BrowserWindow;
}

function defaultPaths(): AppPaths {
  const here = import.meta.dirname;
  return { mainDir: here, rendererDir: join(here, '..', 'renderer') };
}

/** Returns null when another instance already runs (it gets focused instead). */
export async function startApp(
  paths: AppPaths = defaultPaths(),
  argv: readonly string[] = process.argv,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningApp | null> {
  registerSchemePrivileges();
  app.enableSandbox();
  app.commandLine.appendSwitch('disable-features', DISABLED_CHROMIUM_FEATURES.join(','));
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  let win: BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  // Any webContents that ever appears (devtools, a print preview) gets the same defences.
  app.on('web-contents-created', (_event, contents: WebContents) => hardenContents(contents));

  await app.whenReady();
  denyPermissions();
  handleAppProtocol(paths.rendererDir);

  const dataDir = resolveDataDir({ argv, env, fallback: app.getPath('userData') });
  secureDataDir(dataDir);
  // A damaged settings file opens the recovery screen; it is never silently emptied.
  const kv = openFileStore(dataDir, LAYOUT.settingsName, { damaged: 'recover' });
  const weakAccepted = () => (kv.get('settings') as { weakStorageAccepted?: unknown } | undefined)?.weakStorageAccepted === true;
  const keys = defaultKeyStore(dataDir, { legacyPath: LAYOUT.legacyVaultKey(dataDir) });
  const vault = await createSafeStorageVault(LAYOUT.secrets(dataDir), safeStorage, keys, weakAccepted);
  const osPrint = createWebContentsPrintPort(hiddenPrintContents());
  const core = createCore(await realCoreDeps({ dataDir, kv, vault, printer: { osPrint } }));

  win = createMainWindow(join(paths.mainDir, 'preload.cjs'));
  const ours = win.webContents;
  const unregister = registerIpc(core, { isOurContents: (wc) => wc === ours });
  const unforward = forwardEvents(core, () => (win && !win.isDestroyed() ? win.webContents : null));
  void core.start();
  // The customer's screen, when a second monitor is plugged in (the browser host opens #cliente).
  const customer = createCustomerWindow(screen);
  win.on('closed', () => {
    if (customer && !customer.isDestroyed()) customer.close();
  });

  // The hidden print window does not keep the app alive once the cashier closes the main one.
  win.on('closed', () => app.quit());
  app.on('window-all-closed', () => app.quit());
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    // Flush the journal and close Focus connections before the process goes.
    event.preventDefault();
    quitting = true;
    unforward();
    unregister();
    void core.close().finally(() => app.quit());
  });
  return { core, window: win };
}

if (process.versions.electron) {
  startApp().catch((err: unknown) => {
    process.stderr.write(`balcao: failed to start: ${err instanceof Error ? err.name : 'error'}\n`);
    app.exit(1);
  });
}
