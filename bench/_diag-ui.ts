// TEMPORARY diagnostic (deleted before handing in).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { startHost } from '../main/host/launch.ts';
import { demoCatalog } from '../main/demo/catalog.ts';

const products = demoCatalog().filter((p) => p.gtin && !p.weighed);
const dataDir = mkdtempSync(join(tmpdir(), 'balcao-diag-'));
const host = await startHost({ dataDir, port: 0, sandbox: 'builtin', sandboxLatencyMs: 0, log: () => {} });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
page.on('console', (m) => console.log('console:', m.type(), m.text().slice(0, 200)));
await page.goto(host.url);
await page.locator('[data-testid="operator-option"][data-operator="Caixa 1"]').click();
await page.getByTestId('pin-input').fill('1234');
await page.getByTestId('pin-input').press('Enter');
await page.waitForSelector('[data-testid="checkout-screen"]');
const cdp = await page.context().newCDPSession(page);
async function heap() { for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage'); return ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize / 1048576; }
const steps: Record<string, number> = {};
const t = (k: string, v: number) => (steps[k] = (steps[k] ?? 0) + v);
async function sell(g: string[]) {
  let a = performance.now();
  for (const x of g) { await page.keyboard.type(x); await page.keyboard.press('Enter'); }
  await page.waitForFunction((n) => document.querySelector('[data-testid="item-count"]')?.textContent === String(n), g.length);
  t('scan', performance.now() - a); a = performance.now();
  await page.keyboard.press('F10');
  await page.waitForSelector('[data-testid="payment-screen"]');
  t('f10', performance.now() - a); a = performance.now();
  await page.keyboard.press('F2');
  await page.waitForSelector('[data-testid="pay-remaining"][data-cents="0"]');
  t('f2', performance.now() - a); a = performance.now();
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="checkout-screen"] [data-testid="item-list"][data-count="0"]');
  t('finalize', performance.now() - a);
}
const N = Number(process.env.N ?? 100);
for (let round = 0; round < 4; round++) {
  for (let i = 0; i < N; i++) await sell([products[i % 50]!.gtin!, products[(i + 1) % 50]!.gtin!]);
  console.log(`after ${(round + 1) * N}: heap ${(await heap()).toFixed(2)} MB`, Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, (v / ((round + 1) * N)).toFixed(1)])));
}
if (process.env.SNAP) {
  const chunks: string[] = [];
  cdp.on('HeapProfiler.addHeapSnapshotChunk', (e: { chunk: string }) => chunks.push(e.chunk));
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  writeFileSync('/tmp/ui.heapsnapshot', chunks.join(''));
}
await browser.close(); await host.close(); rmSync(dataDir, { recursive: true, force: true });
