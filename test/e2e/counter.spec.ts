// The counter as a cashier lives it: the next customer never waits on SEFAZ, the receipt prints
// itself (or the screen says exactly why not), problems stay in sight, and the till's routines —
// quantity, espera, card brands, Enter in dialogs, the customer's screen, the manager's keys.
import type { Page } from '@playwright/test';
import { formatBRL } from '../../shared/money.ts';
import { decodeEscPos, type FakePrinter } from '../fixtures/fake-printer.ts';
import { expect, expectLines, gtinOf, lastSaleState, login, open, payCashExact, salesCount, scan, shot, test, useProfile } from './fixtures.ts';

// A real shop's profile: its token against the Focus sandbox process, its catalog, operators and its
// network printer (the fake printer on a loopback TCP socket).
const env = useProfile();
const { cashier: CASHIER, manager: MANAGER } = env;
const [a, b, c] = [env.unitProducts[40]!, env.unitProducts[41]!, env.unitProducts[42]!];
let printer: FakePrinter;

async function usePrinter(p: FakePrinter | null): Promise<void> {
  // Settings need a logged-in manager (the page's own login replaces this session).
  expect((await env.host.core.handle('auth.login', { operatorId: env.managerId, pin: MANAGER.pin })).ok).toBe(true);
  const r = await env.host.core.handle('settings.update', {
    managerPin: MANAGER.pin,
    patch: {
      printer: p
        ? { kind: 'network', host: p.host, port: p.port, width: 48, codePage: 'cp860', nativeQr: true, summary: false }
        : { kind: 'none', width: 48, codePage: 'cp860', nativeQr: true, summary: false },
    },
  });
  expect(r.ok).toBe(true);
}

/**
 * Leave the payment screen and cancel the open sale, waiting for each step: keys pressed before the
 * screen they belong to has mounted are lost and would leave the cart to the next test.
 */
async function cancelSale(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('checkout-screen')).toBeVisible();
  await expect(page.getByTestId('code-input')).toBeFocused();
  await page.keyboard.press('F7');
  await expect(page.getByTestId('cancel-sale-dialog')).toBeVisible();
  await page.keyboard.press('Enter');
  // A cashier needs the manager for it (the default threshold: always).
  const pin = page.getByTestId('manager-pin-input');
  await expect(page.getByTestId('item-list').and(page.locator('[data-count="0"]')).or(pin)).toBeVisible();
  if (await pin.isVisible()) {
    await pin.fill(MANAGER.pin);
    await pin.press('Enter');
  }
  await expect(page.getByTestId('item-list')).toHaveAttribute('data-count', '0');
}

test.beforeAll(() => {
  printer = env.printer!;
});
test.afterEach(async () => {
  await env.focus.reset();
});

test('the next sale starts while Focus takes seconds; the receipt prints itself; the drawer opens at payment', async ({ page }) => {
  await usePrinter(printer);
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  await env.focus.set({ latencyMs: 5_000 });
  const jobs = printer.jobs.length;
  await scan(page, gtinOf(a));
  await expectLines(page, 1);
  await page.keyboard.press('F10');
  await expect(page.getByTestId('payment-screen')).toBeVisible();
  await page.keyboard.type(formatBRL(a.priceCents + 1000).replace('R$ ', ''));
  await page.keyboard.press('F2');
  await expect(page.getByTestId('pay-remaining')).toHaveAttribute('data-cents', '0');
  await page.keyboard.press('Enter');
  // Back at the code field at once, the sale in the strip, the drawer already open.
  await expect(page.getByTestId('checkout-screen')).toBeVisible();
  await expect(page.getByTestId('code-input')).toBeFocused();
  const flight = page.getByTestId('flight');
  await expect(flight).toHaveCount(1);
  await expect(flight).toHaveAttribute('data-state', /pending|sending/);
  const [kick] = (await printer.waitForJobs(jobs + 1, 5_000)).slice(jobs);
  expect(decodeEscPos(kick!.bytes).pulses).toBe(1);
  // The next customer's item goes in while the note is still on its way.
  await scan(page, gtinOf(b));
  await expectLines(page, 1);
  await expect(flight).toHaveAttribute('data-state', /pending|sending/);
  await shot(page, '30-next-sale-while-authorizing');
  // Authorized: the strip empties, the receipt comes out by itself, the card says it was printed.
  await expect(flight).toHaveCount(0, { timeout: 15_000 });
  const receipt = (await printer.waitForJobs(jobs + 2, 10_000))[jobs + 1]!;
  expect(decodeEscPos(receipt.bytes).lines.join('\n')).toContain('DANFE NFC-e - Documento Auxiliar da');
  await expect(page.getByTestId('print-message')).toHaveAttribute('data-print-state', 'done');
  await expect(page.getByTestId('print-message')).toHaveText('Cupom impresso.');
});

