// The manager's product register: create a product through the form (GTIN check digit refused
// first), sell it at the till; import a Windows-1252 CSV with a bad row, see the row's error, keep
// the valid rows.
import { withCheckDigit } from '../../shared/catalog/gtin.ts';
import { csvBytes, shopRows } from '../integration/catalog/files.ts';
import { formatBRL, lineTotalCents } from '../../shared/money.ts';
import { expect, expectLines, login, open, scan, shot, test, totalCents, useProfile } from './fixtures.ts';

// A real shop's profile: its own catalog, operators and token against the Focus sandbox process.
const env = useProfile();
const { cashier: CASHIER, manager: MANAGER } = env;

async function openCatalog(page: import('@playwright/test').Page): Promise<void> {
  await open(page, env.host);
  await login(page, MANAGER.name, MANAGER.pin);
  await page.keyboard.press('F1');
  await page.getByTestId('open-catalog').click();
  await expect(page.getByTestId('catalog-screen')).toBeVisible();
}

async function approve(page: import('@playwright/test').Page): Promise<void> {
  await expect(page.getByTestId('manager-pin-dialog')).toBeVisible();
  await page.getByTestId('manager-pin-input').fill(MANAGER.pin);
  await page.getByTestId('manager-pin-input').press('Enter');
}

test('the manager registers a product and the till sells it', async ({ page }) => {
  await openCatalog(page);
  await page.getByTestId('catalog-new').click();
  const gtin = withCheckDigit('789000123456');
  const wrong = gtin.slice(0, -1) + String((Number(gtin.at(-1)) + 1) % 10);
  await page.getByTestId('product-code').fill('77001');
  await page.getByTestId('product-gtin').fill(wrong);
  await page.getByTestId('product-description').fill('Bolo de Cenoura Caseiro');
  await page.getByTestId('product-price').fill('18,90');
  await page.getByTestId('product-ncm').fill('1905.90.90');
  await page.getByTestId('product-icms').fill('102');
  await page.getByTestId('product-save').click();
  await expect(page.getByTestId('product-error')).toContainText('dígito verificador');
  await page.getByTestId('product-gtin').fill(gtin);
  await expect(page.getByTestId('product-issues')).toContainText('IBS/CBS');
  await page.getByTestId('product-ibsCbsCst').fill('000');
  await page.getByTestId('product-cClassTrib').fill('000001');
  await expect(page.getByTestId('product-issues')).toHaveCount(0);
  await shot(page, '30-catalog-product-form');
  await page.getByTestId('product-save').click();
  await approve(page);
  await expect(page.getByTestId('catalog-message')).toContainText('77001');

  await page.getByTestId('catalog-query').fill('bolo cenoura');
  await expect(page.getByTestId('catalog-row')).toHaveCount(1);
  await expect(page.getByTestId('catalog-row')).toContainText('R$ 18,90');

  await page.keyboard.press('Escape');
  await scan(page, gtin);
  await expectLines(page, 1);
  await expect(page.getByTestId('item-row').first()).toContainText('Bolo de Cenoura Caseiro');
});

test('a CSV import shows the bad row and keeps the valid ones', async ({ page }) => {
  const rows = shopRows(5, 900);
  rows[2]![4] = '-1,00';
  await openCatalog(page);
  await page.getByTestId('catalog-tab-import').click();
  await page.getByTestId('import-file').setInputFiles({ name: 'produtos.csv', mimeType: 'text/csv', buffer: csvBytes(rows, 'windows-1252') });
  await expect(page.getByTestId('import-summary')).toContainText('5 linha(s)');
  await expect(page.getByTestId('import-summary')).toContainText('Windows-1252');
  await expect(page.getByTestId('import-sample')).toContainText('Maçã Gala 900');
  await expect(page.getByTestId('map-price')).toHaveValue('4');
  await page.getByTestId('import-check').click();
  await expect(page.getByTestId('import-errors')).toContainText('preço negativo');
  await expect(page.getByTestId('import-errors').locator('tbody tr').first()).toContainText('4');
  await shot(page, '31-catalog-import-check');
  await page.getByTestId('import-commit').click();
  await approve(page);
  await expect(page.getByTestId('catalog-message')).toContainText('4 novo(s)');

  await page.getByTestId('catalog-tab-products').click();
  await page.getByTestId('catalog-query').fill('10900');
  await expect(page.getByTestId('catalog-row')).toHaveCount(1);
  await page.getByTestId('catalog-query').fill('10902');
  await expect(page.getByTestId('catalog-total')).toHaveText('0 produto(s)');
});

test('a weighed product picked by name asks for its weight instead of adding 1 kg', async ({ page }) => {
  const w = env.weighedProducts[0]!;
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  await page.keyboard.type(w.description);
  await expect(page.getByTestId('search-row').first()).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('weight-dialog')).toBeVisible();
  await expectLines(page, 0);
  await page.getByTestId('weight-input').fill('0,5');
  await expect(page.getByTestId('weight-total')).toContainText(formatBRL(lineTotalCents(5_000, w.priceCents)));
  await page.getByTestId('weight-input').press('Enter');
  await expectLines(page, 1);
  await expect(page.getByTestId('item-row').first()).toContainText('0,500 KG');
  expect(await totalCents(page)).toBe(lineTotalCents(5_000, w.priceCents));
});
