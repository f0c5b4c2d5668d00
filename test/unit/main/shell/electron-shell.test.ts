// The Electron shell (main/index.ts, main/shell/*, main/preload.ts) against a typed 'electron' MOCK:
// the Electron binary cannot run here. The core behind it is the real one (demo mode, sandbox).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANNELS } from '../../../../shared/contract.ts';

vi.mock('electron', () => import('./electron-mock.ts'));

const mock = await import('./electron-mock.ts');
const { startApp } = await import('../../../../main/index.ts');
const { isAppUrl } = await import('../../../../main/shell/trusted-url.ts');
const { APP_CSP } = await import('../../../../main/shell/constants.ts');

let root: string;
let running: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'balcao-shell-'));
  const rendererDir = join(root, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Balcão</title>');
  writeFileSync(join(root, 'secret.txt'), 'do not serve');
  // A terminal whose first-run setup chose the demo shop.
  mkdirSync(join(root, 'data'));
  writeFileSync(join(root, 'data', 'settings.json'), JSON.stringify({ settings: { mode: 'demo', setupComplete: true } }));
  running = await startApp({ mainDir: join(root, 'main'), rendererDir }, ['electron', '.'], { BALCAO_DATA_DIR: join(root, 'data') });
  await running!.core.start();
});

afterAll(async () => {
  await running?.core.close();
  rmSync(root, { recursive: true, force: true });
  rmSync(mock.state.userData, { recursive: true, force: true });
});

