// PIX in a real shop: the Focus sandbox and the PSP simulator each run as their own process, the
// shop goes live through the setup screens and configures its PSP in Configurações › Pix (secret,
// certificate and key pasted once, tested live). Then a sale is paid by PIX: the QR on screen is
// the PSP's charge, the payer's bank (the simulator's control port) pays it, and the sale finishes
// by itself with an authorized note whose receipt says PIX. A charge the cashier gave up on that
// is paid anyway reaches the manager's list and is refunded. "Simular pagamento" never shows here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { decodeQr } from '../fixtures/receipt/qr-decode.ts';
import type { Page } from '@playwright/test';
import { TEST_PIN_COST } from '../fixtures/pin-cost.ts';
import { startHost, type RunningHost } from '../../main/host/launch.ts';
import { demoCatalog } from '../../main/demo/catalog.ts';
import { formatBRL } from '../../shared/money.ts';
import { expect, gtinOf, lastSaleState, login, scan, shot, test } from './fixtures.ts';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.ts';
import { startPspProcess, type PspProcess } from './psp-process.ts';
import { goLive, SHOP_MANAGER } from './golive-flow.ts';

let sb: SandboxProcess;
let psp: PspProcess;
let host: RunningHost | null = null;
let dir = '';
const product = { ...demoCatalog().find((p) => p.gtin !== null && !p.weighed)!, id: 'cafe-1', description: 'Café Torrado 500 g' };

// One shop's journey from an empty data dir: the first test alone goes live, configures the PSP and
// sells, which on a loaded shared machine takes longer than the default minute.
test.describe.configure({ mode: 'serial', timeout: 180_000 });

