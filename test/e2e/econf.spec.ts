// ECONF from the sale's detail: a card sale, then the manager attaches the payment data (the
// authorization completed later) and the event shows registered; the sandbox holds it.
import { formatBRL } from '../../shared/money.ts';
import { expect, gtinOf, lastSaleState, login, open, scan, test, useProfile } from './fixtures.ts';

const env = useProfile();
const { cashier: CASHIER, manager: MANAGER } = env;
const p = env.unitProducts[12] ?? env.unitProducts[0]!;

test('conciliação financeira (ECONF) from Vendas, with the manager PIN', async ({ page }) => {
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  await scan(page, gtinOf(p));
  await expect(page.getByTestId('item-count')).not.toHaveText('0');
  await page.keyboard.press('F10');
  await expect(page.getByTestId('pay-amount')).toBeFocused();
  await page.keyboard.type(formatBRL(p.priceCents).replace('R$ ', ''));
  await page.keyboard.press('F4');
  await expect(page.getByTestId('card-form')).toBeVisible();
  await page.getByTestId('card-brand').selectOption('02');
  await page.getByTestId('card-auth').fill('A1B2C3');
  await page.getByTestId('card-auth').press('Enter');
  await expect(page.getByTestId('pay-remaining')).toHaveAttribute('data-cents', '0');
  await page.keyboard.press('Enter');
  await lastSaleState(page, 'authorized');
  const saleId = (await page.getByTestId('sale-result').getAttribute('data-sale-id')) ?? '';

  await page.keyboard.press('F8');
  await page.locator(`[data-testid="history-row"][data-sale-id="${saleId}"]`).click();
  await expect(page.getByTestId('sale-detail')).toHaveAttribute('data-state', 'authorized');
  await page.getByTestId('detail-econf').click();
  await expect(page.getByTestId('econf-dialog')).toBeVisible();
  await expect(page.getByTestId('econf-aut-1')).toHaveValue('A1B2C3');
  await page.getByTestId('econf-cnpj-1').fill('01.027.058/0001-91');
  await page.getByTestId('econf-confirm').click();
  await expect(page.getByTestId('econf-error')).toContainText('PIN');
  await page.getByTestId('econf-pin').fill(MANAGER.pin);
  await page.getByTestId('econf-confirm').click();
  await expect(page.getByTestId('detail-message')).toContainText('Conciliação registrada', { timeout: 15_000 });
  await expect(page.getByTestId('econf-item')).toHaveAttribute('data-state', 'authorized');

  const note = (await env.focus.notes()).find((n) => n.econf && n.econf.length > 0);
  expect(note?.econf?.[0]?.detalhes).toEqual([
    expect.objectContaining({ forma_pagamento: '04', cnpj_instituicao_financeira: '01027058000191', bandeira_operadora: '02', numero_autorizacao: 'A1B2C3' }),
  ]);
});
