// bench:ui — the checkout in Debian Chromium against the real browser host (core, journal, built-in
// sandbox) with a 100,000-product catalog:
//   scan → line rendered (Enter keydown → React commit seen by a MutationObserver, and → next frame)
//   search keystroke → results rendered
//   cold load → ready for sale (code field focused, operator already logged in)
//   renderer heap after 2,000 sales in one shift vs after 100
//   the queue with Focus answering in 400 ms, in 4 s, and silently dropping (deadline 15 s):
//     last payment key → code field ready for the next scan, and → receipt bytes at a loopback
//     fake printer; scan → line while three earlier sales are still authorizing
//   cold load at 1024×768, and the browser's floor under it (an empty page; one bootstrap round trip)
// Timing is taken inside the page with performance.now(); Playwright only types.
//
// The default run is sized to finish in a few minutes on a shared machine; the full sizes are
// behind env: BENCH_UI_CATALOG (100000), BENCH_UI_SCANS (100; full 300), BENCH_UI_SALES (200; full
// 2000), BENCH_UI_SEARCH_ROUNDS (2; full 4), BENCH_UI_QUEUE_SALES (10; full 20), BENCH_UI_BUSY_ROUNDS (3; full 5), BENCH_UI_COLD (7).
// BENCH_UI_BEFORE=<a built renderer dir> runs the queue and cold-load phases on that build too, in
// the same run, interleaved with this one (figures suffixed _before): before/after at one load.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { DEFAULT_RENDERER_DIR, startHost } from '../main/host/launch.ts';
import { demoCatalog } from '../main/demo/catalog.ts';
import { withCheckDigit } from '../main/catalog/gtin.ts';
import type { Product } from '../shared/sale.ts';
import { BenchReport } from './lib/results.ts';
import { summarize } from './lib/stats.ts';
import { DISABLED_CHROMIUM_FEATURES } from '../main/chromium-features.ts';
import { cancelSale, launchChromium, loginAs, measureSearch, prepareTill, probes, sell, waitCount, waitIdle, waitSel } from './lib/ui-probes.ts';
import { startFakePrinter } from '../test/fixtures/fake-printer.ts';
import { makeTestCertificate } from '../test/unit/main/contingency/test-certificate.ts';

const CATALOG_SIZE = Number(process.env.BENCH_UI_CATALOG ?? 100_000);
const SCANS = Number(process.env.BENCH_UI_SCANS ?? 100);
const SALES = Number(process.env.BENCH_UI_SALES ?? 200);
const SEARCH_ROUNDS = Number(process.env.BENCH_UI_SEARCH_ROUNDS ?? 2);
const BASELINE_SALES = 100;
const COLD_LOADS = Number(process.env.BENCH_UI_COLD ?? 7);
const QUEUE_SALES = Number(process.env.BENCH_UI_QUEUE_SALES ?? 10);
const BUSY_ROUNDS = Number(process.env.BENCH_UI_BUSY_ROUNDS ?? 3);
const BEFORE_DIR = process.env.BENCH_UI_BEFORE ?? null;
// BENCH_UI_ONLY=queue,cold runs only those phases (checkout = scans, search and the shift's heap).
const ONLY = process.env.BENCH_UI_ONLY ? new Set(process.env.BENCH_UI_ONLY.split(',')) : null;
const runs = (phase: 'checkout' | 'queue' | 'cold') => ONLY === null || ONLY.has(phase);

/**
 * The host serves the renderer from disk on every request, so the bench serves a copy it can swap:
 * the build under test ('after', dist/renderer) or an earlier build ('before').
 */
class ServedRenderer {
  readonly dir = mkdtempSync(join(tmpdir(), 'balcao-bench-ui-renderer-'));
  serve(from: string): void {
    for (const f of readdirSync(this.dir)) rmSync(join(this.dir, f), { recursive: true, force: true });
    cpSync(from, this.dir, { recursive: true });
  }
}
interface Variant {
  name: 'after' | 'before' | 'floor';
  dir: string;
  suffix: string;
}
const variants = (): Variant[] => [
  ...(BEFORE_DIR ? [{ name: 'before' as const, dir: BEFORE_DIR, suffix: '_before' }] : []),
  { name: 'after' as const, dir: DEFAULT_RENDERER_DIR, suffix: '' },
];

