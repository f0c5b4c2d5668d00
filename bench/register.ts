// bench:register — X/Z with 2,000 sales in the session (target ≤ 100 ms), the period report over
// 100,000 sales (≤ 300 ms), and the month export of 30,000 notes with their XMLs on disk (time and
// peak memory of the exporting process; ≤ 60 s, ≤ 300 MB). Sales are written through the real
// journal by the seeded generator of the report tests.
process.env.TZ = 'America/Sao_Paulo';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Journal } from '../main/db/journal.ts';
import { openRegisterDb } from '../main/register/db.ts';
import { Register } from '../main/register/register.ts';
import { periodReport, periodReportFromRows, localDayStartMs } from '../main/reports/period.ts';
import { byMethod, cube, numbering, scopeTotals } from '../main/reports/figures.ts';
import { materialiseScope } from '../main/reports/scope.ts';
import { daysSource } from '../main/reports/aggregates.ts';
import { archivePath } from '../main/emission/archive.ts';
import { generateSales } from '../test/fixtures/register-days.ts';
import { cloneDays } from './lib/clone-days.ts';
import { BenchReport } from './lib/results.ts';
import { summarize } from './lib/stats.ts';

const OPS = ['caixa-1', 'caixa-2', 'gerente'];
const names = (id: string) => id;
const bench = new BenchReport('register');
/** The load each figure was taken under (the machine is shared), in the JSON and on the console. */
const loadByFigure: Record<string, number[]> = {};
const report = {
  add(name: string, value: number, unit: string): void {
    bench.add(name, value, unit);
    loadByFigure[name] = loadavg().map((n) => Math.round(n * 100) / 100);
    console.log(`  uptime: ${uptimeLine()}`);
  },
};
/** BENCH_ONLY=xz,period,month runs some parts (while working on one). */
const only = new Set((process.env.BENCH_ONLY ?? 'xz,period,month').split(','));
/**
 * Sizes (the figures' names keep the issue's sizes; the counts are reported beside them):
 * BENCH_PERIOD_PER_DAY sales a day over the period's 25 days (4,000: 100,000 sales),
 * BENCH_MONTH_PER_DAY notes a day over the month's 31 days (1,000: ~31,000 notes),
 * BENCH_PERIOD_RUNS timed period reports (200: the nearest-rank p99 is not simply the slowest run).
 */
