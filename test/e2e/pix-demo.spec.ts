// PIX in the demo profile: the built-in PSP simulator, and a "Simular pagamento" button that only
// the demo has. The charge's QR, amount and countdown are on the till and on the customer display.
import { CASHIER, MANAGER, expect, gtinOf, lastSaleState, login, open, scan, shot, test, unitProducts, useHost } from './fixtures.ts';
import { formatBRL } from '../../shared/money.ts';

const env = useHost();
const p = unitProducts[3] ?? unitProducts[0]!;

test('demo: PIX charge with QR and countdown, "Simular pagamento" confirms it and the sale finishes by itself', async ({ page }) => {
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  const display = await page.context().newPage();
  await display.goto(`${env.host.url}#cliente`);
  await page.bringToFront();
  await scan(page, `2*${gtinOf(p)}`);
  const total = 2 * p.priceCents;
  await expect(page.getByTestId('item-count')).not.toHaveText('0');
  await page.keyboard.press('F10');
  await expect(page.getByTestId('payment-screen')).toBeVisible();
  await page.keyboard.press('F5');
  const panel = page.getByTestId('pix-panel');
  await expect(panel).toHaveAttribute('data-phase', 'waiting', { timeout: 20_000 });
  await expect(page.getByTestId('pix-state')).toHaveText('Aguardando pagamento');
  await expect(page.getByTestId('pix-amount')).toHaveText(formatBRL(total));
  await expect(page.getByTestId('pix-countdown')).toHaveText(/^0[45]:\d\d$/);
  await expect(page.getByTestId('pix-qr')).toBeVisible();
  // The customer's side shows the same QR and amount while the charge waits.
  const payload = await page.getByTestId('pix-qr').getAttribute('data-payload');
  await expect(display.getByTestId('customer-pix-qr')).toHaveAttribute('data-payload', payload!);
  await expect(display.getByTestId('customer-pix-amount')).toHaveAttribute('data-cents', String(total));
  await shot(page, '40-pix-demo-waiting');
  await page.getByTestId('pix-simulate').click();
  // Confirmed by the (simulated) bank: the sale finalizes with no key pressed.
  await expect(page.getByTestId('checkout-screen')).toBeVisible({ timeout: 15_000 });
  await lastSaleState(page, 'authorized');
  await expect(display.getByTestId('customer-pix-qr')).toHaveCount(0);
  const saleId = Number(await page.getByTestId('sale-result').getAttribute('data-sale-id'));
  const d = await env.host.core.handle('sales.get', { saleId });
  if (!d.ok) throw new Error(d.error.message);
  expect(d.value.sale.payments).toHaveLength(1);
  expect(d.value.sale.payments[0]).toMatchObject({ method: '17', amountCents: total, card: { integration: '1' } });
  expect(d.value.sale.payments[0]!.card?.authorization).toMatch(/^E[0-9A-Za-z]{31}$/);
  await display.close();
});

test('demo: Esc cancels the charge at the PSP and the cashier takes cash instead', async ({ page }) => {
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  await scan(page, gtinOf(p));
  await expect(page.getByTestId('item-count')).not.toHaveText('0');
  await page.keyboard.press('F10');
  await expect(page.getByTestId('payment-screen')).toBeVisible();
  await page.keyboard.press('F5');
  await expect(page.getByTestId('pix-panel')).toHaveAttribute('data-phase', 'waiting', { timeout: 20_000 });
  const txid = await page.getByTestId('pix-panel').getAttribute('data-txid');
  // Another method's key cancels the charge and takes that method.
  await page.keyboard.press('F2');
  await expect(page.getByTestId('pix-panel')).toHaveCount(0);
  await expect(page.getByTestId('pay-remaining')).toHaveAttribute('data-cents', '0');
  await page.keyboard.press('Enter');
  await lastSaleState(page, 'authorized');
  const saleId = Number(await page.getByTestId('sale-result').getAttribute('data-sale-id'));
  const d = await env.host.core.handle('sales.get', { saleId });
  if (!d.ok) throw new Error(d.error.message);
  expect(d.value.sale.payments.map((x) => x.method)).toEqual(['01']);
  // The charge was removed at the PSP: nobody can pay it any more, and nothing waits for the manager.
  const late = await env.host.core.handle('pix.simulatePayment', { txid: txid! });
  expect(late.ok && late.value.ok).toBe(false);
  const charges = await env.host.core.handle('pix.attention', {});
  expect(charges.ok && charges.value.length).toBe(0);
});

