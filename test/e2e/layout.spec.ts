// Every screen usable at 1366×768 and 1024×768, in demo mode (with its banner) and with a real
// token (no banner: the grid once assumed the banner's row and squeezed the sale into a strip).
// Asserted as a cashier would notice: the cart lines, the total and the key legend fully on screen,
// item names readable (wrapped, never cut to a few letters), amounts never cut, history chips whole.
import type { Locator, Page } from '@playwright/test';
import { expect, expectNoDemo, gtinOf, login, open, scan, shot, test, useProfile, type ProfileHandle } from './fixtures.ts';

// The demo profile, and a real shop set up as a shop would (its token against the Focus sandbox
// process, its own catalog, operators and printer).
const profiles: Record<'demo' | 'real', ProfileHandle> = { demo: useProfile('demo'), real: useProfile('real') };

// The longest names of each catalog, where truncation would show first.
const longest = (env: ProfileHandle) => [...env.unitProducts].sort((a, b) => b.description.length - a.description.length).slice(0, 5);

async function expectInViewport(page: Page, locator: Locator, what: string): Promise<void> {
  const vp = page.viewportSize()!;
  const n = await locator.count();
  expect(n, `${what}: present`).toBeGreaterThan(0);
  for (let i = 0; i < n; i++) {
    const box = await locator.nth(i).boundingBox();
    expect(box, `${what} #${i}: rendered`).not.toBeNull();
    const b = box!;
    expect(b.width, `${what} #${i}: has width`).toBeGreaterThan(0);
    expect(
      b.x >= -0.5 && b.y >= -0.5 && b.x + b.width <= vp.width + 0.5 && b.y + b.height <= vp.height + 0.5,
      `${what} #${i} inside ${vp.width}×${vp.height}: ${JSON.stringify(b)}`,
    ).toBe(true);
  }
}

/** Elements whose text is cut (ellipsis or hidden overflow), by text. */
async function cut(locator: Locator): Promise<string[]> {
  return locator.evaluateAll((els) =>
    els.filter((e) => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1).map((e) => e.textContent ?? ''),
  );
}

async function checkLegend(page: Page, what: string): Promise<void> {
  await expectInViewport(page, page.getByTestId('key-legend'), `${what}: legend`);
  await expectInViewport(page, page.getByTestId('key-legend').locator('.legend-key'), `${what}: legend key`);
  // Never a sideways scroll: what is cut off at the right would not be seen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), `${what}: sideways scroll`).toBeLessThanOrEqual(0);
}

for (const profile of ['demo', 'real'] as const) {
  for (const size of [
    { width: 1366, height: 768 },
    { width: 1024, height: 768 },
  ]) {
    test(`${profile} profile at ${size.width}×${size.height}: checkout, payment, history, contingency and settings fit`, async ({ page }) => {
      // Five screens walked and measured at one size: on a loaded two-core machine the first of
      // them (cold page, two hosts warming their catalog index) outruns the default 60 s.
      test.slow();
      const env = profiles[profile];
      const host = env.host;
      await page.setViewportSize(size);
      await open(page, host);
      await expect(page.getByTestId('demo-banner')).toHaveCount(profile === 'demo' ? 1 : 0);
      await login(page, env.manager.name, env.manager.pin);
      const tag = `layout-${profile}-${size.width}`;

      // Checkout with the five longest names.
      for (const p of longest(env)) await scan(page, `12*${gtinOf(p)}`);
      await expect(page.getByTestId('item-count')).toHaveText('5');
      const rows = page.getByTestId('item-row');
      await expectInViewport(page, rows, 'cart line');
      await expectInViewport(page, page.getByTestId('sale-total'), 'total');
      await checkLegend(page, 'checkout');
      expect(await cut(page.getByTestId('item-total')), 'line totals cut').toEqual([]);
      expect(await cut(page.getByTestId('item-qty')), 'qty × price cut').toEqual([]);
      expect(await cut(page.getByTestId('sale-total')), 'total cut').toEqual([]);
      expect(await cut(page.getByTestId('item-name')), 'item names cut').toEqual([]);
      // The sale area takes the screen, the legend stays at the bottom.
      const items = (await page.locator('.items').boundingBox())!;
      const legend = (await page.getByTestId('key-legend').boundingBox())!;
      expect(items.height, 'cart area height').toBeGreaterThan(size.height * 0.4);
      expect(legend.y, 'legend below the cart').toBeGreaterThanOrEqual(items.y + items.height);
      expect(legend.height, 'legend is a footer, not a column').toBeLessThan(size.height * 0.2);
      await shot(page, `${tag}-checkout`);

      // Payment.
      await page.keyboard.press('F10');
      await expect(page.getByTestId('payment-screen')).toBeVisible();
      await page.keyboard.type('9999,99');
      await page.keyboard.press('F2');
      await expect(page.getByTestId('pay-remaining')).toHaveAttribute('data-cents', '0');
      for (const id of ['pay-total', 'pay-paid', 'pay-remaining', 'pay-change']) {
        await expectInViewport(page, page.getByTestId(id), id);
        expect(await cut(page.getByTestId(id)), `${id} cut`).toEqual([]);
      }
      await expectInViewport(page, page.locator('.pay-key'), 'payment key');
      await checkLegend(page, 'payment');
      await shot(page, `${tag}-payment`);
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('checkout-screen')).toBeVisible();
      await expect(page.getByTestId('code-input')).toBeFocused();

      // History: the chips of the state whole, número and amount readable.
      await page.keyboard.press('F8');
      await expect(page.getByTestId('history-row').first()).toBeVisible();
      const firstRow = page.getByTestId('history-row').first();
      await expectInViewport(page, firstRow.getByTestId('history-chip'), 'history chip');
      const rowBox = (await firstRow.boundingBox())!;
      const chipBox = (await firstRow.getByTestId('history-chip').boundingBox())!;
      expect(chipBox.x + chipBox.width, 'chip inside its row').toBeLessThanOrEqual(rowBox.x + rowBox.width + 0.5);
      expect(await cut(firstRow.getByTestId('history-total')), 'history amount cut').toEqual([]);
      expect(await cut(firstRow.getByTestId('history-chip')), 'history chip cut').toEqual([]);
      await checkLegend(page, 'history');
      await shot(page, `${tag}-history`);
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('checkout-screen')).toBeVisible();

      // Contingency panel.
      await page.keyboard.press('F9');
      await expect(page.getByTestId('contingency-panel')).toBeVisible();
      await expectInViewport(page, page.getByTestId('contingency-send'), 'Enviar agora');
      await checkLegend(page, 'contingency');
      await shot(page, `${tag}-contingency`);
      await page.keyboard.press('Escape');

      // Settings.
      await page.keyboard.press('F1');
      await expect(page.getByTestId('settings-screen')).toBeVisible();
      await expectInViewport(page, page.getByTestId('settings-screen').locator('h2'), 'settings title');
      await checkLegend(page, 'settings');
      await shot(page, `${tag}-settings`);
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('checkout-screen')).toBeVisible();
      if (profile === 'real') await expectNoDemo(page);
    });
  }
}
