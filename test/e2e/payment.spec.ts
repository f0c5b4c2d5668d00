// Payment screen: split payment with a card from a stand-alone machine and cash with troco;
// "Outros" needs a description; a double Enter never makes two sales.
import { expect, expectNoDemo, gtinOf, lastSaleState, login, open, salesCount, scan, shot, test, useProfile } from './fixtures.ts';
import { formatBRL } from '../../shared/money.ts';

// A real shop's profile: its token against the Focus sandbox process, its catalog and operators.
const env = useProfile();
const CASHIER = env.cashier;
const p = env.unitProducts[5] ?? env.unitProducts[0]!;

test('split payment: debit card (bandeira, autorização) + cash with troco', async ({ page }) => {
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  await scan(page, `4*${gtinOf(p)}`);
  const total = p.priceCents * 4;
  await expect(page.getByTestId('item-count')).not.toHaveText('0');
  await page.keyboard.press('F10');
  await expect(page.getByTestId('pay-total')).toHaveText(formatBRL(total));
  await expect(page.getByTestId('pay-amount')).toBeFocused();

  // A card may not exceed what is due: only cash has troco.
  await page.keyboard.type('99999');
  await page.keyboard.press('F4');
  await expect(page.getByTestId('payment-error')).toContainText('Só dinheiro tem troco');
  await page.getByTestId('pay-amount').fill('');

  await page.keyboard.type('10,00');
  await page.keyboard.press('F4');
  await expect(page.getByTestId('card-form')).toBeVisible();
  await page.getByTestId('card-brand').selectOption('02');
  await page.getByTestId('card-auth').fill('A1B2C3');
  await page.getByTestId('card-auth').press('Enter');
  await expect(page.getByTestId('payment-row')).toHaveCount(1);
  await expect(page.getByTestId('pay-remaining')).toHaveAttribute('data-cents', String(total - 1000));

  const cash = total - 1000 + 2345;
  // The card form hands the focus back to the amount field; typed earlier, the amount is lost.
  await expect(page.getByTestId('pay-amount')).toBeFocused();
  await page.keyboard.type(formatBRL(cash).replace('R$ ', ''));
  await page.keyboard.press('Enter'); // Enter = dinheiro
  await expect(page.getByTestId('pay-remaining')).toHaveAttribute('data-cents', '0');
  await expect(page.getByTestId('pay-change')).toHaveAttribute('data-cents', '2345');
  await expect(page.getByTestId('payment-hint')).toContainText('Enter para finalizar');
  await shot(page, '08-split-payment-troco');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('checkout-screen')).toBeVisible();
  await expect(page.getByTestId('result-change')).toContainText(formatBRL(2345));
  await lastSaleState(page, 'authorized');

  const saleId = Number(await page.getByTestId('sale-result').getAttribute('data-sale-id'));
  const d = await env.host.core.handle('sales.get', { saleId });
  if (!d.ok) throw new Error(d.error.message);
  expect(d.value.sale.payments).toEqual([
    { method: '04', amountCents: 1000, card: { integration: '2', brand: '02', authorization: 'A1B2C3' } },
    { method: '01', amountCents: cash },
  ]);
  expect(d.value.sale.changeCents).toBe(2345);
  await expectNoDemo(page);
});

test('Outros asks what the method was; a double Enter finalizes once', async ({ page }) => {
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  const before = await salesCount(env.host);
  await scan(page, gtinOf(p));
  await expect(page.getByTestId('item-count')).not.toHaveText('0');
  await page.keyboard.press('F10');
  await expect(page.getByTestId('payment-screen')).toBeVisible();
  await page.keyboard.press('F8');
  await expect(page.getByTestId('other-form')).toBeVisible();
  await expect(page.getByTestId('other-description')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('other-error')).toContainText('Descreva');
  await page.keyboard.type('Crediário da loja');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('pay-remaining')).toHaveAttribute('data-cents', '0');
  // Two Enters as fast as a nervous cashier.
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('checkout-screen')).toBeVisible();
  await lastSaleState(page, 'authorized');
  expect(await salesCount(env.host)).toBe(before + 1);
});
