// bench:register — X/Z with 2,000 sales in the session (target ≤ 100 ms), the period report over
// 100,000 sales (≤ 300 ms), and the month export of 30,000 notes with their XMLs on disk (time and
// peak memory of the exporting process; ≤ 60 s, ≤ 300 MB). Sales are written through the real
// journal by the seeded generator of the report tests.
process.env.TZ = 'America/Sao_Paulo';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Journal } from '../main/db/journal.ts';
import { openRegisterDb } from '../main/register/db.ts';
import { Register } from '../main/register/register.ts';
import { periodReport, localDayStartMs } from '../main/reports/period.ts';
import { archivePath } from '../main/emission/archive.ts';
import { generateSales } from '../test/fixtures/register-days.ts';
import { BenchReport } from './lib/results.ts';
import { summarize } from './lib/stats.ts';

const OPS = ['caixa-1', 'caixa-2', 'gerente'];
const names = (id: string) => id;
const report = new BenchReport('register');
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

function fastJournal(path: string): Journal {
  const j = Journal.open({ path });
  // Bench set-up only: the journal's own setting (FULL) is what the app runs with.
  j.db.exec('PRAGMA synchronous = OFF');
  return j;
}

try {
  // 1. X and Z with 2,000 sales in the session.
  {
    const path = join(root, 'xz.sqlite');
    const j = fastJournal(path);
    const start = localDayStartMs('2026-03-02') + 8 * 3_600_000;
    await generateSales(j, { seed: 1, count: 2_000, startMs: start, spanMs: 12 * 3_600_000, terminalId: 'PDV01', operators: OPS, batch: 2_000 });
    // The Z needs every note settled.
    j.db.exec("UPDATE emissions SET state = 'authorized' WHERE state IN ('pending', 'blocked')");
    j.close();
    const db = openRegisterDb(path, Date.now());
    const now = start + 13 * 3_600_000;
    db.prepare("INSERT INTO register_sessions(terminal_id, state, opened_ms, opened_by, opening_cents) VALUES ('PDV01', 'open', ?, 'caixa-1', 20000)").run(
      start - 60_000,
    );
    const reg = new Register({ db, clock: () => now });
    const session = reg.requireOpen('PDV01');
    const x = summarize(timeIt(30, () => reg.report(session, names)));
    report.add('x_report_2000_sales_p50', x.p50, 'ms');
    report.add('x_report_2000_sales_p90', x.p90, 'ms');
    const t = performance.now();
    const z = reg.close({
      names,
      terminalId: 'PDV01',
      declaration: { cashCounts: {}, cashCents: 0, cardCents: 0, pixCents: 0, otherCents: 0 },
      operatorId: 'caixa-1',
      managerId: 'gerente',
      zText: () => '',
    });
    report.add('z_report_2000_sales', performance.now() - t, 'ms');
    report.add('z_report_sales_counted', z.report.sales.count + z.report.cancelledNotes.count, 'sales');
    db.close();
  }

  // 2. Period report over 100,000 sales (a month of a busy shop).
  {
    const path = join(root, 'period.sqlite');
    const j = fastJournal(path);
    const t0 = performance.now();
    const counters = { serie1: 0, serie900: 0 };
    for (let d = 0; d < 25; d++) {
      await generateSales(
        j,
        {
          seed: 100 + d,
          count: 4_000,
          startMs: localDayStartMs('2026-03-01', d) + 8 * 3_600_000,
          spanMs: 13 * 3_600_000,
          terminalId: 'PDV01',
          operators: OPS,
          batch: 4_000,
        },
        counters,
      );
    }
    report.add('period_setup_100000_sales', (performance.now() - t0) / 1000, 's');
    j.close();
    const db = openRegisterDb(path, Date.now());
    let sales = 0;
    const p = summarize(
      timeIt(7, () => {
        sales = periodReport(db, { from: '2026-03-01', to: '2026-03-31', names }).sales.count;
      }),
    );
    report.add('period_report_100000_sales_p50', p.p50, 'ms');
    report.add('period_report_100000_sales_max', p.max, 'ms');
    report.add('period_report_valid_sales', sales, 'sales');
    const day = summarize(timeIt(7, () => periodReport(db, { from: '2026-03-10', to: '2026-03-10', names })));
    report.add('day_report_4000_sales_p50', day.p50, 'ms');
    db.close();
  }

  // 3. Month export of 30,000 notes, XMLs local; measured in a process of its own (peak RSS).
  {
    const dataDir = join(root, 'month');
    mkdirSync(dataDir, { recursive: true });
    const path = join(dataDir, 'journal.sqlite');
    const j = fastJournal(path);
    const counters = { serie1: 0, serie900: 0 };
    for (let d = 0; d < 30; d++) {
      await generateSales(
        j,
        {
          seed: 500 + d,
          count: 1_000,
          startMs: localDayStartMs('2026-04-01', d) + 8 * 3_600_000,
          spanMs: 13 * 3_600_000,
          terminalId: 'PDV01',
          operators: OPS,
          batch: 1_000,
        },
        counters,
      );
    }
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
    const out = execFileSync(process.execPath, [join(here, 'register-export-child.ts'), path, archiveDir, cnpj, '2026-04'], {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'America/Sao_Paulo' },
    });
    const r = JSON.parse(out.trim().split('\n').pop()!) as { ms: number; maxRssMb: number; startRssMb: number; notes: number; bytes: number };
    report.add('month_export_30000_notes', r.ms / 1000, 's');
    report.add('month_export_peak_rss', r.maxRssMb, 'MB');
    report.add('month_export_rss_at_start', r.startRssMb, 'MB');
    report.add('month_export_notes', r.notes, 'notes');
    report.add('month_export_zip_size', r.bytes / 1_048_576, 'MB');
  }
  report.meta.targets = { x_z_ms: 100, period_ms: 300, month_export_s: 60, month_export_mb: 300 };
  console.log(`written: ${report.write()}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
