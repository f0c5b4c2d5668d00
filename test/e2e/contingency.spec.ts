// Offline contingency through the real UI, in a real shop's profile against the Focus sandbox
// process and its fault controls (its admin API):
// SEFAZ down (Focus's automatic contingency), then the shop's link down without and with the A1
// certificate. One host for the file; the tests run in this order because the certificate is
// imported in the last one and the authorization deadline is lowered in the second.
import type { Locator, Page } from '@playwright/test';
import { formatChave } from '../../shared/fiscal/chave.ts';
import { makeTestCertificate } from '../unit/main/contingency/test-certificate.ts';
import { SHOP, expect, expectNoDemo, gtinOf, login, open, scan, shot, test, useProfile } from './fixtures.ts';

test.describe.configure({ mode: 'serial' });

// Short engine deadlines so a black-holed link is noticed in seconds, not minutes (the cashier's
// own wait is the authorization deadline, lowered to its 3 s minimum in the settings below).
const env = useProfile('real', { engine: { emitDeadlineMs: 6_000, queryDeadlineMs: 2_000, retryBaseMs: 100, retryMaxMs: 500, processingPollMs: 100 } });

const { cashier: CASHIER, manager: MANAGER } = env;
const products = env.unitProducts.slice(30, 36);
function product(i: number) {
  const p = products[i] ?? env.unitProducts[i];
  if (!p) throw new Error('demo catalog too small');
  return p;
}

function occurrences(text: string, word: string): number {
  return text.split(word).length - 1;
}

const receiptBody = (page: Page): Locator => page.frameLocator('[data-testid="result-receipt"]').locator('body');

/** One item, paid in cash; waits for the till to be free again (up to the authorization deadline). */
async function sellOne(page: Page, i: number): Promise<number> {
  const card = page.getByTestId('sale-result');
  const before = (await card.count()) > 0 ? await card.getAttribute('data-sale-id') : null;
  await scan(page, gtinOf(product(i)));
  await expect(page.getByTestId('item-count')).toHaveText('1');
  await page.keyboard.press('F10');
  await expect(page.getByTestId('payment-screen')).toBeVisible();
  await page.keyboard.press('F2');
  await expect(page.getByTestId('pay-remaining')).toHaveAttribute('data-cents', '0');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('checkout-screen')).toBeVisible({ timeout: 10_000 });
  await expect(card).not.toHaveAttribute('data-sale-id', before ?? '-');
  return Number(await card.getAttribute('data-sale-id'));
}

async function openPanel(page: Page): Promise<void> {
  await login(page, MANAGER.name, MANAGER.pin);
  await page.keyboard.press('F9');
  await expect(page.getByTestId('contingency-panel')).toBeVisible();
}

async function historyChip(page: Page, saleId: number): Promise<Locator> {
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('checkout-screen')).toBeVisible();
  await page.keyboard.press('F8');
  await expect(page.getByTestId('history-screen')).toBeVisible();
  return page.locator(`[data-testid="history-row"][data-sale-id="${saleId}"]`).getByTestId('history-chip');
}

async function detail(saleId: number) {
  const d = await env.host.core.handle('sales.get', { saleId });
  if (!d.ok) throw new Error(d.error.message);
  return d.value;
}

/** The printed chave, read back from the receipt preview (it is split over two lines there). */
async function printedChave(page: Page): Promise<string> {
  const text = (await receiptBody(page).innerText()).replace(/\s+/g, ' ');
  const m = /((?:\d{4} ){10}\d{4})/.exec(text);
  if (!m?.[1]) throw new Error(`no chave on the receipt:\n${text}`);
  return m[1].replace(/ /g, '');
}

test.afterEach(async () => {
  // Whatever happened, the next test starts with a healthy link.
  await env.focus.set({ sefazDown: false, dropConnections: false });
});

