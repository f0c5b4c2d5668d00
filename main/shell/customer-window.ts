// The customer display in the installed app: a second window, full screen on the second monitor
// when there is one. It loads the same renderer at #cliente, which only listens to the till's
// window (BroadcastChannel, same origin): no preload, no window.pos, nothing the customer can call.
import { BrowserWindow } from 'electron';
import { APP_URL } from './constants.ts';
import { hardenContents } from './security.ts';
import { WEB_PREFERENCES } from './window.ts';

export const CUSTOMER_URL = `${APP_URL}#cliente`;

export interface DisplayInfo {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
}

export interface ScreenPort {
  getAllDisplays(): DisplayInfo[];
  getPrimaryDisplay(): DisplayInfo;
}

/** The display the customer faces: any display that is not the cashier's (primary) one. */
export function customerDisplayOf(screen: ScreenPort): DisplayInfo | null {
  const primary = screen.getPrimaryDisplay();
  return screen.getAllDisplays().find((d) => d.id !== primary.id) ?? null;
}

/** Opens the customer window on the second screen; null when there is only one screen. */
export function createCustomerWindow(screen: ScreenPort): BrowserWindow | null {
  const display = customerDisplayOf(screen);
  if (!display) return null;
  const { x, y, width, height } = display.bounds;
  const win = new BrowserWindow({
    x,
    y,
    width,
    height,
    fullscreen: true,
    frame: false,
    focusable: false,
    show: false,
    title: 'Balcão — cliente',
    backgroundColor: '#f6f7f9',
    webPreferences: { ...WEB_PREFERENCES },
  });
  hardenContents(win.webContents);
  // The cashier's keys must never land on the customer's window.
  win.once('ready-to-show', () => win.showInactive());
  win.webContents.on('render-process-gone', () => {
    if (!win.isDestroyed()) void win.loadURL(CUSTOMER_URL);
  });
  void win.loadURL(CUSTOMER_URL);
  return win;
}
