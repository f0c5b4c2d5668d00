// bench:catalog — the catalog at shop scale:
//   100,000-row CSV and XLSX imports (each in its own process: time and peak RSS), and the re-import
//   of the same CSV (idempotent: nothing written);
//   a 500-item supplier NF-e parsed and previewed (matched against the 100k catalog);
//   the browser host ready with the 100k catalog, and the background index warm-up;
//   scan → line and search keystroke → results in Debian Chromium after the import (bench/lib/ui-probes.ts).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHost } from '../main/host/launch.ts';
import { Catalog } from '../main/catalog/catalog.ts';
import { parseNfe } from '../main/catalog/import/nfe.ts';
import { LAYOUT } from '../main/core/layout.ts';
import { demoStore } from '../test/fixtures/demo-store.ts';
import { csvBytes, nfeItems, nfeXml, shopRows, xlsxBytes } from '../test/integration/catalog/files.ts';
import { BenchReport } from './lib/results.ts';
import { summarize } from './lib/stats.ts';
import { cancelSale, launchChromium, loginAs, measureSearch, prepareTill, probes, waitCount, waitIdle } from './lib/ui-probes.ts';
import { SearchIndex } from '../main/catalog/search-index.ts';

/** The machine is shared: every group of figures is printed with the load (as `uptime` shows it) it was measured under. */
function uptime(): void {
  console.log(
    `# ${new Date().toISOString().slice(11, 19)} UTC, load average: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
}

const ROWS = Number(process.env.BENCH_CATALOG_ROWS ?? 100_000);
const SCANS = Number(process.env.BENCH_CATALOG_SCANS ?? 200);
const NODE = process.execPath;

interface WorkerOut {
  totalMs: number;
  cpuMs: number;
  indexReadyMs: number;
  parseMs: number;
  checkMs: number;
  commitMs: number;
  maxRssMb: number;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errorRows: number;
}

function runImport(file: string, dataDir: string): WorkerOut {
  const out = execFileSync(NODE, [join(import.meta.dirname, 'catalog-worker.ts'), file, dataDir], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').at(-1)!) as WorkerOut;
}

async function main(): Promise<void> {
  const report = new BenchReport('catalog');
  report.meta.rows = ROWS;
  // The machine is shared: the load at the start and end says how far the figures are from a quiet run.
  report.meta.loadAverageAtStart = loadavg().map((l) => Math.round(l * 10) / 10);
  const tmp = mkdtempSync(join(tmpdir(), 'balcao-bench-catalog-'));
  try {
    const rows = shopRows(ROWS);
    const csvFile = join(tmp, 'produtos.csv');
    writeFileSync(csvFile, csvBytes(rows, 'windows-1252'));
    const xlsxFile = join(tmp, 'produtos.xlsx');
    writeFileSync(xlsxFile, await xlsxBytes(rows.map((r) => r.map((c, i) => (i === 4 ? Number(c.replace(',', '.')) : c)))));
    console.log(`# files ready (${ROWS} rows)`);

    const dirCsv = join(tmp, 'csv');
    const csv = runImport(csvFile, dirCsv);
    if (csv.created !== ROWS) throw new Error(`CSV import created ${csv.created} of ${ROWS}`);
    uptime();
    report.add('csv_import_100k_ms', csv.totalMs, 'ms');
    report.add('csv_import_100k_cpu_ms', csv.cpuMs, 'ms');
    report.add('csv_import_100k_search_index_ready_ms', csv.indexReadyMs, 'ms');
    report.add('csv_import_parse_ms', csv.parseMs, 'ms');
    report.add('csv_import_check_ms', csv.checkMs, 'ms');
    report.add('csv_import_commit_ms', csv.commitMs, 'ms');
    report.add('csv_import_peak_rss_mb', csv.maxRssMb, 'MB');
    const again = runImport(csvFile, dirCsv);
    if (again.unchanged !== ROWS) throw new Error(`re-import changed ${ROWS - again.unchanged} rows`);
    uptime();
    report.add('csv_reimport_100k_ms', again.totalMs, 'ms');
    report.add('csv_reimport_100k_cpu_ms', again.cpuMs, 'ms');
    report.add('csv_reimport_rows_written', again.created + again.updated);

    const xlsx = runImport(xlsxFile, join(tmp, 'xlsx'));
    if (xlsx.created !== ROWS) throw new Error(`XLSX import created ${xlsx.created} of ${ROWS}`);
    uptime();
    report.add('xlsx_import_100k_ms', xlsx.totalMs, 'ms');
    report.add('xlsx_import_100k_cpu_ms', xlsx.cpuMs, 'ms');
    report.add('xlsx_import_parse_ms', xlsx.parseMs, 'ms');
    report.add('xlsx_import_peak_rss_mb', xlsx.maxRssMb, 'MB');

    // The imported catalog in-process: open and warm-up, the NF-e preview, index edits, search.
    uptime();
    const warmStart = performance.now();
    const catalog = Catalog.open(LAYOUT.demoCatalog(dirCsv));
    const openMs = performance.now() - warmStart;
    await catalog.indexed();
    report.add('catalog_open_100k_ms', openMs, 'ms');
    report.add('catalog_index_warm_100k_ms', performance.now() - warmStart, 'ms');
    // NF-e with 500 items first, before the index experiments below fill the heap.
    const xml = Buffer.from(nfeXml(nfeItems(500)));
    const nfeTimes: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      const doc = await parseNfe(xml);
      const preview = doc.items.map((it) => ({ ...it, match: it.gtin ? catalog.ownerOfGtin(it.gtin) : null }));
      if (preview.length !== 500) throw new Error('NF-e preview lost items');
      nfeTimes.push(performance.now() - t);
    }
    // The first NF-e of a session also loads the XML parser (it is not loaded at start).
    report.add('nfe_500_items_first_parse_preview_ms', nfeTimes[0]!, 'ms');
    // One product saved (catalog.update) vs the full rebuild it used to cost; search in-process.
    const all = (await catalog.list({ status: 'all' }, 1, 0, ROWS)).rows.map((r) => r.product);
    const rebuildMs: number[] = [];
    let index = new SearchIndex();
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      index = new SearchIndex(all);
      rebuildMs.push(performance.now() - t);
    }
    const indexUpsertMs: number[] = [];
    for (let i = 0; i < 200; i++) {
      const p = all[(i * 7_919) % all.length]!;
      const t = performance.now();
      index.upsert({ ...p, description: `${p.description} Y${i}` });
      indexUpsertMs.push(performance.now() - t);
    }
    const saveMs: number[] = [];
    for (let i = 0; i < 50; i++) {
      const p = all[(i * 104_729) % all.length]!;
      const t = performance.now();
      catalog.upsert({ ...p, description: `${p.description} X${i}` });
      saveMs.push(performance.now() - t);
    }
    const searchMs: number[] = [];
    for (let round = 0; round < 20; round++) {
      for (const q of ['a', 'pa', 'pao de', 'cafe torrado', 'feijao carioca 1', 'acucar', '1000', '789', 'zzz']) {
        const t = performance.now();
        catalog.search(q, 50);
        searchMs.push(performance.now() - t);
      }
    }
    const rebuild = summarize(rebuildMs);
    const save = summarize(saveMs);
    const indexUpsert = summarize(indexUpsertMs);
    const searchIn = summarize(searchMs);
    report.add('index_full_rebuild_100k_p50_ms', rebuild.p50, 'ms');
    report.add('index_upsert_one_product_p50_ms', indexUpsert.p50, 'ms');
    report.add('index_upsert_one_product_p99_ms', indexUpsert.p99, 'ms');
    report.add('index_upsert_vs_rebuild_ratio', indexUpsert.p50 / rebuild.p50);
    // The whole save: the catalog file's transaction plus the in-place index update.
    report.add('catalog_save_one_product_p50_ms', save.p50, 'ms');
    report.add('catalog_save_one_product_p99_ms', save.p99, 'ms');
    report.add('index_search_in_process_p99_ms', searchIn.p99, 'ms');
    catalog.close();
    const nfe = summarize(nfeTimes);
    uptime();
    report.add('nfe_500_items_parse_preview_p50_ms', nfe.p50, 'ms');
    report.add('nfe_500_items_parse_preview_max_ms', nfe.max, 'ms');

    // The browser host on the imported catalog: ready time, then the till's latencies.
    // A terminal whose setup chose the demo shop (the imported file is the demo profile's catalog).
    // The first start of a data dir also creates the sales journal and, in the demo profile, hashes
    // the demo operators' PINs (one-time work, reported apart); a shop's daily start is the restart.
    demoStore(dirCsv);
    const hostOpts = { dataDir: dirCsv, port: 0, sandbox: 'builtin', sandboxLatencyMs: 0, log: () => {} } as const;
    const tFirst = performance.now();
    await (await startHost(hostOpts)).close();
    const firstStartMs = performance.now() - tFirst;
    uptime();
    report.add('host_first_start_with_100k_catalog_ms', firstStartMs, 'ms');
    const t0 = performance.now();
    const host = await startHost(hostOpts);
    const ready = performance.now() - t0;
    uptime();
    report.add('host_ready_with_100k_catalog_ms', ready, 'ms');
    // catalog.lookup needs someone logged in (main/core/access.ts).
    await host.core.handle('auth.login', { operatorId: 'caixa-1', pin: '1234' });
    const tl = performance.now();
    const first = await host.core.handle('catalog.lookup', { code: rows[Math.floor(ROWS * 0.54)]![0]! });
    if (!first.ok || !first.value) throw new Error('lookup before warm-up failed');
    report.add('lookup_before_index_warm_ms', performance.now() - tl, 'ms');
    host.sandbox()?.controls.set({ rateLimit: 1_000_000 });
    await prepareTill(host);
    const browser = await launchChromium();
    try {
      // Wait for the background warm-up the way the register does (catalog.list awaits it).
      await host.core.handle('auth.login', { operatorId: 'gerente', pin: '9999' });
      const listed = await host.core.handle('catalog.list', { limit: 1 });
      if (!listed.ok || listed.value.total !== ROWS) throw new Error('catalog list after import is wrong');
      report.add('host_index_warm_after_ready_ms', performance.now() - t0, 'ms');
      await host.core.handle('auth.logout', {});
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'pt-BR' });
      await context.addInitScript(probes);
      const page = await context.newPage();
      await page.goto(host.url);
      await loginAs(page, 'Caixa 1', '1234');
      const withGtin = rows.filter((r) => r[1] !== 'SEM GTIN');
      for (let i = 0; i < 10; i++) {
        await page.keyboard.type(withGtin[(i * 7919) % withGtin.length]![1]!);
        await page.keyboard.press('Enter');
        await waitCount(page, i + 1);
      }
      await cancelSale(page);
      await page.evaluate(() => {
        const b = (window as unknown as { __bench: { scan: number[]; scanFrame: number[] } }).__bench;
        b.scan.length = 0;
        b.scanFrame.length = 0;
      });
      for (let i = 0; i < SCANS; i++) {
        await page.keyboard.type(withGtin[(i * 104_729 + 17) % withGtin.length]![1]!);
        await page.keyboard.press('Enter');
        await waitCount(page, i + 1);
        await waitIdle(page);
      }
      uptime();
      const scans = summarize(await page.evaluate(() => (window as unknown as { __bench: { scan: number[] } }).__bench.scan));
      report.add('scan_to_line_commit_p50_ms', scans.p50, 'ms');
      report.add('scan_to_line_commit_p99_ms', scans.p99, 'ms');
      report.add('scan_samples', scans.n);
      await cancelSale(page);
      const words = ['pao de queijo', 'acucar cristal', 'cafe torrado', 'feijao carioca', 'maca gala', 'oleo de soja', 'farinha', 'biscoito maisena'];
      const search = summarize(await measureSearch(page, words, 2));
      // The same keystrokes' round trip to the core (transport + search), apart from the UI's part.
      const rtt = summarize(
        await page.evaluate(() => (window as unknown as { __bench: { rtt: Record<string, number[]> } }).__bench.rtt['catalog.search'] ?? []),
      );
      uptime();
      report.add('search_keystroke_to_results_p50_ms', search.p50, 'ms');
      report.add('search_keystroke_to_results_p99_ms', search.p99, 'ms');
      report.add('search_samples', search.n);
      report.add('search_round_trip_p50_ms', rtt.p50, 'ms');
      report.add('search_round_trip_p99_ms', rtt.p99, 'ms');
      report.add('targets_met', csv.totalMs <= 20_000 && csv.maxRssMb <= 500 && nfe.max <= 1_000 && ready <= 500 && scans.p99 <= 16 && search.p99 <= 16);
    } finally {
      await browser.close();
      await host.close();
    }
    report.meta.loadAverageAtEnd = loadavg().map((l) => Math.round(l * 10) / 10);
    console.log(`results: ${report.write()}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
