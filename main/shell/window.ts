// The one window: sandboxed, isolated, no Node, web security on, our preload only.
import { BrowserWindow } from 'electron';
import { APP_URL } from './constants.ts';
import { hardenContents } from './security.ts';

export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInSubFrames: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
  devTools: false,
} as const;

export function createMainWindow(preloadPath: string, opts: { devTools?: boolean } = {}): BrowserWindow {
  const win = new BrowserWindow({
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 600,
    show: false,
    title: 'Balcão',
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences: { ...WEB_PREFERENCES, devTools: opts.devTools ?? false, preload: preloadPath },
  });
  hardenContents(win.webContents);
  win.once('ready-to-show', () => win.show());
  // A crashed renderer is reloaded; the sale in progress is safe in main (journal, queue).
  win.webContents.on('render-process-gone', () => {
    if (!win.isDestroyed()) void win.loadURL(APP_URL);
  });
  void win.loadURL(APP_URL);
  return win;
}