test('the till is free at the payment key; a finalize the core refuses comes back, loud, once the till is free', async ({ page }) => {
  // The first finalize leaves the page whole but reaches the core naming a product it does not
  // have: a real refusal (product_not_found). Its answer is held until the next customer's item is
  // in, the way a slow answer lands while the cashier has moved on.
  let tamper = true;
  let held: (() => void) | null = null;
  let release = false;
  await page.routeWebSocket(/\/api\/events$/, (ws) => {
    const server = ws.connectToServer();
    let refusedId: number | null = null;
    ws.onMessage((m) => {
      if (tamper && typeof m === 'string' && /^\{"id":\d+,"channel":"sales\.finalize"/.test(m)) {
        tamper = false;
        const frame = JSON.parse(m) as { id: number; input: { items: { productId: string }[] } };
        refusedId = frame.id;
        frame.input.items[0]!.productId = 'PRODUTO-QUE-NAO-EXISTE';
        server.send(JSON.stringify(frame));
        return;
      }
      server.send(m);
    });
    server.onMessage((m) => {
      if (refusedId !== null && typeof m === 'string' && m.startsWith(`{"id":${refusedId},`)) {
        refusedId = null;
        held = () => ws.send(m);
        if (release) held();
        return;
      }
      ws.send(m);
    });
  });
  const count = () => salesCount(env.host);
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  const before = await count();
  await scan(page, gtinOf(a));
  await scan(page, gtinOf(b));
  await expectLines(page, 2);
  await page.keyboard.press('F10');
  await expect(page.getByTestId('payment-screen')).toBeVisible();
  await page.keyboard.press('F2');
  await expect(page.getByTestId('pay-remaining')).toHaveAttribute('data-cents', '0');
  await expect(page.getByTestId('pay-amount')).toBeFocused();
  await page.keyboard.press('Enter');
  // Free at once: the code field has the keyboard while the core has not answered.
  await expect(page.getByTestId('checkout-screen')).toBeVisible();
  await expect(page.getByTestId('code-input')).toBeFocused();
  await expect(page.getByTestId('flight')).toHaveAttribute('data-state', 'registering');
  await expect.poll(() => held !== null).toBe(true);
  // The next customer's item goes in; then the refusal lands: said loudly, the new sale untouched.
  await scan(page, gtinOf(c));
  await expectLines(page, 1);
  release = true;
  held!();
  const returned = page.getByTestId('flight-returned');
  await expect(returned).toBeVisible();
  await expect(returned).toContainText('NÃO registrada');
  await expect(returned).toContainText('não está no cadastro');
  await expect(page.getByTestId('checkout-screen')).toBeVisible();
  await expectLines(page, 1);
  expect(await count()).toBe(before);
  // The till is free again (the new sale cancelled): the refused sale is back, whole, on the
  // payment screen with its payment, and the reason on screen.
  await page.keyboard.press('F7');
  await expect(page.getByTestId('cancel-sale-dialog')).toBeVisible();
  await page.keyboard.press('Enter');
  const pin = page.getByTestId('manager-pin-input');
  await expect(page.getByTestId('payment-screen').or(pin)).toBeVisible();
  if (await pin.isVisible()) {
    await pin.fill(MANAGER.pin);
    await pin.press('Enter');
  }
  await expect(page.getByTestId('payment-screen')).toBeVisible();
  await expect(page.getByTestId('payment-error')).toContainText('NÃO registrada');
  await expect(page.getByTestId('pay-remaining')).toHaveAttribute('data-cents', '0');
  await expect(returned).toHaveCount(0);
  // Enter again: this time the core takes it; one sale, with both items.
  await expect(page.getByTestId('pay-amount')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('checkout-screen')).toBeVisible();
  await expect.poll(count).toBe(before + 1);
  await lastSaleState(page, 'authorized');
  const list = await env.host.core.handle('sales.list', { limit: 500 });
  const newest = list.ok ? Math.max(...list.value.map((x) => x.id)) : -1;
  const sold = await env.host.core.handle('sales.get', { saleId: newest });
  expect(sold.ok && sold.value.sale.items.map((i) => i.productId)).toEqual([a.id, b.id]);
});

test('paper out: the screen says so, selling goes on, the reprint key prints it once paper is back', async ({ page }) => {
  await usePrinter(printer);
  printer.setStatus({ paperOut: true });
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  await scan(page, gtinOf(c));
  await payCashExact(page);
  await expect(page.getByTestId('print-message')).toHaveAttribute('data-print-state', 'failed', { timeout: 15_000 });
  await expect(page.getByTestId('print-message')).toHaveAttribute('data-print-code', 'paper_out');
  await expect(page.getByTestId('print-message')).toContainText('sem papel');
  await expect(page.getByTestId('printer-chip')).toBeVisible();
  await expect(page.getByText('Cupom enviado para a impressora.')).toHaveCount(0);
  await shot(page, '31-paper-out');
  // Selling never waits for the printer.
  await scan(page, gtinOf(a));
  await expectLines(page, 1);
  printer.setStatus({});
  const jobs = printer.jobs.length;
  await page.keyboard.press('Insert');
  await printer.waitForJobs(jobs + 1, 10_000);
  await expect(page.getByTestId('print-message')).toHaveAttribute('data-print-state', 'done', { timeout: 10_000 });
  await usePrinter(null);
});

test('a rejected note stays loud in the strip and the status bar until someone acts', async ({ page }) => {
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  await env.focus.set({ reject: { count: 1, status_sefaz: '778', mensagem_sefaz: 'Rejeicao: Informado NCM inexistente' } });
  await scan(page, gtinOf(a));
  await payCashExact(page);
  const flight = page.getByTestId('flight');
  await expect(flight).toHaveAttribute('data-state', 'rejected', { timeout: 15_000 });
  await expect(page.getByTestId('problem-chip')).toHaveText(/Rejeitadas: [1-9]/);
  // The next sale authorizes; the rejected one is still there.
  await scan(page, gtinOf(b));
  await payCashExact(page);
  await expect(page.getByTestId('sale-result')).toHaveAttribute('data-state', 'authorized', { timeout: 15_000 });
  await expect(flight).toHaveCount(1);
  await expect(flight).toHaveAttribute('data-state', 'rejected');
  await shot(page, '32-rejected-stays');
  await page.getByTestId('flight-dismiss').click();
  await expect(flight).toHaveCount(0);
  // Taken on, not fixed: still counted.
  await expect(page.getByTestId('problem-chip')).toBeVisible();
  await expect(page.getByTestId('code-input')).toBeFocused();
});

test('change a quantity; two sales in espera survive a restart and come back with their totals', async ({ page }) => {
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  await scan(page, gtinOf(a));
  await expectLines(page, 1);
  await page.keyboard.press('F11');
  await expect(page.getByTestId('quantity-dialog')).toBeVisible();
  await page.keyboard.type('3');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('quantity-dialog')).toHaveCount(0);
  await expect(page.getByTestId('sale-total')).toHaveAttribute('data-cents', String(3 * a.priceCents));
  await expect(page.getByTestId('code-input')).toBeFocused();
  await page.keyboard.press('F12');
  await expectLines(page, 0);
  await scan(page, `2*${gtinOf(b)}`);
  // The line must be on the cart before F12: pressed earlier, F12 opens the (empty-cart) list and the
  // line lands afterwards, surviving the restart as a third sale.
  await expectLines(page, 1);
  await page.keyboard.press('F12');
  await expectLines(page, 0);

  const host = await env.restart();
  await page.goto(host.url);
  await login(page, CASHIER.name, CASHIER.pin);
  await page.keyboard.press('F12');
  await expect(page.getByTestId('parked-dialog')).toBeVisible();
  const rows = page.getByTestId('parked-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText(formatBRL(3 * a.priceCents));
  await expect(rows.nth(1)).toContainText(formatBRL(2 * b.priceCents));
  await expect(rows.nth(0)).toContainText(/\d\d:\d\d/);
  await shot(page, '33-espera');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('sale-total')).toHaveAttribute('data-cents', String(2 * b.priceCents));
  await page.keyboard.press('F12');
  await expectLines(page, 0);
  // Clean up: empty the espera list so later tests start clean.
  const left = await env.host.core.handle('till.parked', {});
  expect(left.ok && left.value.length).toBe(2);
  if (left.ok) for (const p of left.value) expect((await env.host.core.handle('till.recall', { id: p.id })).ok).toBe(true);
});

