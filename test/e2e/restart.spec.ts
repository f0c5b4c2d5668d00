// A restart in the middle of a sale: the cart survives a renderer reload and a host restart on the
// same data dir; a finalized sale is never lost nor doubled, even when its answer was lost.
import { expect, expectLines, gtinOf, lastSaleState, login, open, scan, test, useProfile } from './fixtures.ts';

// A real shop's profile: the restart keeps its token, operators and catalog (never demo).
const env = useProfile();
const CASHIER = env.cashier;
const [a, b] = [env.unitProducts[30] ?? env.unitProducts[0]!, env.unitProducts[31] ?? env.unitProducts[1]!];

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
  await expect(page.getByTestId('item-count')).not.toHaveText('0');
  await page.keyboard.press('F10');
  await expect(page.getByTestId('payment-screen')).toBeVisible();
  await page.keyboard.press('F2');
  // Enter finalizes only once the payment covers the sale; under load F2 may still be in flight.
  await expect(page.getByTestId('pay-remaining')).toHaveAttribute('data-cents', '0');
  const before = await env.host.core.handle('sales.list', { limit: 500 });
  const count = async () => {
    const list = await env.host.core.handle('sales.list', { limit: 500 });
    return list.ok ? list.value.length : -1;
  };
  const beforeCount = before.ok ? before.value.length : -1;

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
  // Enter belongs to the amount field: pressed while the focus is still coming back to it, it is lost.
  await expect(page.getByTestId('pay-amount')).toBeFocused();
  await page.keyboard.press('Enter');
  // The first call reached the core, which committed the sale; its answer was cut.
  await expect.poll(() => calls, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
  await expect.poll(count, { timeout: 15_000 }).toBe(beforeCount + 1);
  // Chromium itself may retry a POST that died on a reused connection (a second call); otherwise the
  // cashier sees the error, the cart (and its clientId) survives a reload, and Enter sends the same
  // sale again. Wait for one of the two; a result card alone could be an earlier sale's.
  const error = page.getByTestId('payment-error');
  await expect.poll(async () => calls >= 2 || (await error.isVisible()), { timeout: 15_000 }).toBe(true);
  if (calls < 2) {
    await expect(page.getByTestId('payment-error')).toContainText('Sem comunicação');
    await page.reload();
    await expect(page.getByTestId('app')).toBeVisible();
    await page.keyboard.press('F10');
    await expect(page.getByTestId('pay-remaining')).toHaveAttribute('data-cents', '0');
    await page.keyboard.press('Enter');
  }
  await expect.poll(() => calls, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
  await lastSaleState(page, 'authorized');
  const after = await env.host.core.handle('sales.list', { limit: 500 });
  expect(after.ok && before.ok && after.value.length - before.value.length).toBe(1);
});
