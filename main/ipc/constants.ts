// Names shared by the IPC binding (main) and the preload; no 'electron' import here so the
// preload bundle and tests can use them freely.
export const APP_SCHEME = 'app';
export const APP_HOST = 'balcao';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

/** ipcMain.handle channel for a contract channel: 'pos:sales.finalize'. */
export const invokeChannel = (channel: string): string => `pos:${channel}`;
/** The single channel main → renderer events travel on: (eventName, payload). */
export const EVENT_CHANNEL = 'pos:event';

/**
 * CSP for everything the app protocol serves. No 'unsafe-eval', no inline scripts, no remote
 * origins; all network goes through main, so the page needs nothing beyond its own files.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self' blob: data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
