// ECONF from the sale's detail: a card sale, then the manager attaches the payment data (the
// authorization completed later) and the event shows registered; the sandbox holds it. An ECONF whose
// answer was lost shows "Resolver": the manager types the protocol Focus's panel shows and it is
// confirmed with Focus, never posted twice.
import { formatBRL } from '../../shared/money.ts';
import type { Page } from '@playwright/test';
import { expect, gtinOf, lastSaleState, login, open, scan, test, useProfile } from './fixtures.ts';

// A short Focus deadline, so that a lost ECONF answer shows as such within the test.
const env = useProfile('real', { engine: { emitDeadlineMs: 4_000 } });
const { cashier: CASHIER, manager: MANAGER } = env;
const p = env.unitProducts[12] ?? env.unitProducts[0]!;

/** Logs in, sells one item by card (brand, authorization), and opens the sale's detail in Vendas. */
async function cardSaleDetail(page: Page, who: { name: string; pin: string }, brand: string, authorization: string): Promise<void> {
  await open(page, env.host);
  await login(page, who.name, who.pin);
  await scan(page, gtinOf(p));
  await expect(page.getByTestId('item-count')).not.toHaveText('0');
  await page.keyboard.press('F10');
  await expect(page.getByTestId('pay-amount')).toBeFocused();
  await page.keyboard.type(formatBRL(p.priceCents).replace('R$ ', ''));
  await page.keyboard.press('F4');
  await expect(page.getByTestId('card-form')).toBeVisible();
  await page.getByTestId('card-brand').selectOption(brand);
  await page.getByTestId('card-auth').fill(authorization);
  await page.getByTestId('card-auth').press('Enter');
  await expect(page.getByTestId('pay-remaining')).toHaveAttribute('data-cents', '0');
  await page.keyboard.press('Enter');
  await lastSaleState(page, 'authorized');
  const saleId = (await page.getByTestId('sale-result').getAttribute('data-sale-id')) ?? '';
  await page.keyboard.press('F8');
  await page.locator(`[data-testid="history-row"][data-sale-id="${saleId}"]`).click();
  await expect(page.getByTestId('sale-detail')).toHaveAttribute('data-state', 'authorized');
}

test('conciliação financeira (ECONF) from Vendas, with the manager PIN', async ({ page }) => {
  await cardSaleDetail(page, CASHIER, '02', 'A1B2C3');
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

test('an ECONF whose answer was lost is resolved from Vendas with the protocol Focus shows', async ({ page }) => {
  await cardSaleDetail(page, MANAGER, '01', 'Z9Y8X7');
  // Focus registers the event, but its answer never comes back.
  await env.focus.set({ hang: { count: 1, afterCommit: true, match: { method: 'POST', pathPrefix: '/v2/nfce/' } } });
  await page.getByTestId('detail-econf').click();
  await page.getByTestId('econf-cnpj-1').fill('01.027.058/0001-91');
  await page.getByTestId('econf-confirm').click();
  const item = page.getByTestId('econf-item').last();
  await expect(item).toHaveAttribute('data-state', 'unknown', { timeout: 20_000 });
  await env.focus.reset();

  const note = (await env.focus.notes()).find((n) => (n.econf ?? []).some((e) => e.detalhes[0]?.numero_autorizacao === 'Z9Y8X7'))!;
  expect(note.econf).toHaveLength(1);
  await item.getByTestId('econf-resolve').click();
  await expect(page.getByTestId('econf-resolve-dialog')).toBeVisible();
  await expect(page.getByTestId('econf-resolve-check')).toBeDisabled();
  await page.getByTestId('econf-resolve-protocolo').fill('123456789');
  await page.getByTestId('econf-resolve-check').click();
  await expect(page.getByTestId('econf-resolve-error')).toContainText('não tem conciliação com o protocolo 123456789');
  await page.getByTestId('econf-resolve-protocolo').fill(note.econf![0]!.protocolo);
  await page.getByTestId('econf-resolve-check').click();
  await expect(page.getByTestId('detail-message')).toContainText(`Conciliação registrada (protocolo ${note.econf![0]!.protocolo})`, { timeout: 15_000 });
  await expect(page.getByTestId('econf-item').last()).toHaveAttribute('data-state', 'authorized');
  await expect(page.getByTestId('econf-resolve')).toHaveCount(0);
  expect((await env.focus.notes()).find((n) => n.ref === note.ref)?.econf).toHaveLength(1);
});