const knob = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} must be a positive integer`);
  return v;
};
const PERIOD_PER_DAY = knob('BENCH_PERIOD_PER_DAY', 4_000);
const MONTH_PER_DAY = knob('BENCH_MONTH_PER_DAY', 1_000);
const PERIOD_RUNS = knob('BENCH_PERIOD_RUNS', 200);
const root = mkdtempSync(join(tmpdir(), 'balcao-bench-register-'));
const here = dirname(fileURLToPath(import.meta.url));

function timeIt(n: number, fn: () => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return out;
}

/** What `uptime` prints about the load (the machine is shared: figures are read against it). */
function uptimeLine(): string {
  return `${new Date().toISOString()} load average: ${loadavg()
    .map((n) => n.toFixed(2))
    .join(', ')}`;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
}

function fastJournal(path: string): Journal {
  const j = Journal.open({ path });
  // Bench set-up only: the journal's own setting (FULL) is what the app runs with.
  j.db.exec('PRAGMA synchronous = OFF');
  return j;
}

console.log(`uptime: ${uptimeLine()}`);
bench.meta.loadavgStart = loadavg();
try {
  // 1. X and Z with 2,000 sales in the session. The register's connection is open first, so the
  // journal's triggers keep the session's aggregates as the sales are written (as in the app).
  if (only.has('xz')) {
    const path = join(root, 'xz.sqlite');
    const db = openRegisterDb(path, Date.now());
    const j = fastJournal(path);
    const start = localDayStartMs('2026-03-02') + 8 * 3_600_000;
    let now = start - 60_000;
    const reg = new Register({ db, clock: () => now });
    reg.open({ terminalId: 'PDV01', operatorId: 'caixa-1', openingCents: 20_000, counts: null });
    const w0 = process.cpuUsage();
    await generateSales(j, { seed: 1, count: 2_000, startMs: start, spanMs: 12 * 3_600_000, terminalId: 'PDV01', operators: OPS, batch: 2_000 });
    const withTriggers = cpuMs(w0);
    // The Z needs every note settled.
    j.db.exec("UPDATE emissions SET state = 'authorized' WHERE state IN ('pending', 'blocked')");
    j.close();
    now = start + 13 * 3_600_000;
    const session = reg.requireOpen('PDV01');
    const xc = process.cpuUsage();
    const x = summarize(timeIt(30, () => reg.report(session, names)));
    report.add('x_report_2000_sales_cpu', cpuMs(xc) / 30, 'ms');
    report.add('x_report_2000_sales_p50', x.p50, 'ms');
    report.add('x_report_2000_sales_p90', x.p90, 'ms');
    // The same figures from the raw rows (how the X was computed before the aggregates), same run.
    const raw = summarize(
      timeIt(10, () => {
        materialiseScope(db, { terminalId: 'PDV01', fromMs: session.openedMs, toMs: now + 1 });
        const rows = cube(db);
        byMethod(db, scopeTotals(rows).sales.changeCents);
        numbering(db);
      }),
    );
    report.add('x_report_2000_sales_from_rows_p50', raw.p50, 'ms');
    const close = () =>
      reg.close({
        names,
        terminalId: 'PDV01',
        declaration: { cashCounts: {}, cashCents: 0, cardCents: 0, pixCents: 0, otherCents: 0 },
        operatorId: 'caixa-1',
        managerId: 'gerente',
        zText: () => '',
      });
    let counted = 0;
    const zs: number[] = [];
    for (let k = 0; k < 7; k++) {
      // Each round reopens a session over the same 2,000 sales (its aggregates are filled at opening),
      // then times the closing: the Z from the aggregates and its commit (synchronous FULL).
      if (k > 0) {
        db.prepare("INSERT INTO register_sessions(terminal_id, state, opened_ms, opened_by, opening_cents) VALUES ('PDV01', 'open', ?, 'caixa-1', 20000)").run(
          session.openedMs,
        );
      }
      const t = performance.now();
      const z = close();
      zs.push(performance.now() - t);
      counted = z.report.sales.count + z.report.cancelledNotes.count;
    }
    report.add('z_report_2000_sales_p50', summarize(zs).p50, 'ms');
    report.add('z_report_2000_sales_max', summarize(zs).max, 'ms');
    report.add('z_report_sales_counted', counted, 'sales');
    db.close();
    // What the triggers cost the writer: the same 2,000 sales into a journal without the register's tables.
    const plain = fastJournal(join(root, 'plain.sqlite'));
    const w1 = process.cpuUsage();
    await generateSales(plain, { seed: 1, count: 2_000, startMs: start, spanMs: 12 * 3_600_000, terminalId: 'PDV01', operators: OPS, batch: 2_000 });
    const without = cpuMs(w1);
    plain.close();
    // CPU time, not wall time: the generator's writes are CPU-bound and the machine is shared.
    report.add('write_2000_sales_cpu_with_aggregates', withTriggers, 'ms');
    report.add('write_2000_sales_cpu_without_aggregates', without, 'ms');
    report.add('aggregates_cpu_per_sale', (withTriggers - without) / 2_000, 'ms');
  }

  // 2. Period report over 100,000 sales (a month of a busy shop), written before the aggregates
  // existed: opening the register runs the migration that backfills them. One day of 4,000 sales
  // through the real journal, copied onto 24 more days by SQL (bench/lib/clone-days.ts).
  if (only.has('period')) {
    const path = join(root, 'period.sqlite');
    const j = fastJournal(path);
    const t0 = performance.now();
    await generateSales(j, {
      seed: 100,
      count: PERIOD_PER_DAY,
      startMs: localDayStartMs('2026-03-01') + 8 * 3_600_000,
      spanMs: 13 * 3_600_000,
      terminalId: 'PDV01',
      operators: OPS,
      batch: PERIOD_PER_DAY,
    });
    const total = cloneDays(j.db, 25, -3);
    report.add('period_setup_sales', total, 'sales');
    report.add('period_setup_100000_sales', (performance.now() - t0) / 1000, 's');
    j.close();
    const m0 = performance.now();
    const db = openRegisterDb(path, Date.now());
    report.add('migration_backfill_100000_sales', (performance.now() - m0) / 1000, 's');
    const month = { from: '2026-03-01', to: '2026-03-31', names };
    // Warm: the statements compiled and the pages in the cache, as for a manager who looks twice.
    for (let k = 0; k < 3; k++) periodReport(db, month);
    let sales = 0;
    const runs = PERIOD_RUNS;
    report.add('period_report_runs', runs, 'reports');
    const c0 = process.cpuUsage();
    const p = summarize(
      timeIt(runs, () => {
        sales = periodReport(db, month).sales.count;
      }),
    );
    // CPU time per report: what it costs with a core to itself (the machine is shared).
    report.add('period_report_100000_sales_cpu', cpuMs(c0) / runs, 'ms');
    report.add('period_report_100000_sales_p50', p.p50, 'ms');
    report.add('period_report_100000_sales_p99', p.p99, 'ms');
    report.add('period_report_100000_sales_min', p.min, 'ms');
    report.add('period_report_valid_sales', sales, 'sales');
    const one = summarize(timeIt(runs, () => periodReport(db, { ...month, terminalId: 'PDV01' })));
    report.add('period_report_100000_sales_one_terminal_p50', one.p50, 'ms');
    report.add('period_report_100000_sales_one_terminal_p99', one.p99, 'ms');
    // Before/after in one run: the three grouped reads of the charts as schema v4 did them (over the
    // day × hour × operator × state rows) against the v5 splits the report reads now.
    const v4Reads = ['hour, state', 'day, state', 'operator_id, state'].map((key) =>
      db.prepare(
        `SELECT ${key}, SUM(n), SUM(total), SUM(gross), SUM(change), SUM(discount), SUM(discounted) FROM agg_day_sales WHERE day BETWEEN ? AND ? GROUP BY ${key}`,
      ),
    );
    const src = daysSource(db, month.from, month.to);
    // Alternated run by run, so both see the same load.
    const t4: number[] = [];
    const t5: number[] = [];
    let cpu4 = 0;
    let cpu5 = 0;
    for (let k = 0; k < runs; k++) {
      let c = process.cpuUsage();
      t4.push(...timeIt(1, () => v4Reads.forEach((st) => st.all(month.from, month.to))));
      cpu4 += cpuMs(c);
      c = process.cpuUsage();
      t5.push(...timeIt(1, () => (['state', 'hour', 'day', 'operator'] as const).forEach((by) => src.cube(by))));
      cpu5 += cpuMs(c);
    }
    report.add('period_chart_reads_v4_cpu', cpu4 / runs, 'ms');
    report.add('period_chart_reads_v4_p50', summarize(t4).p50, 'ms');
    report.add('period_chart_reads_v5_cpu', cpu5 / runs, 'ms');
    report.add('period_chart_reads_v5_p50', summarize(t5).p50, 'ms');
    report.add('period_report_json_bytes', JSON.stringify(periodReport(db, month)).length, 'bytes');
    const rows = summarize(timeIt(2, () => periodReportFromRows(db, month)));
    report.add('period_report_100000_sales_from_rows_p50', rows.p50, 'ms');
    const day = summarize(timeIt(runs, () => periodReport(db, { from: '2026-03-10', to: '2026-03-10', names })));
    report.add('day_report_4000_sales_p50', day.p50, 'ms');
    report.add('day_report_4000_sales_p99', day.p99, 'ms');
    db.close();
  }

  // 3. Month export of 30,000 notes, XMLs local; measured in a process of its own (peak RSS).
  if (only.has('month')) {
    const dataDir = join(root, 'month');
    mkdirSync(dataDir, { recursive: true });
    const path = join(dataDir, 'journal.sqlite');
    const j = fastJournal(path);
    await generateSales(j, {
      seed: 500,
      count: MONTH_PER_DAY,
      startMs: localDayStartMs('2026-04-01') + 8 * 3_600_000,
      spanMs: 13 * 3_600_000,
      terminalId: 'PDV01',
      operators: OPS,
      batch: MONTH_PER_DAY,
    });
    cloneDays(j.db, 30, -3);
    const cnpj = '45286317000174';
    // Every note authorized (6 % cancelled) with a chave of this CNPJ and April 2026, and its XML on disk.
    const rows = j.db.prepare('SELECT e.id, s.id AS sale_id FROM emissions e JOIN sales s ON s.id = e.sale_id ORDER BY e.id').all();
    const archiveDir = join(dataDir, 'archive');
    const set = j.db.prepare("UPDATE emissions SET state = ?, numero = ?, serie = '1', chave = ? WHERE id = ?");
    const xmlBody = 'x'.repeat(4_500);
    j.transaction(() => {
      rows.forEach((r, i) => {
        const numero = i + 1;
        const chave = `352604${cnpj}65001${String(numero).padStart(9, '0')}1${String(10_000_000 + i).slice(-8)}${numero % 10}`;
        const state = i % 16 === 0 ? 'cancelled' : 'authorized';
        set.run(state, String(numero), chave, Number(r.id));
        const nfe = archivePath(archiveDir, chave, 'nfe');
        mkdirSync(dirname(nfe), { recursive: true });
        writeFileSync(
          nfe,
          `<?xml version="1.0" encoding="UTF-8"?><nfeProc versao="4.00"><NFe><infNFe Id="NFe${chave}"><det>${xmlBody}</det></infNFe></NFe><protNFe><infProt><chNFe>${chave}</chNFe></infProt></protNFe></nfeProc>`,
        );
        if (state === 'cancelled')
          writeFileSync(archivePath(archiveDir, chave, 'can'), `<?xml version="1.0"?><procEventoNFe><chNFe>${chave}</chNFe></procEventoNFe>`);
      });
    });
    j.close();
    // The register's migration (aggregates backfill) runs here, not in the measured process.
    openRegisterDb(path, Date.now()).close();
    // BENCH_CPU_PROF=<dir> writes the export's CPU profile there (node --cpu-prof).
    const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    const out = execFileSync(process.execPath, [...prof, join(here, 'register-export-child.ts'), path, archiveDir, cnpj, '2026-04'], {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'America/Sao_Paulo' },
    });
    const r = JSON.parse(out.trim().split('\n').pop()!) as {
      ms: number;
      cpuMs: number;
      maxRssMb: number;
      peakHeapMb: number;
      peakExternalMb: number;
      bareRssMb: number;
      startRssMb: number;
      notes: number;
      bytes: number;
    };
    report.add('month_export_30000_notes', r.ms / 1000, 's');
    report.add('month_export_30000_notes_cpu', r.cpuMs / 1000, 's');
    report.add('month_export_peak_rss', r.maxRssMb, 'MB');
    report.add('month_export_rss_bare_runtime', r.bareRssMb, 'MB');
    report.add('month_export_rss_after_imports', r.startRssMb, 'MB');
    report.add('month_export_peak_heap', r.peakHeapMb, 'MB');
    report.add('month_export_peak_external', r.peakExternalMb, 'MB');
    report.add('month_export_notes', r.notes, 'notes');
    report.add('month_export_zip_size', r.bytes / 1_048_576, 'MB');
  }
  console.log(`uptime: ${uptimeLine()}`);
  bench.meta.loadavgEnd = loadavg();
  bench.meta.loadByFigure = loadByFigure;
  bench.meta.targets = { x_z_ms: 100, period_ms: 300, month_export_s: 60, month_export_mb: 300 };
  if (only.size === 3) console.log(`written: ${bench.write()}`);
} finally {
  // BENCH_KEEP=1 leaves the data dir (its path printed) to rerun a part by hand.
  if (process.env.BENCH_KEEP) console.log(`kept: ${root}`);
  else rmSync(root, { recursive: true, force: true });
}