/**
 * The browser's share of the cold load, before any of our code: two pages served by the same host
 * in the same fresh contexts. 'empty' focuses a bare code field from a module script; 'bootstrap'
 * first asks the core for the session over POST, then focuses it — the round trip the checkout made
 * before the host's page carried the answer (main/host/server.ts), kept to show what that saves.
 */
function floorVariants(): Variant[] {
  const root = mkdtempSync(join(tmpdir(), 'balcao-bench-ui-floor-'));
  const page = (name: string, script: string): Variant => {
    const dir = join(root, name);
    mkdirSync(join(dir, 'assets'), { recursive: true });
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><html lang="pt-BR"><head><meta charset="UTF-8" /><script type="module" src="./assets/floor.js"></script></head>' +
        '<body><input data-testid="code-input" /></body></html>',
    );
    writeFileSync(join(dir, 'assets', 'floor.js'), script);
    return { name: 'floor', dir, suffix: `_floor_${name}` };
  };
  return [
    page('empty', "document.querySelector('input').focus();\n"),
    page(
      'bootstrap',
      "fetch('./api/session.bootstrap', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })\n" +
        "  .then((r) => r.json())\n  .then((b) => b.ok && document.querySelector('input').focus());\n",
    ),
  ];
}

/** Bytes of the scripts index.html loads at start (entry + modulepreload), and of all scripts. */
function startupBytes(dir: string): { startup: number; all: number } {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const named = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const all = readdirSync(join(dir, 'assets')).filter((f) => f.endsWith('.js'));
  return {
    startup: named.reduce((n, f) => n + statSync(join(dir, f)).size, 0),
    all: all.reduce((n, f) => n + statSync(join(dir, 'assets', f)).size, 0),
  };
}

/** 100k products shaped like the demo shop's (same words, so searches hit realistic sets). */
function bigCatalog(n: number): Product[] {
  const base = demoCatalog().filter((p) => !p.weighed);
  const out: Product[] = [];
  for (let i = 0; i < n; i++) {
    const t = base[i % base.length]!;
    const lot = Math.floor(i / base.length);
    out.push({
      ...t,
      id: `B${String(i).padStart(7, '0')}`,
      code: String(500_000 + i),
      gtin: withCheckDigit(`78${String(i).padStart(10, '0')}`),
      description: lot === 0 ? t.description : `${t.description} L${lot}`,
    });
  }
  return out;
}

async function heapUsed(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
  const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.detach();
  return usage.usedSize;
}

