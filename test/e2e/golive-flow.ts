// The first-run setup as a store manager goes through it, step by step on the screens (shared by
// the go-live e2e spec and bench:golive).
import { expect, type Page } from '@playwright/test';
import type { RunningHost } from '../../main/host/launch.ts';
import type { Emitter } from '../../shared/sale.ts';
import { decodeEscPos, type FakePrinter } from '../fixtures/fake-printer.ts';
import type { SandboxProcess } from './sandbox-process.ts';

export const SHOP_MANAGER = { name: 'Ana Souza', pin: '4826' };

async function shotIf(page: Page, shot: ((page: Page, name: string) => Promise<void>) | null, name: string): Promise<void> {
  if (shot) await shot(page, name);
}

const MANAGER = SHOP_MANAGER;

/** The step's own content fits the width (no sideways scrolling) and its main button can be reached. */
async function fits(page: Page, button: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const b = page.getByTestId(button);
  await b.scrollIntoViewIfNeeded();
  await expect(b).toBeInViewport({ ratio: 1 });
}

export async function goLive(
  page: Page,
  host: RunningHost,
  sb: Pick<SandboxProcess, 'url' | 'token' | 'cnpj'>,
  size: string,
  shot: ((page: Page, name: string) => Promise<void>) | null = null,
): Promise<void> {
  await page.goto(host.url);
  // The secret never shows in the address bar: the one-time code is gone after the first load.
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('setup-screen')).toHaveAttribute('data-step', 'mode');
  await expect(page.getByTestId('demo-banner')).toHaveCount(0);
  await fits(page, 'setup-real');
  await shotIf(page, shot, `golive-${size}-01-mode`);
  await page.getByTestId('setup-real').click();

  // Token: a wrong one is refused with the reason; one pasted with spaces is trimmed and accepted.
  await expect(page.getByTestId('setup-screen')).toHaveAttribute('data-step', 'token');
  await page.getByText('Endereço da Focus (opcional)').click();
  await page.getByTestId('setup-focus-url').fill(sb.url);
  await page.getByTestId('setup-token-input').fill('TokenQueNaoExiste123');
  await page.getByTestId('setup-token-check').click();
  await expect(page.getByTestId('setup-token-result')).toHaveAttribute('data-status', 'invalid');
  await expect(page.getByTestId('setup-token-result')).toContainText('recusou este token');
  await page.getByTestId('setup-token-input').fill(`   ${sb.token}  `);
  await page.getByTestId('setup-token-check').click();
  await expect(page.getByTestId('setup-token-result')).toHaveAttribute('data-status', 'valid');
  await fits(page, 'setup-token-save');
  await shotIf(page, shot, `golive-${size}-02-token`);
  await page.getByTestId('setup-token-save').click();

  // Emitter: empty (never the demo shop's), a wrong CNPJ explained, then the shop's own data.
  await expect(page.getByTestId('setup-screen')).toHaveAttribute('data-step', 'emitter');
  await expect(page.getByTestId('emitter-cnpj')).toHaveValue('');
  const fill = async (k: string, v: string) => page.getByTestId(`emitter-${k}`).fill(v);
  await fill('cnpj', '45.286.317/0001-75');
  await fill('ie', '9012345663');
  await fill('name', 'Mercado São João Ltda');
  await page.getByTestId('emitter-uf').selectOption('PR');
  await fill('street', 'Rua das Flores');
  await fill('number', '10');
  await fill('district', 'Centro');
  await fill('city', 'Curitiba');
  await fill('cityCode', '4106902');
  await fill('cep', '80020-000');
  await page.getByTestId('save-emitter').click();
  await expect(page.getByTestId('emitter-errors')).toContainText('CNPJ');
  await expect(page.getByTestId('setup-screen')).toHaveAttribute('data-step', 'emitter');
  await fill('cnpj', sb.cnpj);
  await fits(page, 'save-emitter');
  await shotIf(page, shot, `golive-${size}-03-emitter`);
  await page.getByTestId('save-emitter').click();

  // Starting tax profiles for the regime the emitter step chose (Simples Nacional): both accepted.
  await expect(page.getByTestId('setup-screen')).toHaveAttribute('data-step', 'taxProfiles');
  await expect(page.getByTestId('setup-tax-profiles')).toContainText('Simples Nacional');
  await expect(page.getByTestId('setup-tax-profile')).toHaveCount(2);
  await fits(page, 'setup-tax-profiles-save');
  await page.getByTestId('setup-tax-profiles-save').click();

  // Série, CSC: the same série twice is refused in Portuguese.
  await expect(page.getByTestId('setup-screen')).toHaveAttribute('data-step', 'fiscal');
  await page.getByTestId('setup-contingency-serie').fill('1');
  await page.getByTestId('setup-qr').selectOption('3');
  await page.getByTestId('setup-fiscal-save').click();
  await expect(page.getByTestId('setup-error')).toContainText('diferente da série normal');
  await page.getByTestId('setup-contingency-serie').fill('900');
  await fits(page, 'setup-fiscal-save');
  await page.getByTestId('setup-fiscal-save').click();

  await expect(page.getByTestId('setup-screen')).toHaveAttribute('data-step', 'certificate');
  await fits(page, 'setup-cert-skip');
  await page.getByTestId('setup-cert-skip').click();
  await expect(page.getByTestId('setup-screen')).toHaveAttribute('data-step', 'printer');
  // The network printer's fields fit too; this shop prints nowhere yet (the journeys' shop does).
  await page.getByTestId('setup-printer-kind').selectOption('network');
  await expect(page.getByTestId('setup-printer-port')).toBeVisible();
  await fits(page, 'setup-printer-save');
  await page.getByTestId('setup-printer-kind').selectOption('none');
  await page.getByTestId('setup-printer-save').click();
  await expect(page.getByTestId('setup-screen')).toHaveAttribute('data-step', 'terminal');
  await fits(page, 'setup-terminal-save');
  await page.getByTestId('setup-terminal-id').fill('CX 1');
  await page.getByTestId('setup-terminal-save').click();
  await expect(page.getByTestId('setup-error')).toContainText('sem espaços');
  await page.getByTestId('setup-terminal-id').fill('CX01');
  await page.getByTestId('setup-terminal-save').click();

  // The first manager: a trivial PIN is refused before anything is sent.
  await expect(page.getByTestId('setup-screen')).toHaveAttribute('data-step', 'manager');
  await page.getByTestId('setup-manager-name').fill(MANAGER.name);
  await page.getByTestId('setup-manager-pin').fill('1234');
  await page.getByTestId('setup-manager-pin2').fill('1234');
  await page.getByTestId('setup-manager-save').click();
  await expect(page.getByTestId('setup-error')).toContainText('sequência');
  await page.getByTestId('setup-manager-pin').fill(MANAGER.pin);
  await page.getByTestId('setup-manager-pin2').fill(MANAGER.pin);
  await fits(page, 'setup-manager-save');
  await shotIf(page, shot, `golive-${size}-04-manager`);
  await page.getByTestId('setup-manager-save').click();

  await expect(page.getByTestId('setup-screen')).toHaveAttribute('data-step', 'finish');
  await fits(page, 'setup-complete');
  await page.getByTestId('setup-complete').click();

  // Login lists the shop's manager only; no demo logins, no demo banner.
  await expect(page.getByTestId('login-screen')).toBeVisible();
  await expect(page.getByTestId('operator-option')).toHaveCount(1);
  await expect(page.getByTestId('demo-logins')).toHaveCount(0);
  await expect(page.getByTestId('demo-banner')).toHaveCount(0);
  await page.locator(`[data-testid="operator-option"][data-operator="${MANAGER.name}"]`).click();
  await page.getByTestId('pin-input').fill(MANAGER.pin);
  await page.getByTestId('pin-input').press('Enter');
  await expect(page.getByTestId('checkout-screen')).toBeVisible();
  await expect(page.getByTestId('env-chip')).toHaveText('HOMOLOGAÇÃO');
  // The profiles accepted in the setup are the shop's own catalog's (the manager is logged in).
  const profiles = await host.core.handle('catalog.profiles', {});
  expect(profiles.ok && profiles.value.map((p) => p.id).sort()).toEqual(['revenda-simples', 'revenda-st-simples']);
}