test('SEFAZ down: contingency receipt in two copies, counted and listed; after heal "Enviar agora" settles it as Autorizada', async ({ page }) => {
  const sb = env.focus;
  await sb.set({ sefazDown: true });
  await open(page, env.host);
  await login(page, CASHIER.name, CASHIER.pin);
  const saleId = await sellOne(page, 0);

  await expect(page.getByTestId('sale-result')).toHaveAttribute('data-state', 'contingency_focus');
  await expect(page.getByTestId('result-chip')).toHaveText('Contingência (Focus)');
  await expect(page.getByTestId('sale-result')).toContainText('a SEFAZ está fora do ar');
  const receipt = receiptBody(page);
  await expect(receipt).toContainText('EMITIDA EM CONTINGÊNCIA');
  const text = await receipt.innerText();
  // Two copies, each with the contingency messages, as the receipt model prints them.
  expect(occurrences(text, 'EMITIDA EM CONTINGÊNCIA')).toBe(2);
  expect(occurrences(text, 'Pendente de autorização')).toBe(2);
  expect(occurrences(text, 'Via Consumidor')).toBe(1);
  expect(occurrences(text, 'Via Estabelecimento')).toBe(1);
  const chave = await printedChave(page);
  expect(chave[34]).toBe('9'); // tpEmis 9
  await expect(page.getByTestId('contingency-chip')).toHaveText(/^Contingência: 1 · prazo em 2[34]h\d\d$/);
  await expect(page.getByTestId('code-input')).toBeFocused();
  await shot(page, '20-contingency-receipt');
  await expectNoDemo(page);

  await openPanel(page);
  const row = page.getByTestId('contingency-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-urgency', 'ok');
  await expect(row.getByTestId('state-chip')).toHaveText('Contingência (Focus)');
  await expect(row).toContainText(formatChave(chave));
  await expect(row).toContainText(/há \d\d:\d\d/);
  await expect(row.getByTestId('contingency-countdown')).toHaveText(/^faltam 2[34]h\d\dmin$/);

  // SEFAZ is back and Focus effectivates its contingency notes; the manager does not wait for the
  // background follow-up.
  await sb.set({ sefazDown: false });
  const healed = await sb.heal();
  expect(healed.length).toBeGreaterThanOrEqual(1);
  await page.getByTestId('contingency-send').click();
  await expect(page.getByTestId('contingency-message')).toBeVisible();
  await expect(page.getByTestId('contingency-empty')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('contingency-chip')).toHaveText('Contingência: 0');

  await expect(await historyChip(page, saleId)).toHaveText('Autorizada', { timeout: 10_000 });
  const d = await detail(saleId);
  expect(d.emission.state).toBe('authorized');
  expect(d.emission.chave).toBe(chave);
  const note = (await sb.notes()).find((n) => n.chave === chave);
  expect(note?.status).toBe('autorizado');
  expect(note?.contingency).not.toBeNull();
});

