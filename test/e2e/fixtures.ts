// End-to-end fixture: the real browser host (core + journal + built-in Focus sandbox) on a fresh
// temp data dir per test file, and helpers that drive the UI the way a cashier does.
import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHost, type RunningHost, type StartHostOptions } from '../../main/host/launch.ts';
import { demoCatalog } from '../../main/demo/catalog.ts';
import type { Product } from '../../shared/sale.ts';

// The till and its browser share one machine and one time zone; the host would otherwise run in
// the container's UTC while the page runs in America/Sao_Paulo (playwright.config.ts).
process.env.TZ = 'America/Sao_Paulo';
// Vault keys of the throwaway data dirs: a temp dir, never the OS keyring or ~/.local/state.
process.env.BALCAO_KEY_DIR ??= join(tmpdir(), 'balcao-test-keys');
process.env.BALCAO_KEYRING = 'off';

export { expect };
export const test = base;

export const SCREENS_DIR = join(import.meta.dirname, '..', 'artifacts', 'screens');

export interface HostHandle {
  readonly host: RunningHost;
  readonly dataDir: string;
  /** Close the host and start it again on the same data dir (and the same port: same origin); `between` runs while it is closed. */
  restart(between?: () => void): Promise<RunningHost>;
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
    async restart(between) {
      if (!host) throw new Error('host not started');
      const { port, secret } = host;
      await host.close();
      between?.();
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

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENS_DIR, `${name}.png`) });
}

/** Pay the whole remaining amount in cash and finalize; waits for the free till. */
export async function payCashExact(page: Page): Promise<void> {
  await page.keyboard.press('F10');
  await expect(page.getByTestId('payment-screen')).toBeVisible();
  await page.keyboard.press('F2');
  await expect(page.getByTestId('pay-remaining')).toHaveAttribute('data-cents', '0');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('checkout-screen')).toBeVisible();
}

/** Wait until the last sale's card shows a final state. */
export async function lastSaleState(page: Page, state: string): Promise<void> {
  await expect(page.getByTestId('sale-result')).toHaveAttribute('data-state', state, { timeout: 15_000 });
}