async function main(): Promise<void> {
  const report = new BenchReport('ui');
  // The machine is shared: every run says how busy it was, at the start and at the end.
  report.add('load_avg_1m_start', loadavg()[0]!);
  const dataDir = mkdtempSync(join(tmpdir(), 'balcao-bench-ui-'));
  const products = bigCatalog(CATALOG_SIZE);
  const served = new ServedRenderer();
  served.serve(DEFAULT_RENDERER_DIR);
  for (const v of variants()) {
    const b = startupBytes(v.dir);
    report.add(`startup_script_bytes${v.suffix}`, b.startup, 'B');
    report.add(`all_script_bytes${v.suffix}`, b.all, 'B');
  }
  const seedStart = performance.now();
  const host = await startHost({
    dataDir,
    port: 0,
    mode: 'demo',
    sandbox: 'builtin',
    sandboxLatencyMs: 0,
    catalogSeed: () => products,
    log: () => {},
    rendererDir: served.dir,
  });
  report.meta.catalogSize = CATALOG_SIZE;
  // The sandbox enforces Focus's 100 requests/min per token; a 2,000-sale shift in minutes is not
  // what this bench measures (bench:client and bench:emission do), so lift it here.
  host.sandbox()?.controls.set({ rateLimit: 1_000_000 });
  report.meta.sandboxRateLimitLifted = true;
  report.add('host_start_with_catalog_ms', performance.now() - seedStart, 'ms');
  await prepareTill(host);
  report.meta.registerOpenedByManager = true;
  const browser = await launchChromium();
  report.meta.chromiumDisabledFeatures = DISABLED_CHROMIUM_FEATURES;
  try {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'pt-BR' });
    await context.addInitScript(probes);
    let checkoutMet: boolean | null = null;
    if (runs('checkout')) {
      const page = await context.newPage();
      await page.goto(host.url);
      await loginAs(page, 'Caixa 1', '1234');

      // Scan → line rendered. Many lines in one sale (the list is virtualized), over the whole catalog.
      for (let i = 0; i < 20; i++) await sell(page, [products[(i * 7919) % CATALOG_SIZE]!.gtin!]);
      await page.evaluate(() => {
        const b = (window as unknown as { __bench: { scan: number[]; scanFrame: number[] } }).__bench;
        b.scan.length = 0;
        b.scanFrame.length = 0;
      });
      for (let i = 0; i < SCANS; i++) {
        const p = products[(i * 104_729 + 17) % CATALOG_SIZE]!;
        await page.keyboard.type(p.gtin!);
        await page.keyboard.press('Enter');
        await waitCount(page, i + 1);
        await waitIdle(page);
      }
      const scans = await page.evaluate(
        () => (window as unknown as { __bench: { scan: number[]; scanFrame: number[]; rtt: Record<string, number[]> } }).__bench,
      );
      const s1 = summarize(scans.scan);
      const s2 = summarize(scans.scanFrame);
      report.add('scan_to_line_commit_p50_ms', s1.p50, 'ms');
      report.add('scan_to_line_commit_p99_ms', s1.p99, 'ms');
      report.add('scan_to_line_frame_p50_ms', s2.p50, 'ms');
      report.add('scan_to_line_frame_p99_ms', s2.p99, 'ms');
      report.add('scan_samples', s1.n);
      const lookupRtt = summarize(scans.rtt['catalog.lookup']!.slice(-SCANS));
      report.add('lookup_round_trip_p50_ms', lookupRtt.p50, 'ms');
      report.add('lookup_round_trip_p99_ms', lookupRtt.p99, 'ms');
      await cancelSale(page);

      // Search keystroke → results, human typing pace (one answer per keystroke).
      const words = ['arroz', 'feijao', 'cafe pilao', 'leite integral', 'biscoito', 'chocolate lacta', 'macarrao', 'azeite', 'sabonete', 'cerveja'];
      const search = summarize(await measureSearch(page, words, SEARCH_ROUNDS));
      report.add('search_keystroke_to_results_p50_ms', search.p50, 'ms');
      report.add('search_keystroke_to_results_p99_ms', search.p99, 'ms');
      report.add('search_samples', search.n);
      const searchRtt = summarize(
        await page.evaluate(() => (window as unknown as { __bench: { rtt: Record<string, number[]> } }).__bench.rtt['catalog.search']!),
      );
      report.add('search_round_trip_p50_ms', searchRtt.p50, 'ms');
      report.add('search_round_trip_p99_ms', searchRtt.p99, 'ms');
      // Share of lookups and searches answered over the WebSocket (the rest went as POST).
      const viaWs = await page.evaluate(() => (window as unknown as { __bench: { rtt: Record<string, number[]> } }).__bench.rtt.viaWs![0]!);
      report.add('round_trips_over_websocket_pct', (viaWs / Math.max(1, scans.rtt['catalog.lookup']!.length + searchRtt.n)) * 100, '%');

      // Heap over a shift: sales 1..100, then up to SALES.
      const cart = products.slice(0, 3).map((p) => p.gtin!);
      let done = 0;
      const t0 = performance.now();
      while (done < BASELINE_SALES) {
        await sell(page, [cart[done % 3]!, cart[(done + 1) % 3]!]);
        done++;
      }
      const heap100 = await heapUsed(page);
      while (done < SALES) {
        await sell(page, [cart[done % 3]!, cart[(done + 1) % 3]!]);
        done++;
        if (done % 50 === 0) console.log(`# ${done} sales (${((performance.now() - t0) / done).toFixed(1)} ms/sale)`);
      }
      const heapEnd = await heapUsed(page);
      report.add('heap_after_100_sales_mb', heap100 / 1_048_576, 'MB');
      report.add(`heap_after_${SALES}_sales_mb`, heapEnd / 1_048_576, 'MB');
      report.add('heap_growth_pct', ((heapEnd - heap100) / heap100) * 100, '%');
      report.add('ui_sale_loop_ms_per_sale', (performance.now() - t0) / done, 'ms');
      await page.close();
      checkoutMet = s1.p99 <= 16 && search.p99 <= 16 && (heapEnd - heap100) / heap100 <= 0.1;
    }

    if (!runs('checkout') && (runs('queue') || runs('cold'))) {
      // Without the checkout phase (BENCH_UI_ONLY=queue,cold or cold): the cashier logs in once, as
      // that phase does; the queue's settings and the cold loads need someone at the till.
      const page = await context.newPage();
      await page.goto(host.url);
      await loginAs(page, 'Caixa 1', '1234');
      await page.close();
    }
    let queueMet: boolean | null = null;
    for (const v of runs('queue') ? variants() : []) {
      served.serve(v.dir);
      const q = await queuePhase(browser, host, products, report, v.suffix);
      if (v.name === 'after') queueMet = q.met;
    }
    served.serve(DEFAULT_RENDERER_DIR);

    // Cold load at 1024×768 — the renderer's load to ready on a host that is already running, the
    // operator already logged in: from the page's navigation start (performance.timeOrigin) to the
    // code field focused on the checkout. Each load is a fresh context whose session cookie was set by
    // the launch URL on an earlier page, so the one-time launch redirect (a browser-host first-launch
    // step Electron does not have) is not counted; the host sends everything no-store, so nothing
    // comes from a cache. Split: HTML received, scripts evaluated (DOMContentLoaded); the rest up to
    // ready is the bootstrap call and the first render of the checkout.
    const vs = runs('cold') ? [...floorVariants(), ...variants()] : [];
    const loads = new Map(vs.map((v) => [v.suffix, [] as number[]]));
    const parts = new Map(vs.map((v) => [v.suffix, { html: [] as number[], scripts: [] as number[] }]));
    for (let i = 0; i < COLD_LOADS; i++) {
      for (const v of vs) {
        served.serve(v.dir);
        const ctx = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'pt-BR' });
        await ctx.addInitScript(probes);
        const launch = await ctx.newPage();
        await launch.goto(host.url);
        await launch.close();
        const p = await ctx.newPage();
        await p.goto(host.origin);
        const h = await p.waitForFunction(() => (window as unknown as { __bench: { ready: number } }).__bench.ready >= 0, null, { timeout: 30_000 });
        await h.dispose();
        const t = await p.evaluate(() => {
          const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
          return {
            ready: (window as unknown as { __bench: { ready: number } }).__bench.ready,
            html: nav?.responseEnd ?? -1,
            scripts: nav?.domContentLoadedEventStart ?? -1,
          };
        });
        loads.get(v.suffix)!.push(t.ready);
        parts.get(v.suffix)!.html.push(t.html);
        parts.get(v.suffix)!.scripts.push(t.scripts);
        await ctx.close();
      }
    }
    served.serve(DEFAULT_RENDERER_DIR);
    for (const v of vs) if (v.name === 'floor') rmSync(dirname(v.dir), { recursive: true, force: true });
    report.meta.coldLoadMeasures = 'navigation start → code field focused; host running, operator logged in, cookie already set, no cache';
    let cold: ReturnType<typeof summarize> | null = null;
    for (const v of vs) {
      for (const [k, list] of Object.entries(parts.get(v.suffix)!)) report.add(`cold_load_1024_${k}_p50_ms${v.suffix}`, summarize(list).p50, 'ms');
      const c = summarize(loads.get(v.suffix)!);
      report.add(`cold_load_to_ready_1024_p50_ms${v.suffix}`, c.p50, 'ms');
      report.add(`cold_load_to_ready_1024_p90_ms${v.suffix}`, c.p90, 'ms');
      report.add(`cold_load_to_ready_1024_max_ms${v.suffix}`, c.max, 'ms');
      if (v.name === 'after') cold = c;
    }
    // The figure is read as the typical cold load, the run's p50 (as the notes on the issue have
    // reported it); whether every load of the run stayed within it is reported beside it: on this
    // shared machine the browser's own floor (one round trip) often tops 300 ms on its worst load.
    if (cold) report.add('cold_load_target_met', cold.p50 <= 300);
    if (cold) report.add('cold_load_every_load_within_target', cold.max <= 300);
    report.add('load_avg_1m_end', loadavg()[0]!);
    if (checkoutMet !== null && queueMet !== null && cold) report.add('targets_met', checkoutMet && cold.p50 <= 300 && queueMet);
    console.log(`results: ${report.write()}`);
  } finally {
    await browser.close();
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(served.dir, { recursive: true, force: true });
  }
}