test('link down without the A1 certificate: the sale stays pending with the explanation, never a receipt; sent normally when the link returns', async ({
  page,
}) => {
  const sb = env.focus;
  await open(page, env.host);
  await login(page, MANAGER.name, MANAGER.pin);
  await page.keyboard.press('F1');
  await expect(page.getByTestId('certificate-info')).toContainText('Nenhum certificado importado');
  await page.getByTestId('settings-deadline').fill('3');
  await page.getByTestId('save-operation').click();
  // The manager typed their PIN a moment ago to log in: not asked again within the grace window.
  await expect(page.getByTestId('operation-message')).toHaveText('Configurações de operação salvas.');
  await page.keyboard.press('Escape');

  await login(page, CASHIER.name, CASHIER.pin);
  await sb.set({ dropConnections: true });
  // The POST leaves and nothing comes back: at the deadline the sale cannot go offline.
  const first = await sellOne(page, 1);
  await expect(page.getByTestId('result-problem')).toContainText('importe o certificado A1');
  await expect(page.getByTestId('result-receipt')).toHaveCount(0);
  await expect(page.getByTestId('link-chip')).toHaveAttribute('data-link', 'offline', { timeout: 15_000 });

  // Known offline: the next sale does not even try; it is parked for the manager at once.
  const second = await sellOne(page, 2);
  await expect(page.getByTestId('sale-result')).toHaveAttribute('data-state', 'blocked');
  await expect(page.getByTestId('result-chip')).toHaveText('Pendente — ação do gerente');
  await expect(page.getByTestId('result-problem')).toContainText('Emissão offline indisponível');
  await expect(page.getByTestId('result-problem')).toContainText('importe o certificado A1');
  await expect(page.getByTestId('result-receipt')).toHaveCount(0);
  await expect(page.getByTestId('result-print')).toHaveCount(0);
  await expect(page.getByTestId('link-chip')).toHaveText('Internet: offline');
  await expect(page.getByTestId('pending-chip')).toHaveText('Notas pendentes: 2');
  await shot(page, '22-contingency-blocked');

  await openPanel(page);
  // Both sales are listed (the first one's POST had left: it keeps its state, with the same
  // explanation); neither has a number nor runs against the 24-hour limit of a contingency note.
  const rows = page.getByTestId('contingency-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1).getByTestId('state-chip')).toHaveText('Pendente — ação do gerente');
  for (const [i, id] of [first, second].entries()) {
    const row = rows.nth(i);
    await expect(row).toContainText(`Venda ${id}`);
    await expect(row).toContainText('sem nota emitida ainda');
    await expect(row.getByTestId('contingency-problem')).toContainText('importe o certificado A1');
    await expect(row.getByTestId('contingency-countdown')).toHaveText('—');
  }
  await expect(page.getByTestId('contingency-offline')).toBeVisible();
  await shot(page, '23-contingency-panel-blocked');
  for (const id of [first, second]) {
    const d = await detail(id);
    expect(d.attempts.some((a) => a.chave?.[34] === '9')).toBe(false);
  }

  // The cable is back: both are sent normally (no contingency note was ever made).
  await sb.set({ dropConnections: false });
  await expect(page.getByTestId('contingency-empty')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('pending-chip')).toHaveText('Notas pendentes: 0', { timeout: 20_000 });
  for (const id of [first, second]) {
    await expect.poll(async () => (await detail(id)).emission.state, { timeout: 10_000 }).toBe('authorized');
    const d = await detail(id);
    expect(d.emission.chave?.[34]).toBe('1');
    expect(d.emission.problem).toBeNull();
    expect((await sb.notes()).find((n) => n.chave === d.emission.chave)?.offline).toBe(false);
  }
  await expect(page.getByTestId('link-chip')).toHaveAttribute('data-link', 'online');
});

test('manual offline contingency: certificate imported, link down, receipt printed at once; "Enviar agora" transmits it offline with the printed chave', async ({
  page,
}) => {
  const sb = env.focus;
  const cert = makeTestCertificate({ cnpj: sb.cnpj, name: SHOP.name.toUpperCase(), bits: 1024 });
  await open(page, env.host);
  await login(page, MANAGER.name, MANAGER.pin);
  await page.keyboard.press('F1');
  await page.getByTestId('certificate-file').setInputFiles({ name: 'loja.pfx', mimeType: 'application/x-pkcs12', buffer: Buffer.from(cert.pfx) });
  await page.getByTestId('certificate-password').fill(cert.password);
  await page.getByTestId('certificate-import').click();
  await expect(page.getByTestId('certificate-message')).toHaveText('Certificado importado.');
  const settings = await env.host.core.handle('settings.get', {});
  if (!settings.ok) throw new Error(settings.error.message);
  const contSerie = String(Number(settings.value.contingencySerie));
  await page.keyboard.press('Escape');

  await login(page, CASHIER.name, CASHIER.pin);
  await expect(page.getByTestId('link-chip')).toHaveAttribute('data-link', 'online');
  await sb.set({ dropConnections: true });

  // The link falls silently: the cashier waits the deadline, then gets the contingency receipt.
  const first = await sellOne(page, 3);
  await expect(page.getByTestId('sale-result')).toHaveAttribute('data-state', 'contingency');
  await expect(page.getByTestId('result-chip')).toHaveText('Contingência');
  await expect(page.getByTestId('result-note')).toContainText(`série ${contSerie}`);
  await expect(receiptBody(page)).toContainText('EMITIDA EM CONTINGÊNCIA');
  const text = await receiptBody(page).innerText();
  expect(occurrences(text, 'EMITIDA EM CONTINGÊNCIA')).toBe(2);
  expect(occurrences(text, 'Via Consumidor')).toBe(1);
  expect(occurrences(text, 'Via Estabelecimento')).toBe(1);
  const chave1 = await printedChave(page);
  expect(chave1[34]).toBe('9');
  await expect(page.getByTestId('result-chave')).toHaveText(formatChave(chave1));
  await expect(page.getByTestId('link-chip')).toHaveAttribute('data-link', 'offline', { timeout: 15_000 });

  // Known offline: the next sale goes to contingency at once, without a POST.
  const second = await sellOne(page, 4);
  await expect(page.getByTestId('sale-result')).toHaveAttribute('data-state', 'contingency');
  await expect(receiptBody(page)).toContainText('EMITIDA EM CONTINGÊNCIA');
  const chave2 = await printedChave(page);
  expect(chave2).not.toBe(chave1);
  const d2 = await detail(second);
  expect(d2.attempts.map((a) => a.state)).toEqual(['superseded', 'contingency']);
  await expect(page.getByTestId('contingency-chip')).toHaveText(/^Contingência: 2 · prazo em 2[34]h\d\d$/);

  await openPanel(page);
  const rows = page.getByTestId('contingency-row');
  await expect(rows).toHaveCount(2);
  for (const [i, chave] of [chave1, chave2].entries()) {
    const row = rows.nth(i);
    await expect(row).toContainText(formatChave(chave));
    await expect(row).toContainText(`série ${contSerie}`);
    await expect(row.getByTestId('state-chip')).toHaveText('Contingência');
    await expect(row.getByTestId('contingency-countdown')).toHaveText(/^faltam 2[34]h\d\dmin$/);
  }
  await expect(page.getByTestId('contingency-offline')).toContainText('assim que a internet voltar');
  await shot(page, '21-contingency-panel-notes');

  // The link comes back; the manager sends the backlog now.
  await sb.set({ dropConnections: false });
  await page.getByTestId('contingency-send').click();
  await expect(page.getByTestId('contingency-message')).toBeVisible();
  await expect(page.getByTestId('contingency-empty')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('contingency-chip')).toHaveText('Contingência: 0');
  await expect(page.getByTestId('link-chip')).toHaveAttribute('data-link', 'online');
  await expect(page.getByTestId('contingency-offline')).toHaveCount(0);

  for (const [saleId, chave] of [
    [first, chave1],
    [second, chave2],
  ] as const) {
    const d = await detail(saleId);
    expect(d.emission.state).toBe('authorized');
    expect(d.emission.chave).toBe(chave);
    expect(d.emission.problem).toBeNull();
    const note = (await sb.notes()).find((n) => n.ref === d.emission.ref);
    expect(note?.offline).toBe(true); // forma_emissao=offline
    expect(note?.status).toBe('autorizado');
    expect(note?.chave).toBe(chave); // Focus built the very chave that was printed
    expect(String(note?.serie)).toBe(contSerie);
    expect(note?.dataEmissao).toBe(d.sale.createdAt);
  }
  await expect(await historyChip(page, first)).toHaveText('Autorizada');
  await expect(page.locator(`[data-testid="history-row"][data-sale-id="${second}"]`).getByTestId('history-chip')).toHaveText('Autorizada');
});
