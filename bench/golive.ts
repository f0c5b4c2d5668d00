// bench:golive — what going live costs a shop:
//  - the "Abertura" pre-flight with Focus reachable (target ≤ 1 s) and with Focus unreachable
//    (a loopback port that accepts and never answers; target ≤ the probe timeout); both ask a
//    network printer for its paper and cover (the fake printer on loopback), and one run has a
//    printer that never answers the status request (bounded by the status timeout);
//  - PIN verification cost with the chosen scrypt parameters (offline guesses per second per core);
//  - informational: an empty data dir → the setup screens in Chromium → the first authorized sale.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from '@playwright/test';
import { BenchReport } from './lib/results.ts';
import { summarize } from './lib/stats.ts';
import { startHost } from '../main/host/launch.ts';
import { startSandbox } from '../main/sandbox/index.ts';
import { SANDBOX_EMITTER } from '../main/sandbox/demo.ts';
import { hashPin, verifyPin } from '../main/auth/pin-hash.ts';
import { PREFLIGHT_PROBE_MS } from '../main/core/handlers/preflight.ts';
import { demoCatalog } from '../main/demo/catalog.ts';
import { goLive } from '../test/e2e/golive-flow.ts';
import { startFakePrinter } from '../test/fixtures/fake-printer.ts';
import { STATUS_ANSWER_MS } from '../main/printing/status.ts';

process.env.BALCAO_KEY_DIR ??= join(tmpdir(), 'balcao-bench-keys');
process.env.BALCAO_KEYRING = 'off';
const report = new BenchReport('golive');
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'balcao-bench-golive-'));
  dirs.push(d);
  return d;
};

async function preflight(focusUrl: string, token: string, runs: number, printer: { host: string; port: number }): Promise<number[]> {
  const host = await startHost({
    dataDir: tmp(),
    rendererDir: tmp(),
    sandbox: 'none',
    log: () => {},
    token,
    focusUrl,
    emitter: SANDBOX_EMITTER,
    operators: [{ name: 'Ana', role: 'manager', pin: '4826' }],
  });
  try {
    const login = await host.core.handle('auth.login', { operatorId: 'ana', pin: '4826' });
    if (!login.ok) throw new Error(login.error.message);
    const set = await host.core.handle('settings.update', {
      managerPin: '4826',
      patch: { printer: { kind: 'network', host: printer.host, port: printer.port, width: 48, codePage: 'cp860', nativeQr: true, summary: false } },
    });
    if (!set.ok) throw new Error(set.error.message);
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const r = await host.core.handle('preflight.run', {});
      samples.push(performance.now() - t0);
      if (!r.ok) throw new Error(r.error.message);
    }
    return samples;
  } finally {
    await host.close();
  }
}

const sandbox = await startSandbox({ port: 0 });
const printer = await startFakePrinter();
// A Focus that accepts the connection and never answers (a blackholed link), on loopback only.
const held = new Set<Socket>();
const silent = createServer((s) => {
  held.add(s);
  s.on('error', () => {});
});
await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
const silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
try {
  const up = summarize(await preflight(sandbox.url, sandbox.tokens.homologacao, 20, printer));
  report.add('preflight_up_p50', up.p50, 'ms');
  report.add('preflight_up_max', up.max, 'ms');
  const mute = silent.address() as { port: number };
  const mutePrinter = summarize(await preflight(sandbox.url, sandbox.tokens.homologacao, 3, { host: '127.0.0.1', port: mute.port }));
  report.add('preflight_printer_silent_p50', mutePrinter.p50, 'ms');
  report.add('preflight_printer_status_timeout', STATUS_ANSWER_MS, 'ms');
  const down = summarize(await preflight(silentUrl, sandbox.tokens.homologacao, 3, printer));
  report.add('preflight_focus_unreachable_p50', down.p50, 'ms');
  report.add('preflight_focus_unreachable_max', down.max, 'ms');
  report.add('preflight_probe_timeout', PREFLIGHT_PROBE_MS, 'ms');

  const stored = await hashPin('4826');
  const n = 40;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await verifyPin(String(1000 + i), stored);
  const perGuess = (performance.now() - t0) / n;
  report.add('pin_verify', perGuess, 'ms');
  report.add('pin_offline_guesses_per_s_per_core', 1000 / perGuess, 'guesses/s');
  report.add('pin_4_digit_space_exhaust_one_core', (10_000 * perGuess) / 60_000, 'min');
  report.meta.pin = stored.split('$').slice(0, 4).join('$').replace('scrypt', 'scrypt N/r/p');

  // Informational: empty data dir → setup through the screens → first authorized sale.
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'pt-BR' });
    const t1 = performance.now();
    const host = await startHost({ dataDir: tmp(), sandbox: 'none', log: () => {} });
    try {
      await goLive(page, host, { url: sandbox.url, token: sandbox.tokens.homologacao, cnpj: sandbox.cnpj }, 'bench');
      // Abertura: the manager the setup logged in opens the register before the first sale.
      const opened = await host.core.handle('register.open', { amountText: '100,00' });
      if (!opened.ok) throw new Error(opened.error.message);
      const product = { ...demoCatalog().find((p) => p.gtin !== null && !p.weighed)!, id: 'meu-1' };
      const saved = await host.core.handle('catalog.update', { product });
      if (!saved.ok) throw new Error(saved.error.message);
      await page.keyboard.type(product.gtin!);
      await page.keyboard.press('Enter');
      await page.getByTestId('item-count').filter({ hasText: '1' }).waitFor();
      await page.keyboard.press('F10');
      await page.keyboard.press('F2');
      await page.getByTestId('pay-remaining').and(page.locator('[data-cents="0"]')).waitFor();
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="sale-result"][data-state="authorized"]').waitFor({ timeout: 30_000 });
      report.add('empty_dir_to_first_authorized_sale', (performance.now() - t1) / 1000, 's');
    } finally {
      await host.close();
    }
  } finally {
    await browser.close();
  }
} finally {
  for (const s of held) s.destroy();
  silent.close();
  await sandbox.close();
  await printer.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
console.log(`results: ${report.write()}`);
