// The cashier's day: scanner input, qty*code, scale labels, search by name, cancel item/sale, CPF.
// Runs in a real shop's profile (its own token against the Focus sandbox process, its catalog,
// operators and printer); the first journey runs in the demo profile too, which must still work.
import type { Page } from '@playwright/test';
import { demoCatalog } from '../../main/demo/catalog.ts';
import {
  expect,
  expectLines,
  expectNoDemo,
  gtinOf,
  lastSaleState,
  login,
  open,
  payCashExact,
  scaleLabel,
  scan,
  shot,
  test,
  totalCents,
  useProfile,
  type ProfileHandle,
} from './fixtures.ts';
import { lineTotalCents } from '../../shared/money.ts';

async function fullSale(page: Page, env: ProfileHandle): Promise<void> {
  const [a, b] = env.unitProducts as [NonNullable<(typeof env.unitProducts)[0]>, NonNullable<(typeof env.unitProducts)[0]>];
  await open(page, env.host);
  if (env.kind === 'demo') {
    await expect(page.getByTestId('demo-banner')).toHaveText('DEMONSTRAÇÃO — sem valor fiscal');
    await expect(page.getByTestId('env-chip')).toHaveText('DEMONSTRAÇÃO');
    await expect(page.getByTestId('demo-logins')).toBeVisible();
  } else {
    // The shop's own people only: no demo logins, no banner.
    await expect(page.getByTestId('operator-option')).toHaveCount(2);
    await expect(page.getByTestId('demo-logins')).toHaveCount(0);
    await expectNoDemo(page);
  }
  await shot(page, `01-login-${env.kind}`);
  const CASHIER = env.cashier;
  await login(page, CASHIER.name, CASHIER.pin);
  if (env.kind === 'real') await expect(page.getByTestId('env-chip')).toHaveText('HOMOLOGAÇÃO');
  await expect(page.getByTestId('code-input')).toBeFocused();
  await expect(page.getByTestId('key-legend')).toContainText('F10');

  // Three scans back to back, as fast as a wedge scanner types.
  await scan(page, gtinOf(a));
  await scan(page, gtinOf(b));
  await scan(page, gtinOf(a));
  await expectLines(page, 3);
  const rows = page.getByTestId('item-row');
  await expect(rows.nth(0)).toContainText(a.description);
  await expect(rows.nth(1)).toContainText(b.description);
  await expect(rows.nth(2)).toContainText(a.description);
  expect(await totalCents(page)).toBe(a.priceCents * 2 + b.priceCents);
  await expect(page.getByTestId('code-input')).toBeFocused();
  await shot(page, '02-checkout');

  // Enter on the empty field opens the payment screen.
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('payment-screen')).toBeVisible();
  await expect(page.getByTestId('pay-remaining')).toHaveAttribute('data-cents', String(a.priceCents * 2 + b.priceCents));
  await shot(page, '04-payment');
  await page.keyboard.press('F2');
  // Enter finalizes only once F2's amount covers the sale.
  await expect(page.getByTestId('pay-remaining')).toHaveAttribute('data-cents', '0');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('checkout-screen')).toBeVisible();
  await expect(page.getByTestId('code-input')).toBeFocused();
  await expectLines(page, 0);
  await lastSaleState(page, 'authorized');
  await expect(page.getByTestId('result-note')).toContainText('NFC-e nº');
  await expect(page.getByTestId('result-chave')).toHaveText(/^(\d{4} ){10}\d{4}$/);
  await shot(page, '05-sale-authorized');
  await expect(page.getByTestId('result-receipt')).toBeVisible();
  await shot(page, '05b-sale-receipt-preview');
  await page.getByTestId('result-print').click();
  await expect(page.getByTestId('print-message')).toBeVisible();
  await expect(page.getByTestId('code-input')).toBeFocused();
  if (env.kind === 'real') {
    // The receipt is the shop's, printed on its own printer; the screen shows nothing of the demo.
    await expect(page.frameLocator('[data-testid="result-receipt"]').locator('body')).toContainText('Mercado São João');
    await expect.poll(() => env.printer!.jobs.length).toBeGreaterThanOrEqual(2);
    await expectNoDemo(page);
  }
}

test.describe('demo profile', () => {
  const demo = useProfile('demo');
  test('login screen, then a full sale from scanner bursts to the authorized note (demo)', async ({ page }) => {
    await fullSale(page, demo);
  });
});

const env = useProfile('real');
const CASHIER = env.cashier;
const MANAGER = env.manager;
const [a, b, c] = env.unitProducts as [
  NonNullable<(typeof env.unitProducts)[0]>,
  NonNullable<(typeof env.unitProducts)[0]>,
  NonNullable<(typeof env.unitProducts)[0]>,
];
const weighedProducts = env.weighedProducts;

test('login screen, then a full sale from scanner bursts to the authorized note', async ({ page }) => {
  await fullSale(page, env);
});

test('the shop catalog has none of the demo products, by code or by name', async ({ page }) => {
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  const demoProduct = demoCatalog().find((p) => p.gtin !== null && !p.weighed)!;
  await scan(page, gtinOf(demoProduct));
  await expect(page.getByTestId('notice')).toHaveAttribute('data-tone', 'error');
  await expectLines(page, 0);
  const found = await env.host.core.handle('catalog.search', { query: demoProduct.description.split(' ')[0]!, limit: 50 });
  expect(found.ok && found.value.map((h) => h.product.id).filter((id) => demoCatalog().some((p) => p.id === id))).toEqual([]);
  await expectNoDemo(page);
});

