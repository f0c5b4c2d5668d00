// The register through the UI: a closed till refuses to sell and says how to open it; abertura with
// the float; a sangria above the drawer is refused, a valid one needs the manager; the X for the
// manager; the blind closing (no expected amounts for the cashier) with the comparison and the Z.
import { test, expect, useProfile, open, login, scan, gtinOf, payCashExact, lastSaleState } from './fixtures.ts';

// A real shop's profile whose register is still closed.
const h = useProfile('real', {}, { openRegister: false });
const { cashier: CASHIER, manager: MANAGER } = h;

test('open, sangria, X, blind close with Z', async ({ page }) => {
  await open(page, h.host);
  await login(page, CASHIER.name, CASHIER.pin);
  await expect(page.getByTestId('register-closed-line')).toBeVisible();

  // Abertura (PageUp, the default key of the register screen): a wrong amount is refused in Portuguese, then R$ 150,00.
  await page.keyboard.press('PageUp');
  await expect(page.getByTestId('register-screen')).toHaveAttribute('data-open', 'false');
  await page.getByTestId('open-amount').fill('15,555');
  await page.getByTestId('open-submit').click();
  await expect(page.getByRole('alert')).toContainText('não é um valor');
  // The shop's printer (a real TCP socket on loopback) says its roll is near the end: the register
  // opens all the same, and the cashier reads it.
  h.printer!.setStatus({ paperNearEnd: true });
  await page.getByTestId('open-amount').fill('150,00');
  await page.getByTestId('open-submit').click();
  await expect(page.getByTestId('register-screen')).toHaveAttribute('data-open', 'true');
  await expect(page.getByTestId('register-message')).toContainText('R$ 150,00');
  await expect(page.getByTestId('register-printer')).toHaveAttribute('data-code', 'paper_near_end');
  await expect(page.getByTestId('register-printer')).toContainText('Pouco papel');
  h.printer!.setStatus({});

  // One cash sale.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('register-closed-line')).toHaveCount(0);
  const p = h.unitProducts[0]!;
  await scan(page, gtinOf(p));
  await payCashExact(page);
  await lastSaleState(page, 'authorized');

  // Sangria larger than the drawer: refused after the manager's PIN, nothing recorded.
  await page.keyboard.press('PageUp');
  await page.getByTestId('register-sangria').click();
  await page.getByTestId('movement-amount').fill('5000');
  await page.getByTestId('movement-reason').fill('Depósito');
  await page.getByTestId('movement-submit').click();
  await page.getByTestId('manager-pin-input').fill(MANAGER.pin);
  await page.getByTestId('manager-pin-input').press('Enter');
  await expect(page.getByRole('alert').first()).toContainText('maior que o dinheiro no caixa');
  await page.getByTestId('movement-amount').fill('100,00');
  await page.getByTestId('movement-submit').click();
  await page.getByTestId('manager-pin-input').fill(MANAGER.pin);
  await page.getByTestId('manager-pin-input').press('Enter');
  await expect(page.getByTestId('register-message')).toContainText('Sangria de R$ 100,00 registrado');

  // X (manager): the sale and the expected cash.
  await page.getByTestId('register-x').click();
  await page.getByTestId('manager-pin-input').fill(MANAGER.pin);
  await page.getByTestId('manager-pin-input').press('Enter');
  await expect(page.getByTestId('report-X')).toHaveAttribute('data-sales-cents', String(p.priceCents));

  // Blind closing: the cashier's form shows no expected amount; a negative count is refused.
  await page.getByRole('button', { name: 'Voltar', exact: true }).click();
  await page.getByTestId('register-close').click();
  await expect(page.getByTestId('close-form')).not.toContainText('Esperado');
  await page.getByTestId('count-5000').fill('-1');
  await page.getByTestId('close-submit').click();
  await expect(page.getByRole('alert').first()).toContainText('não pode ser negativa');
  await page.getByTestId('count-5000').fill('1');
  await page.getByTestId('count-2000').fill('1');
  await page.getByTestId('close-submit').click();
  await page.getByTestId('manager-pin-input').fill(MANAGER.pin);
  await page.getByTestId('manager-pin-input').press('Enter');
  await expect(page.getByTestId('register-closed-result')).toBeVisible();
  const expectedCash = 15_000 - 10_000 + p.priceCents;
  await expect(page.getByTestId('closing-cash')).toHaveAttribute('data-diff', String(7_000 - expectedCash));
  await expect(page.getByTestId('report-Z')).toContainText('Redução Z nº 1');

  // Closed again: selling is refused until the next abertura.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('register-closed-line')).toBeVisible();

  // The kept Z: listed on the register screen and seen again (the manager approves each look).
  await page.keyboard.press('PageUp');
  await page.getByTestId('register-closings').click();
  await page.getByTestId('manager-pin-input').fill(MANAGER.pin);
  await page.getByTestId('manager-pin-input').press('Enter');
  await expect(page.getByTestId('closing-row')).toHaveCount(1);
  await page.getByTestId('z-open-1').click();
  await page.getByTestId('manager-pin-input').fill(MANAGER.pin);
  await page.getByTestId('manager-pin-input').press('Enter');
  await expect(page.getByTestId('report-Z')).toContainText('Redução Z nº 1');
  await expect(page.getByTestId('report-Z')).toHaveAttribute('data-sales-cents', String(p.priceCents));
});

test('the Abertura asks the printer itself: paper out, cover open, not answering', async ({ page }) => {
  await open(page, h.host);
  await login(page, MANAGER.name, MANAGER.pin);
  await page.keyboard.press('F1');
  await page.getByTestId('open-opening').click();
  const check = page.getByTestId('check-printer');
  for (const [status, level, words] of [
    [{ paperOut: true }, 'red', 'Sem papel'],
    [{ coverOpen: true }, 'red', 'Tampa aberta'],
    [{ paperNearEnd: true }, 'yellow', 'Pouco papel'],
    [{}, 'green', 'Impressora pronta'],
  ] as const) {
    h.printer!.setStatus(status);
    await page.getByTestId('preflight-run').click();
    await expect(check).toHaveAttribute('data-level', level);
    await expect(check).toContainText(words);
  }
});
