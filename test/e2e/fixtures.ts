// End-to-end fixture: the real browser host (core + journal + built-in Focus sandbox) on a fresh
// temp data dir per test file, and helpers that drive the UI the way a cashier does.
import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHost, type RunningHost, type StartHostOptions } from '../../main/host/launch.ts';
import { demoCatalog } from '../../main/demo/catalog.ts';
import type { Emitter, Product } from '../../shared/sale.ts';
import { startFakePrinter, type FakePrinter } from '../fixtures/fake-printer.ts';
import { keyDir, vaultIdFor } from '../../main/secrets/key-store.ts';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.ts';
import { DEMO_MARKS, firstDay, focusOverHttp, openShop, pointShopAt, shopCatalog, SHOP, type FocusControl, type Person } from './shop.ts';
import { setUpOnScreens } from './golive-flow.ts';
import { RUN_DIR_ENV } from './run-dir.ts';
import { onceInRunDir } from '../fixtures/run-once.ts';
import { useTestVaultKeys } from './test-keys.ts';
import { TEST_PIN_COST } from '../fixtures/pin-cost.ts';

// The till and its browser share one machine and one time zone; the host would otherwise run in
// the container's UTC while the page runs in America/Sao_Paulo (playwright.config.ts).
process.env.TZ = 'America/Sao_Paulo';
useTestVaultKeys();
// Node's default, which Playwright's worker raises to 200 for its source-mapped traces (it raises
// the limit itself where it reads a call's location). Every error this worker makes — one per CDP
// command Playwright sends, one per evaluate's race, the hosts' own — would otherwise capture and
// source-map that many frames.
Error.stackTraceLimit = 10;

export { expect };

/**
 * The shop as its manager left it after "Configuração inicial" on the screens and the first day:
 * a data dir (with its vault key) and the Focus account's state (its token), both to be copied.
 */
export interface ShopTemplate {
  readonly dataDir: string;
  readonly sandboxDir: string;
}

/** A data dir's file vault key (BALCAO_KEYRING=off here), named after the dir's path. */
const vaultKeyFile = (dataDir: string) => join(keyDir(), `${vaultIdFor(dataDir)}.key`);

/** The template's data dir and Focus account in `dir` (created empty). */
async function buildShopTemplate(browser: Browser, dir: string): Promise<ShopTemplate> {
  const sandboxDir = join(dir, 'focus');
  const dataDir = join(dir, 'shop');
  for (const d of [sandboxDir, dataDir]) mkdirSync(d, { recursive: true });
  const [sb, printer] = await Promise.all([startSandboxProcess({ dataDir: sandboxDir }), startFakePrinter()]);
  let host: RunningHost | null = null;
  const context = await browser.newContext({ locale: 'pt-BR', timezoneId: 'America/Sao_Paulo', viewport: { width: 1366, height: 768 } });
  try {
    const info = (await (await fetch(`${sb.url}/__sandbox/info`)).json()) as { emitter: Emitter; csc: { homologacao: { id: string; csc: string } } };
    host = await startHost({ dataDir, sandbox: 'none', log: () => {}, pinCost: TEST_PIN_COST });
    const page = await context.newPage();
    await setUpOnScreens(page, host, sb, {
      emitter: info.emitter,
      name: SHOP.name,
      tradeName: SHOP.tradeName,
      csc: info.csc.homologacao,
      printer,
      terminalId: 'CX01',
      manager: SHOP.manager,
    });
    await firstDay(host.core);
  } finally {
    await context.close();
    await host?.close();
    await Promise.all([sb.stop(), printer.close()]);
  }
  return { dataDir, sandboxDir };
}