test('card brands: Visa, Mastercard and Elo first, and typing the name finds one', async ({ page }) => {
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  await scan(page, gtinOf(c));
  await expectLines(page, 1);
  await page.keyboard.press('F10');
  await expect(page.getByTestId('payment-screen')).toBeVisible();
  await page.keyboard.press('F3');
  const brand = page.getByTestId('card-brand');
  await expect(brand).toBeFocused();
  const labels = await brand.locator('option').allTextContents();
  expect(labels.slice(1, 4)).toEqual(['Visa (01)', 'Mastercard (02)', 'Elo (06)']);
  await page.keyboard.type('amer');
  await expect(brand).toHaveValue('03');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('pay-remaining')).toHaveAttribute('data-cents', '0');
  await cancelSale(page);
});

test('Enter submits the cancel-note dialog (no newline); número shows with its série', async ({ page }) => {
  await open(page, env.host);
  await login(page, MANAGER.name, MANAGER.pin);
  await scan(page, gtinOf(a));
  await payCashExact(page);
  await expect(page.getByTestId('sale-result')).toHaveAttribute('data-state', 'authorized', { timeout: 15_000 });
  await expect(page.getByTestId('result-note')).toContainText(/nº \d+ série 1/);
  const saleId = await page.getByTestId('sale-result').getAttribute('data-sale-id');
  await page.keyboard.press('F8');
  const row = page.locator(`[data-testid="history-row"][data-sale-id="${saleId}"]`);
  await expect(row.getByTestId('history-numero-serie')).toHaveText(/^nº \d+ série 1$/);
  await row.click();
  // F6 acts on the detail once it is loaded and offers the cancel (a key pressed before is nobody's).
  await expect(page.getByTestId('detail-cancel')).toBeVisible();
  await page.keyboard.press('F6');
  await expect(page.getByTestId('cancel-note-dialog')).toBeVisible();
  await page.getByTestId('cancel-justificativa').fill('Cliente desistiu da compra no caixa');
  await page.getByTestId('cancel-justificativa').press('Enter');
  await expect(page.getByTestId('sale-detail')).toHaveAttribute('data-state', 'cancelled', { timeout: 15_000 });
  expect(await page.getByTestId('cancel-justificativa').count()).toBe(0);
});