type Host = Awaited<ReturnType<typeof startHost>>;

interface BenchState {
  payToScan: number[];
  payWall: number[];
  scan: number[];
}
const state = (page: Page) =>
  page.evaluate(() => {
    const b = (window as unknown as { __bench: BenchState }).__bench;
    return { payToScan: [...b.payToScan], payWall: [...b.payWall], scan: [...b.scan] };
  });
const clearState = (page: Page) =>
  page.evaluate(() => {
    const b = (window as unknown as { __bench: BenchState }).__bench;
    b.payToScan.length = 0;
    b.payWall.length = 0;
    b.scan.length = 0;
  });

/**
 * One sale paid with a method that needs no dialog and opens no drawer (F6, vale-alimentação), so the
 * printer's next job is this sale's receipt. PIX (F5) now waits for a PSP-confirmed charge.
 */
const payNoDrawer = (page: Page, gtin: string) => sell(page, [gtin], 'F6');

/**
 * The queue never waits on SEFAZ: sales against a slow and a silent Focus, with a loopback fake
 * printer taking the receipts that print themselves.
 */
async function queuePhase(browser: Browser, host: Host, products: Product[], report: BenchReport, suffix: string): Promise<{ met: boolean }> {
  const sb = host.sandbox();
  if (!sb) throw new Error('bench:ui needs the built-in sandbox');
  const printer = await startFakePrinter();
  const PIN = '9999';
  const ok = async (r: Promise<{ ok: boolean; error?: { message: string } }>) => {
    const x = await r;
    if (!x.ok) throw new Error(x.error?.message ?? 'failed');
  };
  await ok(
    host.core.handle('settings.update', {
      managerPin: PIN,
      patch: {
        printer: { kind: 'network', host: printer.host, port: printer.port, width: 48, codePage: 'cp860', nativeQr: true, summary: false },
        authorizationDeadlineMs: 15_000,
      },
    }),
  );
  // Offline contingency needs the shop's A1: with it a silent Focus still ends in a printed receipt.
  const cert = makeTestCertificate({ cnpj: sb.cnpj, name: sb.emitter.name, bits: 1024 });
  await ok(host.core.handle('settings.importCertificate', { managerPin: PIN, pfxBase64: Buffer.from(cert.pfx).toString('base64'), password: cert.password }));
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'pt-BR' });
  await ctx.addInitScript(probes);
  const page = await ctx.newPage();
  let met = true;
  try {
    await page.goto(host.url);
    await waitSel(page, '[data-testid="checkout-screen"]');
    const scenarios = [
      { name: '400ms', faults: { latencyMs: 400 }, sales: QUEUE_SALES },
      { name: '4s', faults: { latencyMs: 4_000 }, sales: Math.ceil(QUEUE_SALES / 2) },
      { name: 'drop', faults: { dropConnections: true }, sales: 5 },
    ];
    let n = 0;
    for (const sc of scenarios) {
      sb.controls.reset();
      sb.controls.set({ rateLimit: 1_000_000, ...sc.faults });
      await clearState(page);
      const jobsBefore = printer.jobs.length;
      for (let i = 0; i < sc.sales; i++) await payNoDrawer(page, products[(n++ * 7_001 + 3) % products.length]!.gtin!);
      // Every sale ends in a printed receipt (authorized, or offline contingency at the deadline).
      const jobs = (await printer.waitForJobs(jobsBefore + sc.sales, 120_000)).slice(jobsBefore, jobsBefore + sc.sales);
      const st = await state(page);
      const toScan = summarize(st.payToScan);
      const toReceipt = summarize(jobs.map((j, i) => j.receivedAt - st.payWall[i]!));
      report.add(`queue_${sc.name}_pay_to_next_scan_p50_ms${suffix}`, toScan.p50, 'ms');
      report.add(`queue_${sc.name}_pay_to_next_scan_p99_ms${suffix}`, toScan.p99, 'ms');
      report.add(`queue_${sc.name}_pay_to_receipt_p50_ms${suffix}`, toReceipt.p50, 'ms');
      report.add(`queue_${sc.name}_pay_to_receipt_max_ms${suffix}`, toReceipt.max, 'ms');
      report.add(`queue_${sc.name}_sales${suffix}`, toScan.n);
      if (toScan.p99 > 50) met = false;
      sb.controls.reset();
      // The offline backlog drains before the next scenario, so it does not share Focus with it.
      await ok(host.core.handle('contingency.sendNow', {}).then((r) => (r.ok ? r : { ok: true })));
      // And the link is back online: otherwise the next build's silent-Focus sales would go straight
      // to contingency (the till already knows Focus is gone) and not be comparable.
      for (let t = Date.now(); Date.now() - t < 60_000; await new Promise((r) => setTimeout(r, 250))) {
        const st = await host.core.handle('status.get', {});
        if (st.ok && st.value.link === 'online') break;
      }
    }

    // Scan → line while three earlier sales are still authorizing. Focus answers in 8 s here (under
    // the 15 s deadline) so the three are surely still out when the last scan of the round lands.
    sb.controls.set({ rateLimit: 1_000_000, latencyMs: 8_000 });
    const ROUNDS = BUSY_ROUNDS;
    const SCANS_PER_ROUND = 10;
    let minInFlight = Infinity;
    const busyScans: number[] = [];
    await clearState(page);
    for (let r = 0; r < ROUNDS; r++) {
      for (let i = 0; i < 3; i++) await payNoDrawer(page, products[(n++ * 7_001 + 3) % products.length]!.gtin!);
      await page.evaluate(() => {
        (window as unknown as { __bench: BenchState }).__bench.scan.length = 0;
      });
      // A scan counts only if the three were still out once its line had landed (under heavy load
      // a round's scans can outlast Focus's 8 s; the strip only shrinks, so after means during).
      const kept: boolean[] = [];
      for (let i = 0; i < SCANS_PER_ROUND; i++) {
        await page.keyboard.type(products[(n++ * 104_729 + 11) % products.length]!.gtin!);
        await page.keyboard.press('Enter');
        await waitCount(page, i + 1);
        await waitIdle(page);
        kept.push((await page.locator('[data-testid="flight"]').count()) >= 3);
      }
      minInFlight = Math.min(minInFlight, kept.filter(Boolean).length);
      busyScans.push(...(await state(page)).scan.filter((_, i) => kept[i]));
      await cancelSale(page);
      const h = await page.waitForFunction(() => document.querySelectorAll('[data-testid="flight"]').length === 0, null, { timeout: 30_000 });
      await h.dispose();
    }
    const busy = summarize(busyScans);
    report.add(`scan_to_line_while_3_authorizing_p50_ms${suffix}`, busy.p50, 'ms');
    report.add(`scan_to_line_while_3_authorizing_p99_ms${suffix}`, busy.p99, 'ms');
    report.add(`scan_to_line_while_3_authorizing_samples${suffix}`, busy.n);
    report.add(`scans_with_3_in_flight_per_round_min${suffix}`, minInFlight);
    if (busy.p99 > 16 || busy.n === 0) met = false;
    report.add(`queue_targets_met${suffix}`, met);
  } finally {
    sb.controls.reset();
    sb.controls.set({ rateLimit: 1_000_000 });
    await host.core.handle('settings.update', {
      managerPin: PIN,
      patch: { printer: { kind: 'none', width: 48, codePage: 'cp860', nativeQr: true, summary: false } },
    });
    await ctx.close();
    await printer.close();
  }
  return { met };
}

await main();