export interface ShopOnScreens {
  /** The shop's emitter as its accountant gives it (the Focus account's own data). */
  emitter: Emitter;
  name: string;
  tradeName: string;
  /** The Focus account's CSC for homologação (id and code). */
  csc: { id: string; csc: string };
  printer: Pick<FakePrinter, 'host' | 'port' | 'jobs'>;
  terminalId: string;
  manager: { name: string; pin: string };
}

/**
 * "Configuração inicial" as a store manager does it, with nothing to correct: token checked live,
 * emitter, séries and CSC, no certificate, the network printer with a test page, terminal, first
 * manager, then "Concluir". The journeys' real profile is made here once per worker (fixtures.ts).
 */
export async function setUpOnScreens(page: Page, host: RunningHost, sb: Pick<SandboxProcess, 'url' | 'token'>, shop: ShopOnScreens): Promise<void> {
  const step = page.getByTestId('setup-screen');
  await page.goto(host.url);
  await expect(step).toHaveAttribute('data-step', 'mode');
  await page.getByTestId('setup-real').click();

  await expect(step).toHaveAttribute('data-step', 'token');
  await page.getByTestId('setup-environment').selectOption('homologacao');
  await page.getByText('Endereço da Focus (opcional)').click();
  await page.getByTestId('setup-focus-url').fill(sb.url);
  await page.getByTestId('setup-token-input').fill(sb.token);
  await page.getByTestId('setup-token-check').click();
  await expect(page.getByTestId('setup-token-result')).toHaveAttribute('data-status', 'valid');
  await page.getByTestId('setup-token-save').click();

  await expect(step).toHaveAttribute('data-step', 'emitter');
  const e = shop.emitter;
  const fields: Record<string, string> = { cnpj: e.cnpj, ie: e.ie, name: shop.name, tradeName: shop.tradeName };
  for (const k of ['street', 'number', 'district', 'city', 'cityCode', 'cep'] as const) fields[k] = e.address[k];
  for (const [k, v] of Object.entries(fields)) await page.getByTestId(`emitter-${k}`).fill(v);
  await page.getByTestId('emitter-crt').selectOption(String(e.crt));
  await page.getByTestId('emitter-uf').selectOption(e.uf);
  await page.getByTestId('save-emitter').click();

  // The journeys' shop registers its own fiscal data with its products: it skips the starting profiles.
  await expect(step).toHaveAttribute('data-step', 'taxProfiles');
  await page.getByTestId('setup-tax-profiles-skip').click();

  await expect(step).toHaveAttribute('data-step', 'fiscal');
  await page.getByTestId('setup-serie').fill('1');
  await page.getByTestId('setup-contingency-serie').fill('900');
  await page.getByTestId('setup-qr').selectOption('3');
  await page.getByTestId('setup-csc-id').fill(shop.csc.id);
  await page.getByTestId('setup-csc').fill(shop.csc.csc);
  await page.getByTestId('setup-fiscal-save').click();

  await expect(step).toHaveAttribute('data-step', 'certificate');
  await page.getByTestId('setup-cert-skip').click();

  // The printer: saved, then back to its step for the test page, which must reach the printer.
  await expect(step).toHaveAttribute('data-step', 'printer');
  await page.getByTestId('setup-printer-kind').selectOption('network');
  await page.getByTestId('setup-printer-host').fill(shop.printer.host);
  await page.getByTestId('setup-printer-port').fill(String(shop.printer.port));
  await page.getByTestId('setup-printer-width').selectOption('48');
  await page.getByTestId('setup-printer-save').click();
  await expect(step).toHaveAttribute('data-step', 'terminal');
  await page.getByTestId('setup-goto-printer').click();
  const jobsBefore = shop.printer.jobs.length;
  await page.getByTestId('setup-printer-test').click();
  await expect(page.getByTestId('setup-printer-test-result')).toHaveClass(/ok-line/);
  await expect.poll(() => shop.printer.jobs.length).toBe(jobsBefore + 1);
  // The test page carries the shop's own header, never a made-up shop's.
  const testPage = decodeEscPos(shop.printer.jobs[jobsBefore]!.bytes).lines.join('\n');
  expect(testPage).toContain('PÁGINA DE TESTE');
  expect(testPage).toContain(shop.tradeName);
  await page.getByTestId('setup-goto-terminal').click();

  await expect(step).toHaveAttribute('data-step', 'terminal');
  await page.getByTestId('setup-terminal-id').fill(shop.terminalId);
  await page.getByTestId('setup-terminal-save').click();

  await expect(step).toHaveAttribute('data-step', 'manager');
  await page.getByTestId('setup-manager-name').fill(shop.manager.name);
  await page.getByTestId('setup-manager-pin').fill(shop.manager.pin);
  await page.getByTestId('setup-manager-pin2').fill(shop.manager.pin);
  await page.getByTestId('setup-manager-save').click();

  await expect(step).toHaveAttribute('data-step', 'finish');
  await page.getByTestId('setup-complete').click();
  // The shop's own login: its manager only, no demo logins or banner.
  await expect(page.getByTestId('login-screen')).toBeVisible();
  await expect(page.getByTestId('operator-option')).toHaveCount(1);
  await expect(page.getByTestId('demo-logins')).toHaveCount(0);
  await expect(page.getByTestId('demo-banner')).toHaveCount(0);
}
