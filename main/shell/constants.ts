// Names shared by the IPC binding (main) and the preload; no 'electron' import here so the
// preload bundle and tests can use them freely.
import { rendererCsp } from '../csp.ts';

export const APP_SCHEME = 'app';
export const APP_HOST = 'balcao';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

/** ipcMain.handle channel for a contract channel: 'pos:sales.finalize'. */
export const invokeChannel = (channel: string): string => `pos:${channel}`;
/** The single channel main → renderer events travel on: (eventName, payload). */
export const EVENT_CHANNEL = 'pos:event';

/** CSP for everything the app protocol serves: the page talks to main only through IPC. */
export const APP_CSP = rendererCsp();