test('demo: PIX for part of the sale and cash for the rest', async ({ page }) => {
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  await scan(page, `3*${gtinOf(p)}`);
  const total = 3 * p.priceCents;
  await expect(page.getByTestId('item-count')).not.toHaveText('0');
  await page.keyboard.press('F10');
  await expect(page.getByTestId('payment-screen')).toBeVisible();
  await expect(page.getByTestId('pay-amount')).toBeFocused();
  await page.keyboard.type('5,00');
  await page.keyboard.press('F5');
  await expect(page.getByTestId('pix-panel')).toHaveAttribute('data-phase', 'waiting', { timeout: 20_000 });
  await expect(page.getByTestId('pix-amount')).toHaveText(formatBRL(500));
  await page.getByTestId('pix-simulate').click();
  // Confirmed: it joins the sale, which still waits for the rest.
  await expect(page.getByTestId('pix-panel')).toHaveCount(0);
  await expect(page.getByTestId('payment-row')).toHaveText(/PIX · confirmado pelo banco/);
  await expect(page.getByTestId('pay-remaining')).toHaveAttribute('data-cents', String(total - 500));
  await page.keyboard.press('Enter'); // the rest in cash
  await expect(page.getByTestId('pay-remaining')).toHaveAttribute('data-cents', '0');
  await page.keyboard.press('Enter');
  await lastSaleState(page, 'authorized');
  const saleId = Number(await page.getByTestId('sale-result').getAttribute('data-sale-id'));
  const d = await env.host.core.handle('sales.get', { saleId });
  if (!d.ok) throw new Error(d.error.message);
  expect(d.value.sale.payments.map((x) => [x.method, x.amountCents, x.card?.integration ?? null])).toEqual([
    ['17', 500, '1'],
    ['01', total - 500, null],
  ]);
});

test('demo: a confirmed PIX in a sale that is then cancelled reaches the manager, who refunds it', async ({ page }) => {
  await open(page, env.host);
  await login(page, MANAGER.name, MANAGER.pin);
  await scan(page, `2*${gtinOf(p)}`);
  await expect(page.getByTestId('item-count')).not.toHaveText('0');
  await page.keyboard.press('F10');
  await expect(page.getByTestId('payment-screen')).toBeVisible();
  await expect(page.getByTestId('pay-amount')).toBeFocused();
  await page.keyboard.type('1,00');
  await page.keyboard.press('F5');
  await expect(page.getByTestId('pix-panel')).toHaveAttribute('data-phase', 'waiting', { timeout: 20_000 });
  const txid = (await page.getByTestId('pix-panel').getAttribute('data-txid'))!;
  await page.getByTestId('pix-simulate').click();
  await expect(page.getByTestId('payment-row')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('checkout-screen')).toBeVisible();
  await page.keyboard.press('F7');
  await expect(page.getByTestId('cancel-sale-dialog')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('item-count')).toHaveText('0');
  await page.keyboard.press('F1');
  await page.getByTestId('open-pix-attention').click();
  const row = page.locator(`[data-testid="pix-attention-row"][data-txid="${txid}"]`);
  await expect(row).toHaveAttribute('data-state', 'orphan');
  await expect(row.getByTestId('pix-attention-amount')).toHaveText(formatBRL(100));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('pix-refund-message')).toContainText(`Pix de ${formatBRL(100)} devolvido ao pagador`);
  await expect(row).toHaveCount(0);
});
