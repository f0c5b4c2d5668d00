// A restart in the middle of a sale: the cart survives a renderer reload and a host restart on the
// same data dir; a finalized sale is never lost nor doubled, even when its answer was lost.
import { expect, expectLines, gtinOf, lastSaleState, login, open, salesCount, scan, test, useProfile } from './fixtures.ts';

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

  const before = await salesCount(env.host);
  await page.keyboard.press('F10');
  await expect(page.getByTestId('payment-screen')).toBeVisible();
  await page.keyboard.press('F2');
  await page.keyboard.press('Enter');
  await lastSaleState(page, 'authorized');
  expect(await salesCount(env.host)).toBe(before + 1);
});

test('a finalize whose answer is lost is retried with the same clientId: one sale, not two', async ({ page }) => {
  // The sale travels on the host's socket; this one dies right after the core answered the
  // finalize, the answer never reaching the page (the host "crashes" mid-answer).
  let armed = false;
  let lostAnswers = 0;
  await page.routeWebSocket(/\/api\/events$/, (ws) => {
    const server = ws.connectToServer();
    let finalizeId: number | null = null;
    ws.onMessage((m) => {
      const sent = typeof m === 'string' ? /^\{"id":(\d+),"channel":"sales\.finalize"/.exec(m) : null;
      if (sent && armed) finalizeId = Number(sent[1]);
      server.send(m);
    });
    server.onMessage((m) => {
      if (finalizeId !== null && typeof m === 'string' && m.startsWith(`{"id":${finalizeId},`)) {
        armed = false;
        finalizeId = null;
        lostAnswers++;
        void ws.close({ code: 4000, reason: 'lost' });
        return;
      }
      ws.send(m);
    });
  });
  // The client repeats a call the socket lost (sales.finalize is retry-safe) as POST.
  let posts = 0;
  await page.route('**/api/sales.finalize', async (route) => {
    posts++;
    await route.continue();
  });
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  await scan(page, gtinOf(a));
  await expectLines(page, 1);
  await page.keyboard.press('F10');
  await expect(page.getByTestId('payment-screen')).toBeVisible();
  await page.keyboard.press('F2');
  // Enter finalizes only once the payment covers the sale; under load F2 may still be in flight.
  await expect(page.getByTestId('pay-remaining')).toHaveAttribute('data-cents', '0');
  const count = () => salesCount(env.host);
  const beforeCount = await count();

  armed = true;
  // Enter belongs to the amount field: pressed while the focus is still coming back to it, it is lost.
  await expect(page.getByTestId('pay-amount')).toBeFocused();
  await page.keyboard.press('Enter');
  // The core committed the sale; its answer was cut with the socket, and the page sent the same
  // sale again over HTTP, which the core recognized by its clientId.
  await expect.poll(() => lostAnswers, { timeout: 15_000 }).toBe(1);
  await expect.poll(() => posts, { timeout: 15_000 }).toBe(1);
  await lastSaleState(page, 'authorized');
  await expect(page.getByTestId('code-input')).toBeFocused();
  expect(await count()).toBe(beforeCount + 1);
});

test('a page that dies between the payment key and the journal sends the sale again at its next start: one sale', async ({ page }) => {
  // The till was freed at the payment key; this finalize never reaches the core (the page dies
  // with it on the wire). The sale was written to the page's queue before it left.
  let drop = true;
  await page.routeWebSocket(/\/api\/events$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      if (drop && typeof m === 'string' && /^\{"id":\d+,"channel":"sales\.finalize"/.test(m)) {
        drop = false;
        return;
      }
      server.send(m);
    });
    server.onMessage((m) => ws.send(m));
  });
  const count = () => salesCount(env.host);
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  const before = await count();
  await scan(page, gtinOf(a));
  await expectLines(page, 1);
  await page.keyboard.press('F10');
  await expect(page.getByTestId('payment-screen')).toBeVisible();
  await page.keyboard.press('F2');
  await expect(page.getByTestId('pay-remaining')).toHaveAttribute('data-cents', '0');
  await expect(page.getByTestId('pay-amount')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('code-input')).toBeFocused();
  await expect(page.getByTestId('flight')).toHaveAttribute('data-state', 'registering');
  await expect.poll(() => drop).toBe(false);
  expect(await count()).toBe(before);

  await page.reload();
  await expect(page.getByTestId('app')).toBeVisible();
  if (await page.getByTestId('login-screen').isVisible()) await login(page, CASHIER.name, CASHIER.pin);
  // Sent again at the start, with its clientId: one sale, and the till stays free.
  await expect.poll(count, { timeout: 15_000 }).toBe(before + 1);
  await lastSaleState(page, 'authorized');
  await expect(page.getByTestId('item-list')).toHaveAttribute('data-count', '0');
  await page.reload();
  await expect(page.getByTestId('checkout-screen')).toBeVisible();
  await expect(page.getByTestId('flight')).toHaveCount(0);
  expect(await count()).toBe(before + 1);
});
