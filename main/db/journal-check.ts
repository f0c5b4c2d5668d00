// The manager's on-demand full check of the journal: SQLite's own PRAGMA integrity_check (every page,
// every index) plus the journal's invariants — what must hold for "never a lost or duplicated note"
// to be true of the file as it is now. It reads the whole file (seconds at 100,000 sales), so it runs
// in a worker thread on a second, read-only connection: the cashier keeps selling meanwhile (WAL).
import { Worker } from 'node:worker_threads';
import { behindBy, readMark } from './mark.ts';
import type { JournalExtent } from './mark.ts';

export interface JournalCheckItem {
  /** Stable code (decisions and tests key on it, never on the label). */
  code: string;
  ok: boolean;
  /** pt-BR: what was checked. */
  label: string;
  /** pt-BR: what was found (a count, the first problems), or null when sound. */
  detail: string | null;
}

export interface JournalCheckResult {
  ok: boolean;
  ms: number;
  sales: number;
  items: JournalCheckItem[];
}

// Each invariant is a query whose rows are violations (at most a few are reported).
const INVARIANTS: { code: string; label: string; sql: string; describe: string }[] = [
  {
    code: 'sale_without_note',
    label: 'Toda venda tem ao menos uma tentativa de nota',
    sql: 'SELECT s.id AS a FROM sales s WHERE NOT EXISTS (SELECT 1 FROM emissions e WHERE e.sale_id = s.id) LIMIT 5',
    describe: 'vendas sem nota: ',
  },
  {
    code: 'two_live_notes',
    label: 'Nenhuma venda tem duas notas válidas',
    // A cancelled attempt may sit beside the live one (a duplicate found and cancelled by reconciliation).
    sql: `SELECT sale_id AS a FROM emissions WHERE state IN ('authorized', 'contingency', 'contingency_focus', 'denied')
          GROUP BY sale_id HAVING COUNT(*) > 1 LIMIT 5`,
    describe: 'vendas com mais de uma nota: ',
  },
  {
    code: 'chave_twice',
    label: 'Nenhuma chave de acesso aparece em duas vendas',
    sql: 'SELECT chave AS a FROM emissions WHERE chave IS NOT NULL GROUP BY chave HAVING COUNT(DISTINCT sale_id) > 1 LIMIT 5',
    describe: 'chaves repetidas: ',
  },
  {
    code: 'numero_twice',
    label: 'Nenhum número de nota (por série) foi usado por duas vendas',
    sql: `SELECT serie || '/' || numero AS a FROM emissions
          WHERE numero IS NOT NULL AND serie IS NOT NULL AND state IN ('authorized', 'contingency', 'contingency_focus', 'denied', 'cancelled')
          GROUP BY serie, numero HAVING COUNT(DISTINCT sale_id) > 1 LIMIT 5`,
    describe: 'números repetidos (série/número): ',
  },
  {
    code: 'sale_totals',
    label: 'O total de cada venda confere com os itens e os pagamentos',
    sql: `SELECT s.id AS a FROM sales s
          WHERE s.total_cents <> (SELECT COALESCE(SUM(i.total_cents), 0) FROM sale_items i WHERE i.sale_id = s.id)
             OR s.paid_cents <> (SELECT COALESCE(SUM(p.amount_cents), 0) FROM payments p WHERE p.sale_id = s.id)
          LIMIT 5`,
    describe: 'vendas cujo total não confere: ',
  },
];

const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const { path, invariants } = workerData;
let db;
const out = { integrity: [], foreignKeys: 0, sales: 0, invariants: {}, error: null };
try {
  db = new DatabaseSync(path, { readOnly: true });
  db.exec('PRAGMA busy_timeout = 5000');
  out.integrity = db.prepare('PRAGMA integrity_check(20)').all().map((r) => String(Object.values(r)[0]));
  out.foreignKeys = db.prepare('PRAGMA foreign_key_check').all().length;
  out.sales = Number(db.prepare('SELECT COUNT(*) AS n FROM sales').get().n);
  for (const inv of invariants) out.invariants[inv.code] = db.prepare(inv.sql).all().map((r) => String(r.a));
} catch (e) {
  out.error = String((e && e.message) || e);
} finally {
  if (db) db.close();
}
parentPort.postMessage(out);`;

interface WorkerOut {
  integrity: string[];
  foreignKeys: number;
  sales: number;
  invariants: Record<string, string[]>;
  error: string | null;
}

function runWorker(path: string): Promise<WorkerOut> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { eval: true, workerData: { path, invariants: INVARIANTS.map(({ code, sql }) => ({ code, sql })) } });
    w.once('message', (m: WorkerOut) => resolve(m));
    w.once('error', reject);
  });
}

/**
 * Runs the full check of the journal at `path` (opened by this process or not). `extent` and
 * `markPath` add the high-water-mark check: the file must not be behind the furthest it has been.
 */
export async function checkJournal(path: string, opts: { markPath?: string | null; extent?: JournalExtent } = {}): Promise<JournalCheckResult> {
  const t0 = performance.now();
  const w = await runWorker(path);
  const items: JournalCheckItem[] = [];
  if (w.error !== null) {
    items.push({
      code: 'readable',
      ok: false,
      label: 'O arquivo de vendas pode ser lido',
      detail: `O arquivo não pôde ser lido por inteiro (${w.error.slice(0, 160)}).`,
    });
  } else {
    const sound = w.integrity.length === 1 && w.integrity[0] === 'ok';
    items.push({
      code: 'integrity',
      ok: sound,
      label: 'Estrutura do arquivo (todas as páginas e índices)',
      detail: sound ? null : `Problemas encontrados: ${w.integrity.slice(0, 3).join('; ')}`,
    });
    items.push({
      code: 'foreign_keys',
      ok: w.foreignKeys === 0,
      label: 'Itens, pagamentos e notas pertencem a vendas existentes',
      detail: w.foreignKeys === 0 ? null : `${w.foreignKeys} registro(s) sem a venda a que pertencem.`,
    });
    for (const inv of INVARIANTS) {
      const bad = w.invariants[inv.code] ?? [];
      items.push({ code: inv.code, ok: bad.length === 0, label: inv.label, detail: bad.length === 0 ? null : inv.describe + bad.join(', ') });
    }
  }
  if (opts.markPath && opts.extent) {
    const mark = readMark(opts.markPath);
    const behind = mark ? behindBy(mark, opts.extent) : [];
    items.push({
      code: 'high_water_mark',
      ok: behind.length === 0,
      label: 'O arquivo não voltou no tempo (marca d’água)',
      detail: behind.length === 0 ? null : `O arquivo está atrás da marca: ${behind[0]}.`,
    });
  }
  return { ok: items.every((i) => i.ok), ms: performance.now() - t0, sales: w.sales, items };
}