export const test = base.extend<object, { shopTemplate: ShopTemplate }>({
  // Built once per run (global-setup.ts's run dir): the first worker that runs a real-profile spec
  // builds it, the other waits for it; the run's teardown removes it. Without that dir (a config
  // without the global setup), once per worker in a dir of its own.
  shopTemplate: [
    async ({ browser }, use) => {
      const runDir = process.env[RUN_DIR_ENV];
      if (runDir) {
        await use(await onceInRunDir(runDir, 'shop-template', () => buildShopTemplate(browser, join(runDir, 'shop-template'))));
        return;
      }
      const dir = mkdtempSync(join(tmpdir(), 'balcao-e2e-template-'));
      const t = await buildShopTemplate(browser, dir);
      await use(t);
      rmSync(dir, { recursive: true, force: true });
      rmSync(vaultKeyFile(t.dataDir), { force: true });
    },
    // About 25 s on a quiet machine, a minute at load 30 (the waiting worker waits as long).
    { scope: 'worker', timeout: 180_000 },
  ],
});

export const SCREENS_DIR = join(import.meta.dirname, '..', 'artifacts', 'screens');

export interface HostHandle {
  readonly host: RunningHost;
  readonly dataDir: string;
  /**
   * Close the host and start it again on the same data dir (and the same port: same origin);
   * `whileClosed` runs in between (damage a file, as a crash or a bad copy would).
   */
  restart(whileClosed?: () => void): Promise<RunningHost>;
}

/** Register beforeAll/afterAll in the calling spec file: one host per file. */
export function useHost(extra: Partial<StartHostOptions> = {}, { openRegister = true }: { openRegister?: boolean } = {}): HostHandle {
  let host: RunningHost | null = null;
  let dataDir = '';
  const options = (port: number): StartHostOptions => ({
    dataDir,
    port,
    sandbox: 'builtin',
    sandboxLatencyMs: 0,
    log: () => {},
    pinCost: TEST_PIN_COST,
    ...(extra.token ? {} : { mode: 'demo' as const }),
    ...extra,
  });
  base.beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'balcao-e2e-'));
    host = await startHost(options(0));
    if (openRegister) await openRegisterSession(host);
  });
  base.afterAll(async () => {
    await host?.close();
    host = null;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    get host() {
      if (!host) throw new Error('host not started');
      return host;
    },
    get dataDir() {
      return dataDir;
    },
    async restart(whileClosed) {
      if (!host) throw new Error('host not started');
      const { port, secret } = host;
      await host.close();
      whileClosed?.();
      host = await startHost({ ...options(port), secret });
      return host;
    },
  };
}

/**
 * Selling needs an open register session: specs about something else start with one opened (by the
 * manager, through the core's channels), then nobody logged in, as a fresh till.
 */
export async function openRegisterSession(host: RunningHost): Promise<void> {
  const login = await host.core.handle('auth.login', { operatorId: 'gerente', pin: '9999' });
  if (!login.ok) throw new Error(login.error.message);
  const opened = await host.core.handle('register.open', { amountText: '100,00' });
  if (!opened.ok) throw new Error(opened.error.message);
  await host.core.handle('auth.logout', {});
}

const catalog = demoCatalog();
/** Demo products with a GTIN, sold by the unit. */
export const unitProducts: Product[] = catalog.filter((p) => p.gtin !== null && !p.weighed);
/** Demo products sold by weight (their code is the scale PLU). */
export const weighedProducts: Product[] = catalog.filter((p) => p.weighed);

export function gtinOf(p: Product): string {
  if (!p.gtin) throw new Error(`${p.id} has no GTIN`);
  return p.gtin;
}

