// Emission live and what follows: a SEFAZ rejection explained in Portuguese and fixed by resending,
// reprint from the history, and cancelling inside the 30-minute window with its countdown.
// A real shop's profile: its token against the Focus sandbox process (faults through its admin API),
// its catalog, operators and network printer.
import { formatBRL } from '../../shared/money.ts';
import { expect, expectNoDemo, gtinOf, lastSaleState, login, open, payCashExact, scan, shot, test, useProfile } from './fixtures.ts';

const env = useProfile();
const { cashier: CASHIER, manager: MANAGER } = env;
const p = env.unitProducts[10] ?? env.unitProducts[0]!;

test.afterEach(async () => {
  await env.focus.reset();
});

test('a rejection shows the plain-language fix; resending from Vendas authorizes it', async ({ page }) => {
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  await env.focus.set({ reject: { count: 1, status_sefaz: '778', mensagem_sefaz: 'Rejeição: Informado NCM inexistente' } });

  await scan(page, gtinOf(p));
  await payCashExact(page);
  await lastSaleState(page, 'rejected');
  await expect(page.getByTestId('result-problem')).toBeVisible();
  await expect(page.getByTestId('result-chip')).toHaveText('Rejeitada');
  await shot(page, '09-rejected');
  // The next sale can start at once: the card does not hold the keyboard.
  await expect(page.getByTestId('code-input')).toBeFocused();

  const saleId = await page.getByTestId('sale-result').getAttribute('data-sale-id');
  await page.keyboard.press('F8');
  await expect(page.getByTestId('history-screen')).toBeVisible();
  const row = page.locator(`[data-testid="history-row"][data-sale-id="${saleId}"]`);
  await expect(row.getByTestId('history-chip')).toHaveText('Rejeitada');
  await row.click();
  await expect(page.getByTestId('detail-problem')).toBeVisible();
  await shot(page, '10-history-rejected-detail');
  await page.getByTestId('detail-resend').click();
  await expect(page.getByTestId('sale-detail')).toHaveAttribute('data-state', 'authorized', { timeout: 15_000 });
  await expect(row.getByTestId('history-chip')).toHaveText('Autorizada');
  await expectNoDemo(page);
});

test('a denied note is final: the history offers no "Reenviar nota" and F9 does nothing', async ({ page }) => {
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  await env.focus.set({ deny: { count: 1, status_sefaz: '302', mensagem_sefaz: 'Uso Denegado: Irregularidade fiscal do destinatário' } });
  await scan(page, gtinOf(p));
  await payCashExact(page);
  await lastSaleState(page, 'denied');
  const saleId = await page.getByTestId('sale-result').getAttribute('data-sale-id');
  await page.keyboard.press('F8');
  await page.locator(`[data-testid="history-row"][data-sale-id="${saleId}"]`).click();
  const detail = page.getByTestId('sale-detail');
  await expect(detail).toHaveAttribute('data-state', 'denied');
  await expect(page.getByTestId('detail-problem')).toBeVisible();
  await expect(page.getByTestId('detail-resend')).toHaveCount(0);
  await page.keyboard.press('F9');
  // F9 would have asked the core and shown its refusal; nothing happens instead.
  await expect(page.getByTestId('detail-error')).toHaveCount(0);
  await expect(page.getByTestId('detail-message')).toHaveCount(0);
  await expect(detail).toHaveAttribute('data-state', 'denied');
});

async function sellOneAndOpenInHistory(page: import('@playwright/test').Page): Promise<string> {
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  await scan(page, gtinOf(p));
  await payCashExact(page);
  await lastSaleState(page, 'authorized');
  const saleId = (await page.getByTestId('sale-result').getAttribute('data-sale-id')) ?? '';
  await page.keyboard.press('F8');
  await page.locator(`[data-testid="history-row"][data-sale-id="${saleId}"]`).click();
  await expect(page.getByTestId('sale-detail')).toHaveAttribute('data-state', 'authorized');
  return saleId;
}