test('qty*code, a fractional quantity refused for a unit product, and an unknown code', async ({ page }) => {
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  await scan(page, `3*${gtinOf(c)}`);
  await expectLines(page, 1);
  await expect(page.getByTestId('item-row').first()).toContainText('3 UN');
  expect(await totalCents(page)).toBe(c.priceCents * 3);

  await scan(page, `0,5*${gtinOf(c)}`);
  await expect(page.getByTestId('notice')).toHaveAttribute('data-tone', 'error');
  await expect(page.getByTestId('notice')).toContainText('inteira');
  await expectLines(page, 1);

  await scan(page, '7890000000000');
  await expect(page.getByTestId('notice')).toHaveAttribute('data-tone', 'error');
  await expectLines(page, 1);
  await expect(page.getByTestId('code-input')).toBeFocused();
});

test('weighed items: typed weight and a scale label', async ({ page }) => {
  const w = weighedProducts[0];
  test.skip(!w, 'demo catalog has no weighed items');
  if (!w) return;
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  await scan(page, `0,512*${w.code}`);
  await expectLines(page, 1);
  await expect(page.getByTestId('item-row').first()).toContainText('0,512 KG');
  expect(await totalCents(page)).toBe(lineTotalCents(5_120, w.priceCents));

  // A price-embedded label (the default scale mode): the line total is the printed total.
  const labelTotal = 1234;
  await scan(page, scaleLabel(Number(w.code), labelTotal));
  await expectLines(page, 2);
  expect(await totalCents(page)).toBe(lineTotalCents(5_120, w.priceCents) + labelTotal);
  await payCashExact(page);
  await lastSaleState(page, 'authorized');
});

test('search by name: typing letters opens the list at once, arrows + Enter add', async ({ page }) => {
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  const word = a.description.split(' ')[0] ?? 'Arroz';
  await page.keyboard.type(word.slice(0, 5));
  await expect(page.getByTestId('search-row').first()).toBeVisible();
  await shot(page, '03-search');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  const chosen = await page.getByTestId('search-row').first().getAttribute('data-product');
  await page.keyboard.press('Enter');
  await expectLines(page, 1);
  await expect(page.getByTestId('search-results')).toHaveCount(0);
  expect(chosen).toBeTruthy();

  // F2 searches by partial code too.
  await page.keyboard.press('F2');
  await page.keyboard.type(b.code);
  await expect(page.locator(`[data-testid="search-row"][data-product="${b.id}"]`)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('code-input')).toBeFocused();
});

test('cancel an item by number (Delete) and cancel the whole sale (F7)', async ({ page }) => {
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  await scan(page, gtinOf(a));
  await scan(page, gtinOf(b));
  await scan(page, gtinOf(c));
  await expectLines(page, 3);
  await page.keyboard.type('2');
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('cancel-item-dialog')).toBeVisible();
  await expect(page.getByTestId('cancel-item-preview')).toContainText(b.description);
  await shot(page, '06-cancel-item');
  await page.keyboard.press('Enter');
  await expectLines(page, 2);
  await expect(page.locator('[data-testid="item-row"][data-seq="2"]')).toHaveAttribute('data-cancelled', 'true');
  expect(await totalCents(page)).toBe(a.priceCents + c.priceCents);
  await expect(page.getByTestId('code-input')).toBeFocused();

  await page.keyboard.press('F7');
  await expect(page.getByTestId('cancel-sale-dialog')).toBeVisible();
  await page.keyboard.press('Enter');
  // A cashier cancelling the sale needs the manager (the default threshold: always).
  await expect(page.getByTestId('manager-pin-dialog')).toBeVisible();
  await expect(page.getByTestId('item-list')).not.toHaveAttribute('data-count', '0');
  await page.getByTestId('manager-pin-input').fill(MANAGER.pin);
  await page.getByTestId('manager-pin-input').press('Enter');
  await expect(page.getByTestId('item-list')).toHaveAttribute('data-count', '0');
  await expect(page.getByTestId('code-input')).toBeFocused();
});

test('CPF na nota: an invalid CPF is refused with the reason, a valid one goes on the note', async ({ page }) => {
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  await scan(page, gtinOf(a));
  await expectLines(page, 1);
  await page.keyboard.press('F3');
  await expect(page.getByTestId('customer-dialog')).toBeVisible();
  await expect(page.getByTestId('customer-input')).toBeFocused();
  await page.keyboard.type('12345678900');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('customer-error')).toContainText('CPF inválido');
  await shot(page, '07-cpf-invalid');
  await page.getByTestId('customer-input').fill('');
  await page.keyboard.type('52998224725');
  await expect(page.getByTestId('customer-input')).toHaveValue('529.982.247-25');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('customer-doc')).toHaveText('529.982.247-25');
  await expect(page.getByTestId('code-input')).toBeFocused();
  await payCashExact(page);
  await lastSaleState(page, 'authorized');
  const saleId = Number(await page.getByTestId('sale-result').getAttribute('data-sale-id'));
  const detail = await env.host.core.handle('sales.get', { saleId });
  expect(detail.ok && detail.value.sale.customer?.document).toBe('52998224725');
});
