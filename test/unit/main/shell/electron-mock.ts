// A typed stand-in for the 'electron' module. It exists only because the Electron binary cannot
// be downloaded or run on these machines: the shell's wiring is exercised against this mock,
// while everything behind the core runs for real.
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

export class WebContentsMock extends EventEmitter {
  static nextId = 1;
  readonly id = WebContentsMock.nextId++;
  destroyed = false;
  loaded: string[] = [];
  sent: unknown[][] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  loadURL(url: string) {
    this.loaded.push(url);
    return Promise.resolve();
  }
  send(channel: string, ...args: unknown[]) {
    this.sent.push([channel, ...args]);
  }
  isDestroyed() {
    return this.destroyed;
  }
  setWindowOpenHandler(h: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = h;
  }
}

export class BrowserWindowMock extends EventEmitter {
  static instances: BrowserWindowMock[] = [];
  readonly options: Record<string, unknown>;
  readonly webContents = new WebContentsMock();
  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    BrowserWindowMock.instances.push(this);
  }
  loadURL(url: string) {
    return this.webContents.loadURL(url);
  }
  show() {}
  showInactive() {}
  close() {
    this.closed = true;
  }
  closed = false;
  focus() {}
  restore() {}
  isMinimized() {
    return false;
  }
  isDestroyed() {
    return false;
  }
  static fromWebContents(wc: WebContentsMock) {
    return BrowserWindowMock.instances.find((w) => w.webContents === wc) ?? null;
  }
}

export const state = {
  lock: true,
  userData: mkdtempSync(join(tmpdir(), 'balcao-electron-userdata-')),
  calls: [] as string[],
  schemes: [] as unknown[],
  protocolHandlers: new Map<string, (req: Request) => Promise<Response>>(),
  permissionRequest: null as null | ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void),
  permissionCheck: null as null | ((...args: unknown[]) => boolean),
  ipcHandlers: new Map<string, Handler>(),
  exposed: new Map<string, unknown>(),
  rendererListeners: new Map<string, Handler>(),
  invoked: [] as unknown[][],
  switches: new Map<string, string>(),
  /** Monitors plugged in (screen module); one by default. */
  displays: [{ id: 1, bounds: { x: 0, y: 0, width: 1366, height: 768 } }] as { id: number; bounds: { x: number; y: number; width: number; height: number } }[],
};

class AppMock extends EventEmitter {
  requestSingleInstanceLock() {
    state.calls.push('requestSingleInstanceLock');
    return state.lock;
  }
  quit() {
    state.calls.push('quit');
  }
  exit() {
    state.calls.push('exit');
  }
  enableSandbox() {
    state.calls.push('enableSandbox');
  }
  commandLine = {
    appendSwitch(name: string, value = '') {
      state.switches.set(name, value);
    },
  };
  whenReady() {
    return Promise.resolve();
  }
  getVersion() {
    return '0.1.0';
  }
  getPath(name: string) {
    if (name !== 'userData') throw new Error(`unexpected getPath(${name})`);
    return state.userData;
  }
}

const app = new AppMock();

const electron = {
  app,
  BrowserWindow: BrowserWindowMock,
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => {
      state.schemes.push(...schemes);
    },
    handle: (scheme: string, h: (req: Request) => Promise<Response>) => {
      state.protocolHandlers.set(scheme, h);
    },
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (h: typeof state.permissionRequest) => {
        state.permissionRequest = h;
      },
      setPermissionCheckHandler: (h: typeof state.permissionCheck) => {
        state.permissionCheck = h;
      },
    },
  },
  ipcMain: {
    handle: (channel: string, h: Handler) => {
      state.ipcHandlers.set(channel, h);
    },
    removeHandler: (channel: string) => {
      state.ipcHandlers.delete(channel);
    },
    on: () => {},
  },
  safeStorage: {
    isAsyncEncryptionAvailable: async () => true,
    getSelectedStorageBackend: () => 'basic_text',
    encryptStringAsync: async (s: string) => Buffer.from(s),
    decryptStringAsync: async (b: Buffer) => ({ result: b.toString(), shouldReEncrypt: false }),
  },
  screen: {
    getAllDisplays: () => state.displays,
    getPrimaryDisplay: () => state.displays[0]!,
  },
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => {
      state.exposed.set(key, api);
    },
  },
  ipcRenderer: {
    invoke: (channel: string, input: unknown) => {
      state.invoked.push([channel, input]);
      return Promise.resolve({ ok: true, value: null });
    },
    on: (channel: string, h: Handler) => {
      state.rendererListeners.set(channel, h);
    },
  },
};

export default electron;
export const { BrowserWindow, protocol, session, ipcMain, safeStorage, contextBridge, ipcRenderer, screen } = electron;
export { app };
