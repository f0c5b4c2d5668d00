// A restart in the middle of a sale: the cart survives a renderer reload and a host restart on the
// same data dir; a finalized sale is never lost nor doubled, even when its answer was lost.
import { CASHIER, expect, expectLines, gtinOf, lastSaleState, login, open, scan, test, unitProducts, useHost } from './fixtures.ts';

const env = useHost();
const [a, b] = [unitProducts[30] ?? unitProducts[0]!, unitProducts[31] ?? unitProducts[1]!];

test('the cart survives a reload and a host restart; the sale then finalizes once', async ({ page }) => {
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  await scan(page, gtinOf(a));
  await scan(page, `2*${gtinOf(b)}`);
  await expectLines(page, 2);

  await page.reload();
  await expect(page.getByTestId('app')).toBeVisible();
  await expectLines(page, 2);

  const host = await env.restart();
  await page.goto(host.url);
  await expect(page.getByTestId('login-screen')).toBeVisible();
  await login(page, CASHIER.name, CASHIER.pin);
  await expectLines(page, 2);
  await expect(page.getByTestId('code-input')).toBeFocused();

  const before = await env.host.core.handle('sales.list', { limit: 500 });
  await page.keyboard.press('F10');
  await expect(page.getByTestId('payment-screen')).toBeVisible();
  await page.keyboard.press('F2');
  await page.keyboard.press('Enter');
  await lastSaleState(page, 'authorized');
  const after = await env.host.core.handle('sales.list', { limit: 500 });
  expect(after.ok && before.ok && after.value.length - before.value.length).toBe(1);
});

test('a finalize whose answer is lost is retried with the same clientId: one sale, not two', async ({ page }) => {
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  await scan(page, gtinOf(a));
  await page.keyboard.press('F10');
  await expect(page.getByTestId('payment-screen')).toBeVisible();
  await page.keyboard.press('F2');
  const before = await env.host.core.handle('sales.list', { limit: 500 });

  // The core commits the sale but the renderer never hears back (the host "crashes" mid-answer).
  let calls = 0;
  await page.route('**/api/sales.finalize', async (route) => {
    calls++;
    if (calls === 1) {
      await route.fetch();
      await route.abort('connectionreset');
      return;
    }
    await route.continue();
  });
  await page.keyboard.press('Enter');
  // Chromium itself may retry a POST that died on a reused connection; otherwise the cashier sees
  // the error, the cart (and its clientId) survives a reload, and Enter sends the same sale again.
  await expect(page.getByTestId('payment-error').or(page.getByTestId('sale-result'))).toBeVisible();
  if (await page.getByTestId('payment-error').isVisible()) {
    await expect(page.getByTestId('payment-error')).toContainText('Sem comunicação');
    await page.reload();
    await expect(page.getByTestId('app')).toBeVisible();
    await page.keyboard.press('F10');
    await expect(page.getByTestId('pay-remaining')).toHaveAttribute('data-cents', '0');
    await page.keyboard.press('Enter');
  }
  await lastSaleState(page, 'authorized');
  expect(calls).toBeGreaterThanOrEqual(2);
  const after = await env.host.core.handle('sales.list', { limit: 500 });
  expect(after.ok && before.ok && after.value.length - before.value.length).toBe(1);
});
