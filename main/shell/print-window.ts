// A hidden, script-less window whose webContents prints receipt HTML through the OS driver
// (Electron silent print). Created on first use and reused: the print queue runs one job at a time.
import { BrowserWindow, type WebContents } from 'electron';
import { WEB_PREFERENCES } from './window.ts';

export function hiddenPrintContents(): () => WebContents {
  let win: BrowserWindow | null = null;
  return () => {
    if (!win || win.isDestroyed()) {
      win = new BrowserWindow({
        show: false,
        webPreferences: { ...WEB_PREFERENCES, javascript: false },
      });
    }
    return win.webContents;
  };
}