/** EAN-13 scale label: 2 + PLU(5) + value(6) + check digit. */
export function scaleLabel(plu: number, value: number): string {
  const body = `2${String(plu).padStart(5, '0')}${String(value).padStart(6, '0')}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  return body + String((10 - (sum % 10)) % 10);
}

export async function open(page: Page, host: RunningHost): Promise<void> {
  await page.goto(host.url);
  await expect(page.getByTestId('app')).toBeVisible();
}

/** The core keeps one session per terminal: whoever is logged in is logged out first. */
export async function login(page: Page, name: string, pin: string): Promise<void> {
  await expect(page.getByTestId('login-screen').or(page.getByTestId('logout'))).toBeVisible();
  if (await page.getByTestId('logout').isVisible()) await page.getByTestId('logout').click();
  await page.locator(`[data-testid="operator-option"][data-operator="${name}"]`).click();
  await page.getByTestId('pin-input').fill(pin);
  await page.getByTestId('pin-input').press('Enter');
  await expect(page.getByTestId('checkout-screen')).toBeVisible();
}

export const CASHIER = { name: 'Caixa 1', pin: '1234' };
export { SHOP };
export const MANAGER = { name: 'Gerente', pin: '9999' };

/** What a keyboard-wedge scanner does: fast keystrokes then Enter, into whatever has focus. */
export async function scan(page: Page, code: string): Promise<void> {
  await page.keyboard.type(code, { delay: 0 });
  await page.keyboard.press('Enter');
}

export async function expectLines(page: Page, n: number): Promise<void> {
  await expect(page.getByTestId('item-count')).toHaveText(String(n));
}

export async function totalCents(page: Page): Promise<number> {
  return Number(await page.getByTestId('sale-total').getAttribute('data-cents'));
}

/**
 * A picture of the screen for people to look at (test/artifacts/screens/), when BALCAO_SCREENS=1:
 * nothing asserts on them, and the suite's ~50 full-page PNGs cost ~10 s of CPU on every run.
 */
export async function shot(page: Page, name: string): Promise<void> {
  if (process.env.BALCAO_SCREENS !== '1') return;
  mkdirSync(SCREENS_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENS_DIR, `${name}.png`) });
}

/** Pay the whole remaining amount in cash and finalize; waits for the free till. */
export async function payCashExact(page: Page): Promise<void> {
  // A scan is answered asynchronously: F10 on a cart still empty would open nothing.
  await expect(page.getByTestId('item-count')).not.toHaveText('0');
  await page.keyboard.press('F10');
  await expect(page.getByTestId('payment-screen')).toBeVisible();
  await page.keyboard.press('F2');
  await expect(page.getByTestId('pay-remaining')).toHaveAttribute('data-cents', '0');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('checkout-screen')).toBeVisible();
}

/** How many sales the host's journal holds: the core's own list, never what the screen shows. */
export async function salesCount(host: RunningHost): Promise<number> {
  const r = await host.core.handle('sales.list', { limit: 500 });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.length;
}

/** Wait until the last sale's card shows a final state. */
export async function lastSaleState(page: Page, state: string): Promise<void> {
  await expect(page.getByTestId('sale-result')).toHaveAttribute('data-state', state, { timeout: 15_000 });
}

export interface ProfileHandle extends HostHandle {
  readonly kind: 'demo' | 'real';
  readonly cashier: Person;
  readonly manager: Person;
  readonly managerId: string;
  /** The profile's catalog: products with a GTIN sold by the unit, and weighed ones (code = PLU). */
  readonly unitProducts: Product[];
  readonly weighedProducts: Product[];
  /** The Focus this profile talks to: the demo's in-process sandbox, or the shop's sandbox process. */
  readonly focus: FocusControl;
  /** The shop's network receipt printer on loopback (real profile); null in demo (no printer). */
  readonly printer: FakePrinter | null;
}

function focusInProcess(host: () => RunningHost): FocusControl {
  const sb = () => {
    const s = host().sandbox();
    if (!s) throw new Error('the demo host runs the built-in sandbox');
    return s;
  };
  return {
    get cnpj() {
      return sb().cnpj;
    },
    set: async (f) => sb().controls.set(f),
    reset: async () => sb().controls.reset(),
    heal: () => sb().controls.heal(),
    notes: async () => sb().notes(),
    emails: async () => sb().emails(),
  };
}

/**
 * One profile per spec file (beforeAll/afterAll). 'real' (the default for journeys): a copy of the
 * shop set up on the setup screens (`shopTemplate`) against the Focus sandbox running as its own
 * process, with its own token, emitter, catalog, operators and printer; the copy's settings point at
 * this spec's sandbox and printer before its host starts (once), then the manager opens the
 * register. 'demo': the demo profile as `useHost` starts it.
 */
export function useProfile(
  kind: 'demo' | 'real' = 'real',
  extra: Partial<StartHostOptions> = {},
  { openRegister = true }: { openRegister?: boolean } = {},
): ProfileHandle {
  if (kind === 'demo') {
    const h = useHost(extra, { openRegister });
    return {
      kind,
      get host() {
        return h.host;
      },
      get dataDir() {
        return h.dataDir;
      },
      restart: (whileClosed) => h.restart(whileClosed),
      cashier: CASHIER,
      manager: MANAGER,
      managerId: 'gerente',
      unitProducts,
      weighedProducts,
      focus: focusInProcess(() => h.host),
      printer: null,
    };
  }
  let host: RunningHost | null = null;
  let sb: SandboxProcess | null = null;
  let focus: FocusControl | null = null;
  let printer: FakePrinter | null = null;
  let managerId = '';
  let dataDir = '';
  let sandboxDir = '';
  const options = (port: number): StartHostOptions => ({ dataDir, port, sandbox: 'none', log: () => {}, pinCost: TEST_PIN_COST, ...extra });
  const catalog = shopCatalog();
  test.beforeAll(async ({ shopTemplate }) => {
    // This spec's own copy of the shop and of its Focus account, at this spec's addresses.
    sandboxDir = mkdtempSync(join(tmpdir(), 'balcao-e2e-focus-'));
    cpSync(shopTemplate.sandboxDir, sandboxDir, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'balcao-e2e-shop-'));
    cpSync(shopTemplate.dataDir, dataDir, { recursive: true });
    copyFileSync(vaultKeyFile(shopTemplate.dataDir), vaultKeyFile(dataDir));
    [sb, printer] = await Promise.all([startSandboxProcess({ dataDir: sandboxDir }), startFakePrinter()]);
    focus = focusOverHttp(sb);
    pointShopAt(dataDir, sb.url, printer);
    host = await startHost(options(0));
    managerId = await openShop(host.core, { openRegister });
  });
  test.afterAll(async () => {
    await host?.close();
    await Promise.all([sb?.stop(), printer?.close()]);
    host = null;
    for (const d of [dataDir, sandboxDir]) if (d) rmSync(d, { recursive: true, force: true });
    if (dataDir) rmSync(vaultKeyFile(dataDir), { force: true });
  });
  const need = <T>(v: T | null, what: string): T => {
    if (v === null) throw new Error(`${what} not started`);
    return v;
  };
  return {
    kind,
    get host() {
      return need(host, 'host');
    },
    get dataDir() {
      return dataDir;
    },
    async restart(whileClosed) {
      const h = need(host, 'host');
      const { port, secret } = h;
      await h.close();
      whileClosed?.();
      host = await startHost({ ...options(port), secret });
      return host;
    },
    cashier: SHOP.cashier,
    manager: SHOP.manager,
    get managerId() {
      return managerId;
    },
    unitProducts: catalog.unit,
    weighedProducts: catalog.weighed,
    get focus() {
      return need(focus, 'sandbox');
    },
    get printer() {
      return printer;
    },
  };
}

/** A real profile shows nothing of the demo: no banner, no demo mark, operator or shop, also on the receipt preview. */
export async function expectNoDemo(page: Page): Promise<void> {
  await expect(page.getByTestId('demo-banner')).toHaveCount(0);
  const texts = [await page.locator('body').innerText()];
  for (const frame of await page.locator('iframe').all()) texts.push((await frame.getAttribute('srcdoc')) ?? '');
  for (const text of texts) for (const mark of DEMO_MARKS) expect(text, `demo mark "${mark}" in a real profile`).not.toContain(mark);
}
