// The manager's reports through the UI at 1024×768: today's sales, sangria and suprimento, the
// numbering per série and the charts come from the journal; nothing is cut or scrolls sideways;
// the CSV of the sales speaks pt-BR (dd/mm/aaaa, decimal comma); the terminal filter offers the shop's lane;
// the accountant's month comes out of one button as a zip with every note's XML and the summaries.
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { test, expect, useProfile, expectNoDemo, open, login, scan, gtinOf, payCashExact, lastSaleState } from './fixtures.ts';

// A real shop's profile: its token against the Focus sandbox process, its own operators and catalog.
const h = useProfile();

test('day report: figures, movements, numbering and CSV at 1024×768', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await open(page, h.host);
  await login(page, h.manager.name, h.manager.pin);
  const [a, b] = [h.unitProducts[0]!, h.unitProducts[1]!];
  for (const p of [a, b]) {
    await scan(page, gtinOf(p));
    await payCashExact(page);
    await lastSaleState(page, 'authorized');
  }
  // A suprimento and a sangria, through the core's channel as the register screen sends them.
  for (const [kind, amountText] of [
    ['suprimento', '50,00'],
    ['sangria', '20,00'],
  ] as const) {
    const r = await h.host.core.handle('register.movement', { clientId: `e2e-${kind}-01`, kind, amountText, reason: 'Teste do relatório' });
    expect(r.ok, JSON.stringify(r)).toBe(true);
  }

  await page.keyboard.press('PageDown');
  await expect(page.getByTestId('reports-screen')).toBeVisible();
  await expect(page.getByTestId('period-sales')).toHaveAttribute('data-cents', String(a.priceCents + b.priceCents));
  await expect(page.getByTestId('period-suprimentos')).toHaveAttribute('data-cents', '5000');
  await expect(page.getByTestId('period-sangrias')).toHaveAttribute('data-cents', '2000');
  await expect(page.getByTestId('period-sangrias')).toHaveText('R$ 20,00');
  await expect(page.getByTestId('period-numbering')).toContainText(/Série 1: nº \d+ a \d+ \(2\)/);
  await expect(page.getByTestId('chart-methods')).toContainText('Dinheiro');
  await expect(page.getByTestId('chart-products')).toContainText(a.description);

  // 1024×768: no sideways scroll, and no card cuts its figure.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
  const cut = await page
    .locator('.report-cards .card > *')
    .evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent ?? ''));
  expect(cut).toEqual([]);
  await expectNoDemo(page);

  // One terminal's figures: the shop's only lane is offered, and its report is the whole day's.
  const terminal = page.getByTestId('report-terminal');
  await expect(terminal.locator('option')).toHaveText(['Todos os caixas', 'CX01']);
  await terminal.selectOption('CX01');
  await page.getByTestId('report-load').click();
  await expect(page.getByTestId('period-sales')).toHaveAttribute('data-cents', String(a.priceCents + b.priceCents));
  await expect(page.getByTestId('period-sangrias')).toHaveAttribute('data-cents', '2000');

  // The sales list as CSV: a line per sale, dates in dd/mm/aaaa, money with a decimal comma.
  const download = page.waitForEvent('download');
  await page.getByTestId('csv-sales').click();
  expect((await download).suggestedFilename()).toMatch(/^balcao-sales-CX01-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync(await (await download).path(), 'utf8');
  const lines = csv.trim().split('\r\n');
  expect(lines[0]).toContain('Data e hora');
  expect(lines).toHaveLength(3);
  expect(lines[1]).toMatch(/;\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2};/);
  expect(lines.some((l) => l.endsWith(`;${Math.floor(a.priceCents / 100)},${String(a.priceCents % 100).padStart(2, '0')}`))).toBe(true);

  // The accountant's month: one button, a zip holding both notes' XMLs, the summaries and the LEIAME.
  const now = new Date();
  const month = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
  await page.getByTestId('month-input').fill(month);
  await page.getByTestId('month-export').click();
  const result = page.getByTestId('month-result');
  await expect(result).toContainText('2 notas autorizadas, 0 canceladas');
  const zipPath = (await result.locator('code').textContent()) ?? '';
  const names = Object.keys(unzipSync(readFileSync(zipPath))).sort();
  expect(names.filter((n) => /^autorizadas\/\d{44}-nfe\.xml$/.test(n))).toHaveLength(2);
  expect(names).toEqual(expect.arrayContaining(['LEIAME.txt', 'resumo/resumo-por-dia.csv', 'resumo/resumo-por-pagamento.csv', 'resumo/resumo.pdf']));
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
});