test.beforeAll(async () => {
  [sb, psp] = await Promise.all([startSandboxProcess(), startPspProcess()]);
  dir = mkdtempSync(join(tmpdir(), 'balcao-pix-e2e-'));
  host = await startHost({ dataDir: dir, sandbox: 'none', log: () => {}, pinCost: TEST_PIN_COST });
});
test.afterAll(async () => {
  await host?.close();
  await Promise.all([sb?.stop(), psp?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Reads the QR code drawn on screen back into text, as the payer's phone would. */
async function readQr(page: Page, testId: string): Promise<string | null> {
  const png = PNG.sync.read(await page.getByTestId(testId).screenshot());
  return decodeQr(new Uint8ClampedArray(png.data), png.width, png.height);
}

async function startPixPayment(page: Page): Promise<string> {
  await scan(page, gtinOf(product));
  await expect(page.getByTestId('item-count')).toHaveText('1');
  await page.keyboard.press('F10');
  await expect(page.getByTestId('payment-screen')).toBeVisible();
  await page.keyboard.press('F5');
  await expect(page.getByTestId('pix-panel')).toHaveAttribute('data-phase', 'waiting', { timeout: 20_000 });
  const txid = await page.getByTestId('pix-panel').getAttribute('data-txid');
  expect(txid).toMatch(/^[A-Za-z0-9]{26,35}$/);
  return txid!;
}

test('real shop: the manager configures the PSP; a PIX sale is confirmed by the bank and the note is authorized with the endToEndId', async ({ page }) => {
  await goLive(page, host!, sb, 'pix');
  expect((await host!.core.handle('register.open', { amountText: '100,00' })).ok).toBe(true);
  expect((await host!.core.handle('catalog.update', { product })).ok).toBe(true);

  // Before the PSP is configured, PIX says so in Portuguese and the sale stays open.
  await scan(page, gtinOf(product));
  await expect(page.getByTestId('item-count')).not.toHaveText('0');
  await page.keyboard.press('F10');
  await expect(page.getByTestId('payment-screen')).toBeVisible();
  await page.keyboard.press('F5');
  await expect(page.getByTestId('pix-panel')).toHaveAttribute('data-phase', 'failed');
  await expect(page.getByTestId('pix-error')).toContainText('Pix com confirmação não está configurado');
  await expect(page.getByTestId('pix-simulate')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('pix-panel')).toHaveCount(0);
  await page.keyboard.press('Escape');

  // Configurações › Pix: a half-pasted credential is refused before anything is sent.
  await page.keyboard.press('F1');
  const sec = page.getByTestId('settings-pix');
  await sec.getByTestId('pix-enabled').check();
  await sec.getByTestId('pix-base-url').fill(psp.url);
  await sec.getByTestId('pix-client-id').fill(psp.clientId);
  await sec.getByTestId('pix-key').fill('financeiro@mercadosaojoao.com.br');
  await sec.getByTestId('pix-psp-cnpj').fill(psp.cnpj);
  await sec.getByTestId('pix-client-secret').fill(psp.clientSecret);
  await sec.getByTestId('pix-save').click();
  await expect(sec.getByTestId('pix-settings-error')).toContainText('Credenciais do PSP');
  await sec.getByTestId('pix-certPem').fill(psp.certPem);
  await sec.getByTestId('pix-keyPem').fill(psp.keyPem);
  await sec.getByTestId('pix-caPem').fill(psp.caPem);
  await sec.getByTestId('pix-save').click();
  await expect(sec.getByTestId('pix-message')).toContainText('Credenciais guardadas no cofre');
  await expect(sec.getByTestId('pix-credentials-info')).toContainText(/Credenciais do PSP gravadas ✓ — certificado válido até \d\d\/\d\d\/\d{4}/);
  // The secret never comes back to the screen.
  await expect(sec.getByTestId('pix-client-secret')).toHaveValue('');
  const settings = await host!.core.handle('settings.get', {});
  expect(JSON.stringify(settings)).not.toContain(psp.clientSecret);
  await sec.getByTestId('pix-test').click();
  await expect(sec.getByTestId('pix-test-result')).toContainText('Conexão com o PSP OK');
  await shot(page, '41-pix-settings');
  await page.keyboard.press('Escape');

  // The sale still open from before: PIX now makes a charge at the PSP.
  const display = await page.context().newPage();
  await display.goto(`${host!.url}#cliente`);
  await page.bringToFront();
  await page.keyboard.press('F10');
  await expect(page.getByTestId('payment-screen')).toBeVisible();
  await page.keyboard.press('F5');
  await expect(page.getByTestId('pix-panel')).toHaveAttribute('data-phase', 'waiting', { timeout: 20_000 });
  const txid = (await page.getByTestId('pix-panel').getAttribute('data-txid'))!;
  await expect(page.getByTestId('pix-amount')).toHaveText(formatBRL(product.priceCents));
  await expect(page.getByTestId('pix-state')).toHaveText('Aguardando pagamento');
  await expect(page.getByTestId('pix-countdown')).toHaveText(/^0[45]:\d\d$/);
  // A real shop has no "Simular pagamento": only the customer's bank pays.
  await expect(page.getByTestId('pix-simulate')).toHaveCount(0);
  // The QR on screen decodes to the PSP's BR Code (its location on the PSP's host), on both screens.
  const payload = await page.getByTestId('pix-qr').getAttribute('data-payload');
  expect(payload).toContain(new URL(psp.url).host);
  await expect.poll(() => readQr(page, 'pix-qr')).toBe(payload);
  await expect(display.getByTestId('customer-pix-amount')).toHaveAttribute('data-cents', String(product.priceCents));
  await expect.poll(() => readQr(display, 'customer-pix-qr')).toBe(payload);
  await shot(page, '42-pix-real-waiting');
  await shot(display, '43-pix-customer-display');

  // The payer's bank pays; the PSP confirms; the sale finishes with no key pressed.
  expect((await psp.pay(txid)).ok).toBe(true);
  await expect(page.getByTestId('checkout-screen')).toBeVisible({ timeout: 15_000 });
  await lastSaleState(page, 'authorized');
  const saleId = Number(await page.getByTestId('sale-result').getAttribute('data-sale-id'));
  const d = await host!.core.handle('sales.get', { saleId });
  if (!d.ok) throw new Error(d.error.message);
  expect(d.value.sale.payments).toHaveLength(1);
  expect(d.value.sale.payments[0]).toMatchObject({ method: '17', amountCents: product.priceCents, card: { integration: '1', acquirerCnpj: psp.cnpj } });
  expect(d.value.sale.payments[0]!.card?.authorization).toMatch(/^E\w{31}$/);
  await expect(page.frameLocator('[data-testid="result-receipt"]').locator('body')).toContainText('PIX');
  await shot(page, '44-pix-real-authorized');
  await display.close();
});

test('real shop: a charge cancelled while the PSP was failing is paid anyway → the manager refunds it', async ({ page }) => {
  await page.goto(host!.url);
  await login(page, SHOP_MANAGER.name, SHOP_MANAGER.pin);
  const txid = await startPixPayment(page);
  await expect(page.getByTestId('pix-simulate')).toHaveCount(0);
  // The PSP goes down just as the cashier gives up: the removal cannot reach it.
  await psp.faults({ fail5xx: 10_000 });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('pix-panel')).toHaveCount(0);
  // The customer's bank pays the charge that is still open at the PSP; then the PSP comes back.
  expect((await psp.pay(txid)).ok).toBe(true);
  await psp.faults({ fail5xx: 0 });
  // The cashier takes cash: the sale is not paid twice.
  await page.keyboard.press('F2');
  await expect(page.getByTestId('pay-remaining')).toHaveAttribute('data-cents', '0');
  await page.keyboard.press('Enter');
  await lastSaleState(page, 'authorized');
  const saleId = Number(await page.getByTestId('sale-result').getAttribute('data-sale-id'));
  const d = await host!.core.handle('sales.get', { saleId });
  if (!d.ok) throw new Error(d.error.message);
  expect(d.value.sale.payments.map((p) => p.method)).toEqual(['01']);

  // The late payment is on the manager's list, with its amount, and is refunded with one action;
  // the status bar says it is there.
  await expect(page.getByTestId('pix-attention-chip')).toHaveText('Pix sem venda: 1', { timeout: 20_000 });
  await page.keyboard.press('F1');
  await page.getByTestId('open-pix-attention').click();
  const row = page.locator(`[data-testid="pix-attention-row"][data-txid="${txid}"]`);
  await expect(row).toHaveAttribute('data-state', 'orphan', { timeout: 20_000 });
  await expect(row.getByTestId('pix-attention-amount')).toHaveText(formatBRL(product.priceCents));
  await expect(row.getByTestId('pix-attention-label')).toHaveText('Pago sem venda — devolver');
  await expect(row).toContainText(/\d\d\/\d\d\/\d{4} \d\d:\d\d/);
  await shot(page, '45-pix-attention');
  await row.getByTestId('pix-refund').click();
  await expect(page.getByTestId('pix-refund-message')).toContainText(`Pix de ${formatBRL(product.priceCents)} devolvido ao pagador`);
  await expect(page.getByTestId('pix-attention-empty')).toBeVisible();
  await expect(page.getByTestId('pix-attention-chip')).toHaveCount(0);
  // The PSP holds exactly one refund for it, of the whole amount.
  const paid = (await psp.received()).filter((x) => x.txid === txid);
  expect(paid).toHaveLength(1);
  expect(paid[0]!.devolucoes).toEqual([expect.objectContaining({ status: 'DEVOLVIDO', valor: paid[0]!.valor })]);
  await page.getByTestId('pix-reconcile').click();
  await expect(page.getByTestId('pix-reconcile-message')).toContainText('Extrato das últimas 24 horas: 2 Pix recebido(s), 2 conferido(s)');
});

test('real shop: the PSP down, the manager’s static fallback takes a "não confirmado" PIX (tPag 20)', async ({ page }) => {
  await page.goto(host!.url);
  await login(page, SHOP_MANAGER.name, SHOP_MANAGER.pin);
  // The manager enables the fallback (the stored credentials stay as they are).
  await page.keyboard.press('F1');
  const sec = page.getByTestId('settings-pix');
  await sec.getByTestId('pix-static').check();
  await sec.getByTestId('pix-save').click();
  await expect(sec.getByTestId('pix-message')).toHaveText('Pix gravado.');
  await page.keyboard.press('Escape');

  await psp.faults({ fail5xx: 100_000 });
  try {
    await scan(page, gtinOf(product));
    await expect(page.getByTestId('item-count')).not.toHaveText('0');
    await page.keyboard.press('F10');
    await expect(page.getByTestId('payment-screen')).toBeVisible();
    await page.keyboard.press('F5');
    // The PSP answers 503: the panel says so and offers the static code instead.
    await expect(page.getByTestId('pix-problem')).toContainText('PSP está indisponível');
    await expect(page.getByTestId('pix-use-static')).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('pix-panel')).toHaveAttribute('data-phase', 'static');
    await expect(page.getByTestId('pix-state')).toHaveText('Não confirmado pelo banco');
    await expect(page.getByTestId('pix-qr')).toBeVisible();
    await expect(page.getByTestId('pix-simulate')).toHaveCount(0);
    await shot(page, '46-pix-static-fallback');
    await page.keyboard.press('Enter'); // the cashier checked the customer's receipt
    await expect(page.getByTestId('payment-row')).toHaveText(/PIX Estático · não confirmado/);
    await page.keyboard.press('Enter');
    await lastSaleState(page, 'authorized');
  } finally {
    await psp.faults({ fail5xx: 0 });
  }
  const saleId = Number(await page.getByTestId('sale-result').getAttribute('data-sale-id'));
  const d = await host!.core.handle('sales.get', { saleId });
  if (!d.ok) throw new Error(d.error.message);
  expect(d.value.sale.payments).toEqual([{ method: '20', amountCents: product.priceCents }]);
});