test('cancel within the 30-minute window: live countdown, justificativa ≥ 15, manager PIN', async ({ page }) => {
  const saleId = await sellOneAndOpenInHistory(page);
  await expect(page.getByTestId('cancel-countdown')).toHaveText(/^[0-2]\d:\d\d$|^30:00$/);
  const left1 = Number(await page.getByTestId('cancel-countdown').getAttribute('data-left-ms'));
  expect(left1).toBeGreaterThan(25 * 60_000);
  // The countdown moves on its own (polled, not slept for).
  await expect.poll(async () => Number(await page.getByTestId('cancel-countdown').getAttribute('data-left-ms'))).toBeLessThan(left1);
  await shot(page, '11-history-detail');

  await page.getByTestId('detail-cancel').click();
  await expect(page.getByTestId('cancel-note-dialog')).toBeVisible();
  await expect(page.getByTestId('cancel-dialog-countdown')).toBeVisible();
  await page.getByTestId('cancel-justificativa').fill('erro');
  await page.getByTestId('cancel-pin').fill(MANAGER.pin);
  await page.getByTestId('cancel-confirm').click();
  await expect(page.getByTestId('cancel-error')).toContainText('15 letras');
  await page.getByTestId('cancel-justificativa').fill('Cliente desistiu da compra no caixa');
  await shot(page, '12-cancel-dialog');
  await page.getByTestId('cancel-confirm').click();
  await expect(page.getByTestId('sale-detail')).toHaveAttribute('data-state', 'cancelled', { timeout: 15_000 });
  await expect(page.locator(`[data-testid="history-row"][data-sale-id="${saleId}"]`).getByTestId('history-chip')).toHaveText('Cancelada');
  await expect(page.getByTestId('detail-cancel')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('checkout-screen')).toBeVisible();
  await expect(page.getByTestId('code-input')).toBeFocused();
});

test('reprint to the shop network printer (a real TCP socket) and the receipt preview from the history', async ({ page }) => {
  const printer = env.printer!;
  const start = printer.jobs.length;
  await sellOneAndOpenInHistory(page);
  // The drawer opened at payment and the receipt printed itself (two jobs); the reprint is one more.
  await expect.poll(() => printer.jobs.length).toBeGreaterThanOrEqual(start + 2);
  const before = printer.jobs.length;
  await page.keyboard.press('F4');
  // Printed only once the printer took the bytes: the screen follows the job, not the call.
  await expect.poll(() => printer.jobs.length).toBeGreaterThanOrEqual(before + 1);
  expect(printer.jobs.at(-1)!.bytes.length).toBeGreaterThan(200);
  await expect(page.getByTestId('detail-print-state')).toHaveAttribute('data-print-state', 'done', { timeout: 15_000 });
  await expect(page.getByTestId('detail-print-state')).toHaveText('Cupom impresso.');
  await page.keyboard.press('F5');
  await expect(page.getByTestId('detail-receipt')).toBeVisible();
  const html = await page.getByTestId('detail-receipt').getAttribute('srcdoc');
  expect(html).toContain('DANFE NFC-e - Documento Auxiliar da');
  expect(html).toContain('Protocolo de autorização');
  expect(html).toContain('Mercado São João');
  expect(await page.getByTestId('detail-receipt').getAttribute('sandbox')).toBe('');
  await expectNoDemo(page);
  await shot(page, '16-receipt-preview');
});

test('send the receipt by e-mail again from the history', async ({ page }) => {
  const saleId = await sellOneAndOpenInHistory(page);
  await page.keyboard.press('F7');
  await expect(page.getByTestId('email-dialog')).toBeVisible();
  await page.getByTestId('email-input').fill('cliente@exemplo');
  await page.getByTestId('email-input').press('Enter');
  await expect(page.getByTestId('email-error')).toContainText('não parece um e-mail');
  await page.getByTestId('email-input').fill('cliente@exemplo.com.br');
  await page.getByTestId('email-input').press('Enter');
  await expect(page.getByTestId('detail-message')).toHaveText('E-mail enviado.');
  const sent = await env.focus.emails();
  expect(JSON.stringify(sent)).toContain('cliente@exemplo.com.br');
  expect(saleId).not.toBe('');
});

test('history: today by default, search by número and by value, a bad date explained', async ({ page }) => {
  const saleId = Number(await sellOneAndOpenInHistory(page));
  const d = await env.host.core.handle('sales.get', { saleId });
  if (!d.ok) throw new Error(d.error.message);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('sale-detail')).toHaveCount(0);
  const rowsToday = await page.getByTestId('history-row').count();
  expect(rowsToday).toBeGreaterThan(0);

  await page.getByTestId('history-numero').fill(d.value.emission.numero ?? '');
  await page.getByTestId('history-search').click();
  await expect(page.getByTestId('history-row')).toHaveCount(1);
  await expect(page.getByTestId('history-row').first()).toHaveAttribute('data-sale-id', String(saleId));

  await page.getByTestId('history-numero').fill('');
  await page.getByTestId('history-value').fill(formatBRL(d.value.sale.totalCents).replace('R$ ', ''));
  await page.getByTestId('history-search').click();
  await expect(page.locator(`[data-testid="history-row"][data-sale-id="${saleId}"]`)).toBeVisible();

  await page.getByTestId('history-date').fill('31/02/2026');
  await page.getByTestId('history-search').click();
  await expect(page.getByTestId('history-error')).toContainText('dd/mm/aaaa');
});