type Invoke = (event: unknown, input: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
const ipc = (channel: string) => mock.state.ipcHandlers.get(`pos:${channel}`) as Invoke;

function eventFrom(contents: unknown, url: string, opts: { subframe?: boolean; noFrame?: boolean } = {}) {
  const top = { url, parent: null };
  return { sender: contents, senderFrame: opts.noFrame ? null : opts.subframe ? { url, parent: top } : top };
}

describe('app start', () => {
  it('enables the sandbox, takes the single-instance lock and registers app:// as privileged', () => {
    expect(mock.state.calls).toContain('enableSandbox');
    expect(mock.state.calls).toContain('requestSingleInstanceLock');
    expect(mock.state.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it("lets a scan's answer render in the same frame (no task deferral after input)", () => {
    expect(mock.state.switches.get('disable-features')?.split(',')).toContain('DeferRendererTasksAfterInput');
  });

  it('creates one locked-down window loading our protocol', () => {
    expect(mock.BrowserWindowMock.instances).toHaveLength(1);
    const win = mock.BrowserWindowMock.instances[0]!;
    expect(win.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
      preload: join(root, 'main', 'preload.cjs'),
    });
    expect(win.webContents.loaded).toEqual(['app://balcao/index.html']);
  });

  it('keeps its data where BALCAO_DATA_DIR says (the demo profile chosen there), owner-only', () => {
    expect(running!.core.info().demo).toBe(true);
    expect(statSync(join(root, 'data')).mode & 0o777).toBe(0o700);
  });

  it('quits when another instance holds the lock', async () => {
    mock.state.lock = false;
    const before = mock.BrowserWindowMock.instances.length;
    expect(await startApp({ mainDir: root, rendererDir: root }, [], {})).toBeNull();
    expect(mock.state.calls.at(-1)).toBe('quit');
    expect(mock.BrowserWindowMock.instances.length).toBe(before);
    mock.state.lock = true;
  });
});

describe('navigation, windows and permissions', () => {
  const wc = () => mock.BrowserWindowMock.instances[0]!.webContents;

  it('refuses navigation away from the app and every new window', () => {
    for (const [url, blocked] of [
      ['https://evil.example/', true],
      ['file:///etc/passwd', true],
      ['app://balcao.evil/', true],
      ['app://balcao/index.html#/vendas', false],
    ] as const) {
      const preventDefault = vi.fn();
      wc().emit('will-navigate', { preventDefault }, url);
      expect(preventDefault).toHaveBeenCalledTimes(blocked ? 1 : 0);
    }
    const redirect = vi.fn();
    wc().emit('will-redirect', { preventDefault: redirect }, 'https://evil.example/');
    expect(redirect).toHaveBeenCalled();
    expect(wc().windowOpenHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    const webview = vi.fn();
    wc().emit('will-attach-webview', { preventDefault: webview });
    expect(webview).toHaveBeenCalled();
  });

  it('denies every permission request and check', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'serial']) {
      const cb = vi.fn();
      mock.state.permissionRequest!(wc(), permission, cb);
      expect(cb).toHaveBeenCalledWith(false);
      expect(mock.state.permissionCheck!(wc(), permission)).toBe(false);
    }
  });

  it('tables the trusted-URL check against look-alikes', () => {
    expect(isAppUrl('app://balcao/index.html')).toBe(true);
    for (const bad of ['app://balcao:80/', 'app://user@balcao/', 'app://balcao.evil/', 'http://balcao/', 'app://other/', 'javascript:alert(1)', '', null]) {
      expect(isAppUrl(bad)).toBe(false);
    }
  });
});

describe('app:// protocol', () => {
  const serve = (url: string, init?: RequestInit) => mock.state.protocolHandlers.get('app')!(new Request(url, init));

  it('serves the UI with the CSP header', async () => {
    const r = await serve('app://balcao/index.html');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(APP_CSP).not.toContain('unsafe-eval');
    expect(APP_CSP).toContain("script-src 'self'");
    expect(await r.text()).toContain('Balcão');
    // Unknown routes fall back to the single-page app.
    expect((await serve('app://balcao/vendas/hoje')).status).toBe(200);
  });

  it('refuses other hosts, other methods and path traversal', async () => {
    expect((await serve('app://other/index.html')).status).toBe(404);
    expect((await serve('app://balcao/index.html', { method: 'POST', body: 'x' })).status).toBe(405);
    for (const p of ['app://balcao/../secret.txt', 'app://balcao/%2e%2e/secret.txt', 'app://balcao/..%2fsecret.txt']) {
      const r = await serve(p);
      expect(await r.text()).not.toContain('do not serve');
    }
  });
});

describe('IPC', () => {
  const ours = () => mock.BrowserWindowMock.instances[0]!.webContents;

  it('binds every contract channel', async () => {
    const { CHANNELS } = await import('../../../../shared/contract.ts');
    expect([...mock.state.ipcHandlers.keys()].sort()).toEqual(
      Object.keys(CHANNELS)
        .map((c) => `pos:${c}`)
        .sort(),
    );
  });

  it('answers our window', async () => {
    const r = await ipc('auth.operators')(eventFrom(ours(), 'app://balcao/index.html'), {});
    expect(r.ok).toBe(true);
  });

  it('refuses a foreign sender: other origin, other webContents, sub-frame, no frame', async () => {
    const foreign = new mock.WebContentsMock();
    for (const event of [
      eventFrom(ours(), 'https://evil.example/'),
      eventFrom(ours(), 'file:///tmp/x.html'),
      eventFrom(foreign, 'app://balcao/index.html'),
      eventFrom(ours(), 'app://balcao/index.html', { subframe: true }),
      eventFrom(ours(), 'app://balcao/index.html', { noFrame: true }),
    ]) {
      const r = await ipc('auth.login')(event, { operatorId: 'gerente', pin: '9999' });
      expect(r).toEqual({ ok: false, error: { code: 'forbidden', message: 'Pedido recusado: não veio da janela do Balcão.' } });
    }
    expect(running!.core.operator()).toBeNull();
  });

  it('refuses an invalid payload with a Portuguese error', async () => {
    const r = await ipc('auth.login')(eventFrom(ours(), 'app://balcao/index.html'), { operatorId: 'gerente', pin: 'abc' });
    expect(r.ok).toBe(false);
    expect(r.error!.code).toBe('invalid_input');
    expect(r.error!.message).toMatch(/PIN deve ter de 4 a 8 dígitos/);
  });

  it('forwards core events to our window only', async () => {
    ours().sent.length = 0;
    await ipc('auth.login')(eventFrom(ours(), 'app://balcao/index.html'), { operatorId: 'caixa-1', pin: '1234' });
    const sent = ours().sent.find((m) => m[0] === 'pos:event' && m[1] === 'status.changed');
    expect(sent?.[2]).toMatchObject({ operator: { id: 'caixa-1' } });
  });
});

describe('preload', () => {
  it('exposes only window.pos, built from the contract, over named IPC channels', async () => {
    await import('../../../../main/preload.ts');
    expect([...mock.state.exposed.keys()]).toEqual(['pos']);
    const pos = mock.state.exposed.get('pos') as Record<string, Record<string, (i: unknown) => Promise<unknown>>> & {
      on: (e: string, l: (p: unknown) => void) => () => void;
    };
    // Exactly the contract's namespaces (plus on()), nothing else.
    expect(Object.keys(pos).sort()).toEqual([...new Set(Object.keys(CHANNELS).map((c) => c.split('.')[0]!)), 'on'].sort());
    await pos.sales!.finalize!({ clientId: 'x' });
    expect(mock.state.invoked.at(-1)).toEqual(['pos:sales.finalize', { clientId: 'x' }]);
    const got: unknown[] = [];
    const off = pos.on('status.changed', (p) => got.push(p));
    const deliver = mock.state.rendererListeners.get('pos:event')!;
    deliver({ sender: 'ignored' }, 'status.changed', { demo: true });
    deliver({}, 'print.changed', { saleId: 1 });
    off();
    deliver({}, 'status.changed', { demo: false });
    expect(got).toEqual([{ demo: true }]);
    // Unknown event names are not subscribable.
    expect(typeof pos.on('fs.read', () => {})).toBe('function');
  });
});
