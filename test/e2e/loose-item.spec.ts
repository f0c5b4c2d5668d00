// Item avulso at the till: refused while the manager has not enabled it; the manager enables it in
// the register (tax profile, NCM, ceiling; the core refuses a profile without NCM first); the cashier
// types a description and a price with the keyboard only, sells it with a catalog product, and the
// journal holds the item with the profile's fiscal data and the shop's NCM.
import {
  CASHIER,
  MANAGER,
  expect,
  expectLines,
  gtinOf,
  lastSaleState,
  login,
  open,
  payCashExact,
  scan,
  test,
  totalCents,
  unitProducts,
  useHost,
} from './fixtures.ts';
import type { Sale } from '../../shared/sale.ts';

const env = useHost();

test('the manager enables item avulso and the cashier sells one with the keyboard', async ({ page }) => {
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  await page.keyboard.press('End');
  await expect(page.getByTestId('notice')).toContainText('Item avulso não está habilitado');
  await expect(page.getByTestId('loose-dialog')).toHaveCount(0);

  // The manager: starter profiles, then the item avulso panel under Perfis fiscais.
  await login(page, MANAGER.name, MANAGER.pin);
  await page.keyboard.press('F1');
  await page.getByTestId('open-catalog').click();
  await page.getByTestId('catalog-tab-profiles').click();
  if (await page.getByTestId('profile-starters').isVisible()) {
    await page.getByTestId('profile-starters').click();
    await page.getByTestId('manager-pin-input').fill(MANAGER.pin);
    await page.getByTestId('manager-pin-input').press('Enter');
    await expect(page.getByTestId('profile-row').first()).toBeVisible();
  }
  await page.getByTestId('loose-enabled').check();
  await page.getByTestId('loose-profile').selectOption({ label: 'Revenda com ST (Simples Nacional)' });
  await page.getByTestId('loose-save').click();
  if (await page.getByTestId('manager-pin-dialog').isVisible()) {
    await page.getByTestId('manager-pin-input').fill(MANAGER.pin);
    await page.getByTestId('manager-pin-input').press('Enter');
  }
  await expect(page.getByTestId('catalog-message')).toContainText('Informe o NCM do item avulso');
  await page.getByTestId('loose-ncm').fill('96089989');
  await page.getByTestId('loose-save').click();
  // The ST profile needs a CEST; the plain resale one does not.
  await expect(page.getByTestId('catalog-message')).toContainText('informe o CEST');
  await page.getByTestId('loose-profile').selectOption({ label: 'Revenda tributada (Simples Nacional)' });
  await page.getByTestId('loose-max').fill('200,00');
  await page.getByTestId('loose-save').click();
  await expect(page.getByTestId('catalog-message')).toContainText('Item avulso habilitado');
  await page.keyboard.press('Escape');

  // The cashier, keyboard only: End, description, Enter, price, Enter, quantity, Enter.
  await login(page, CASHIER.name, CASHIER.pin);
  const p = unitProducts[0]!;
  await scan(page, gtinOf(p));
  await expectLines(page, 1);
  await page.keyboard.press('End');
  await expect(page.getByTestId('loose-dialog')).toBeVisible();
  await expect(page.getByTestId('loose-description')).toBeFocused();
  await page.keyboard.type('Conserto de alça');
  await page.keyboard.press('Enter');
  await page.keyboard.type('250,00');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('loose-error')).toContainText('de R$ 0,01 a R$ 200,00');
  await page.getByTestId('loose-price').fill('12,50');
  await page.getByTestId('loose-qty').fill('2');
  await page.getByTestId('loose-qty').press('Enter');
  await expect(page.getByTestId('loose-dialog')).toHaveCount(0);
  await expectLines(page, 2);
  await expect(page.getByTestId('item-name').last()).toHaveText('Conserto de alça');
  expect(await totalCents(page)).toBe(p.priceCents + 2500);
  await payCashExact(page);
  await lastSaleState(page, 'authorized');

  // What the journal committed: the typed line with the manager's profile and NCM.
  await env.host.core.handle('auth.login', { operatorId: 'gerente', pin: MANAGER.pin });
  const list = await env.host.core.handle('sales.list', {});
  if (!list.ok) throw new Error(list.error.message);
  const detail = await env.host.core.handle('sales.get', { saleId: list.value[0]!.id });
  if (!detail.ok) throw new Error(detail.error.message);
  const item = (detail.value as { sale: Sale }).sale.items[1]!;
  expect(item).toMatchObject({ code: 'AVULSO', description: 'Conserto de alça', ncm: '96089989', gtin: null, qtyE4: 20_000, unitPriceCents: 1250 });
  expect(item.cfop).toMatch(/^5\d{3}$/);
});