test('the customer display shows the items, the total and the change', async ({ page }) => {
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  const display = await page.context().newPage();
  await display.goto(`${env.host.url}#cliente`);
  await expect(display.getByTestId('customer-display')).toHaveAttribute('data-phase', 'idle');
  await page.bringToFront();
  await scan(page, `2*${gtinOf(b)}`);
  await expect(display.getByTestId('customer-line')).toHaveCount(1);
  await expect(display.getByTestId('customer-line')).toContainText(b.description);
  await expect(display.getByTestId('customer-total')).toHaveAttribute('data-cents', String(2 * b.priceCents));
  await expect(display.getByTestId('customer-qr')).toBeVisible();
  await page.keyboard.press('F10');
  await expect(page.getByTestId('payment-screen')).toBeVisible();
  await page.keyboard.type(formatBRL(2 * b.priceCents + 500).replace('R$ ', ''));
  await page.keyboard.press('F2');
  await expect(display.getByTestId('customer-change')).toHaveAttribute('data-cents', '500');
  await page.keyboard.press('Enter');
  await expect(display.getByTestId('customer-display')).toHaveAttribute('data-phase', 'done');
  await expect(display.getByTestId('customer-change')).toHaveAttribute('data-cents', '500');
  await shot(display, '34-customer-display');
  await display.close();
});

test('the manager remaps F-keys: conflicts refused, the legend and the keys follow', async ({ page }) => {
  await open(page, env.host);
  await login(page, MANAGER.name, MANAGER.pin);
  await page.keyboard.press('F1');
  await expect(page.getByTestId('settings-counter')).toBeVisible();
  await page.getByTestId('keymap-pay').selectOption('F2');
  await expect(page.getByTestId('keymap-conflict')).toContainText('F2');
  await expect(page.getByTestId('save-counter')).toBeDisabled();
  // Every assignable key has an action by default: a remap is a swap (pay ↔ espera).
  await page.getByTestId('keymap-pay').selectOption('F12');
  await page.getByTestId('keymap-park').selectOption('F10');
  await expect(page.getByTestId('keymap-conflict')).toHaveCount(0);
  await page.getByTestId('save-counter').click();
  // The PIN is asked only outside the manager's grace window.
  const pin = page.getByTestId('manager-pin-input');
  await expect(page.getByTestId('counter-message').or(pin)).toBeVisible();
  if (await pin.isVisible()) {
    await pin.fill(MANAGER.pin);
    await pin.press('Enter');
  }
  await expect(page.getByTestId('counter-message')).toContainText('salvas');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('checkout-screen')).toBeVisible();
  await expect(page.locator('.legend-key[data-key="F12"]')).toContainText('Pagamento');
  await expect(page.locator('.legend-key[data-key="F10"]')).toContainText('Espera');
  await scan(page, gtinOf(a));
  await expectLines(page, 1);
  await page.keyboard.press('F12');
  await expect(page.getByTestId('payment-screen')).toBeVisible();
  await cancelSale(page);
  const reset = await env.host.core.handle('settings.update', { managerPin: MANAGER.pin, patch: { keyMap: {} } });
  expect(reset.ok).toBe(true);
});
