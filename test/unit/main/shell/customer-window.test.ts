// The customer display window of the installed app, against the electron mock (the binary cannot
// run here): only with a second screen, placed on it, sandboxed with no preload, at #cliente.
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./electron-mock.ts'));
const mock = await import('./electron-mock.ts');
const { createCustomerWindow, CUSTOMER_URL } = await import('../../../../main/shell/customer-window.ts');

const one = [{ id: 1, bounds: { x: 0, y: 0, width: 1366, height: 768 } }];
const two = [...one, { id: 7, bounds: { x: 1366, y: 0, width: 1024, height: 600 } }];
const screenOf = (displays: typeof two) => ({ getAllDisplays: () => displays, getPrimaryDisplay: () => displays[0]! });

describe('customer display window', () => {
  it('is not opened with a single screen', () => {
    const before = mock.BrowserWindowMock.instances.length;
    expect(createCustomerWindow(screenOf(one))).toBeNull();
    expect(mock.BrowserWindowMock.instances.length).toBe(before);
  });

  it('opens full screen on the second screen, sandboxed, without the preload, at #cliente', () => {
    const win = createCustomerWindow(screenOf(two)) as unknown as InstanceType<typeof mock.BrowserWindowMock>;
    expect(win).not.toBeNull();
    expect(win.options).toMatchObject({ x: 1366, y: 0, width: 1024, height: 600, fullscreen: true, focusable: false });
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(prefs.preload).toBeUndefined();
    expect(win.webContents.loaded).toEqual([CUSTOMER_URL]);
    expect(CUSTOMER_URL).toMatch(/^app:\/\/balcao\/index\.html#cliente$/);
    // Hardened like the main window: it opens no other window.
    expect(win.webContents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });
});
