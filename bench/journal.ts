// The journal's own campaign, run by `npm run bench:crash` after the emission kills:
//   - kills during cancel, e-mail, inutilização and ECONF (a real child process, SIGKILL while the
//     request is out, before or after Focus processed it);
//   - a rollback campaign: older copies restored at random points, then more sales;
//   - backup time and size at 100,000 sales, the longest pause a sale sees while a backup runs;
//   - the high-water mark's cost per sale.
// Writes bench/results/journal.json. Flags: --kills N --rounds N --sales N.
import { spawn } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Journal } from '../main/db/journal.ts';
import { backupJournal } from '../main/db/backup.ts';
import { HighWaterMark, emptyMark } from '../main/db/mark.ts';
import { openLane, sell, spawnSandbox, type SandboxProcess } from '../test/integration/journal/rig.ts';
import { FocusClient } from '../main/focus/client.ts';
import { openRegisterDb } from '../main/register/db.ts';
import { Inutilizacoes } from '../main/register/inutilizacao.ts';
import { saleFor } from '../test/integration/emission/fixtures.ts';
import { seededRandom } from '../test/fixtures/seeded-random.ts';
import { BenchReport } from './lib/results.ts';
import { percentile } from './lib/stats.ts';

const { values: args } = parseArgs({
  options: {
    kills: { type: 'string', default: '12' },
    rounds: { type: 'string', default: '12' },
    sales: { type: 'string', default: '100000' },
    // Comma-separated parts to run (kills, rollback, mark, backup); all by default.
    only: { type: 'string', default: 'kills,rollback,mark,backup' },
    // Focus's requests per minute for the rollback campaign (the sandbox's default is 100).
    'rate-limit': { type: 'string' },
  },
});
const parts = new Set(args.only.split(','));
const report = new BenchReport('journal');
// On tmpfs when there is one: the figures then measure the journal, not the shared disk's fsync queue.
const root = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'balcao-bench-journal-'));
const rnd = seededRandom(2026);
const cents = (v: unknown) => Math.round(Number(v) * 100);

type KillAction = 'cancel' | 'email' | 'inutilizacao' | 'econf';
const KILL_ACTIONS: KillAction[] = ['cancel', 'email', 'inutilizacao', 'econf'];

/** A journal whose série 1 has a hole at base+2…base+3, for an inutilização to void. */
async function journalWithGap(path: string, base: number): Promise<void> {
  const j = Journal.open({ path });
  for (const [i, numero] of [base + 1, base + 4].entries()) {
    const { emission } = j.sales.commitSale(await saleFor(i, `gap_${base}_${numero}`), { environment: 'homologacao' });
    j.db.prepare("UPDATE emissions SET state = 'authorized', numero = ?, serie = '1' WHERE id = ?").run(String(numero), emission.id);
  }
  j.close();
}

const HANG_MATCH: Record<KillAction, Record<string, string>> = {
  cancel: { method: 'DELETE' },
  email: { method: 'POST', pathPrefix: '/v2/nfce/' },
  econf: { method: 'POST', pathPrefix: '/v2/nfce/' },
  inutilizacao: { method: 'POST', pathPrefix: '/v2/nfce/inutilizacao' },
};

async function killCampaign(sb: SandboxProcess, kills: number) {
  let unresolved = 0;
  let wrong = 0;
  const perKind: Record<KillAction, number> = { cancel: 0, email: 0, inutilizacao: 0, econf: 0 };
  const client = new FocusClient({ baseUrl: sb.url, token: sb.token, keepWarmMs: 0, defaultDeadlineMs: 10_000 });
  const voided = async () => {
    const o = await client.listInutilizacoes({ cnpj: sb.emitter.cnpj });
    return o.kind === 'ok' ? o.body.filter((i) => i.status === 'autorizado').map((i) => Number(i.numero_inicial)) : [];
  };
  for (let k = 0; k < kills; k++) {
    const action = KILL_ACTIONS[k % KILL_ACTIONS.length]!;
    perKind[action]++;
    const path = join(root, `kill-${k}.sqlite`);
    const base = 700_000 + k * 10;
    if (action === 'inutilizacao') await journalWithGap(path, base);
    const child = spawn(
      process.execPath,
      [
        join(import.meta.dirname, '../test/integration/journal/kill-child.ts'),
        JSON.stringify({ path, url: sb.url, token: sb.token, emitter: sb.emitter, action, dir: root, gap: [base + 2, base + 3] }),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    const exited = new Promise((r) => child.on('exit', r));
    while (!/^sold /m.test(out)) await new Promise((r) => setTimeout(r, 10));
    const ref = /^sold \d+ (\S+)$/m.exec(out)![1]!;
    // Half the kills land after Focus processed the request (hang after commit), half before.
    const after = rnd() < 0.5;
    await sb.faults({ hang: { count: 1, match: HANG_MATCH[action], afterCommit: after } });
    child.stdin.write('go\n');
    for (;;) {
      const n = (await sb.notes()).find((x) => x.ref === ref);
      const processed =
        action === 'cancel'
          ? n?.status === 'cancelado'
          : action === 'econf'
            ? (n?.econf?.length ?? 0) > 0
            : action === 'inutilizacao'
              ? (await voided()).includes(base + 2)
              : true;
      if (/^sent$/m.test(out) && (!after || processed)) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    await exited;
    await sb.reset();
    const lane = openLane(path, sb);
    await lane.engine.start();
    if (action === 'inutilizacao') {
      const db = openRegisterDb(path, Date.now());
      const inut = new Inutilizacoes({ db, api: client, clock: Date.now, environment: 'homologacao', cnpj: () => sb.emitter.cnpj, archiveDir: root });
      await inut.resolvePending();
      const row = inut.list()[0];
      const atFocus = (await voided()).filter((x) => x === base + 2).length;
      if (atFocus !== 1 || row?.state !== 'authorized') wrong++;
      db.close();
    }
    unresolved += lane.journal.sideEffects.listPending().length;
    const row = lane.journal.emissions.getByRef(ref)!;
    const note = (await sb.notes()).find((x) => x.ref === ref)!;
    if ((note.status === 'cancelado') !== (row.state === 'cancelled')) wrong++;
    if (action === 'econf') {
      const events = note.econf?.length ?? 0;
      const state = lane.engine.econfList(row.saleId)[0]?.state;
      // Never posted twice; an event Focus never got is never shown as registered.
      if (events > 1 || (events === 0 && state === 'authorized')) wrong++;
    }
    await lane.close();
  }
  await client.close();
  return { unresolved, wrong, perKind };
}

async function rollbackCampaign(sb: SandboxProcess, rounds: number) {
  let lost = 0;
  let duplicated = 0;
  let unresolved = 0;
  let wrongAdopted = 0;
  let sales = 0;
  let restores = 0;
  let checked = 0;
  let settleMs = 0;
  for (let r = 0; r < rounds; r++) {
    const path = join(root, `rollback-${r}.sqlite`);
    const copies: string[] = [];
    let lane = openLane(path, sb);
    lane.settings.terminalId = `RB${r}`;
    const reopen = async (restore?: string) => {
      await lane.close();
      if (restore) {
        copyFileSync(restore, path);
        for (const side of ['-wal', '-shm']) if (existsSync(path + side)) unlinkSync(path + side);
        restores++;
      }
      lane = openLane(path, sb);
      lane.settings.terminalId = `RB${r}`;
    };
    const steps = 6 + Math.floor(rnd() * 6);
    for (let i = 0; i < steps; i++) {
      await sell(lane, i).catch(() => undefined);
      sales++;
      if (rnd() < 0.4) {
        await reopen();
        const copy = `${path}.copy${copies.length}`;
        copyFileSync(path, copy);
        copies.push(copy);
      }
      if (copies.length > 0 && rnd() < 0.25) await reopen(copies[Math.floor(rnd() * copies.length)]);
    }
    for (let i = 0; i < 3; i++) {
      await sell(lane, 100 + i).catch(() => undefined);
      sales++;
    }
    // Let every open emission settle, then compare the journal with Focus one to one. The re-learning
    // GETs count against Focus's rate limit (100 a minute): a sale can wait for the next window, so
    // settling may take up to a window; only what is still open after that is unresolved.
    const settleFrom = performance.now();
    while (performance.now() - settleFrom < 90_000 && (lane.engine.busy() > 0 || lane.journal.emissions.listOpen().length > 0))
      await new Promise((res) => setTimeout(res, 20));
    settleMs = Math.max(settleMs, performance.now() - settleFrom);
    const notes = (await sb.notes()).filter((n) => n.ref.startsWith(`RB${r}_`) && (n.status === 'autorizado' || n.status === 'cancelado'));
    const bySale = new Map<number, number>();
    checked += notes.length;
    for (const n of notes) {
      const row = lane.journal.emissions.getByRef(n.ref);
      if (!row) {
        lost++;
        continue;
      }
      bySale.set(row.saleId, (bySale.get(row.saleId) ?? 0) + 1);
      const sale = lane.journal.sales.get(row.saleId)!;
      if (row.state === 'authorized' && cents((n.requisicao as { valor_total: string }).valor_total) !== sale.totalCents) wrongAdopted++;
    }
    for (const c of bySale.values()) if (c > 1) duplicated += c - 1;
    const open = lane.journal.emissions.listOpen();
    const refusal = lane.journal.refusal();
    unresolved += open.length + (refusal ? 1 : 0);
    // Every unresolved case is printed: a campaign figure nobody can explain is worth nothing.
    for (const row of open) {
      const last = lane.journal.db.prepare('SELECT kind, http_status FROM emission_answers WHERE emission_id = ? ORDER BY id DESC LIMIT 1').get(row.id);
      console.error(`rollback round ${r}: open emission ${row.ref} ${row.state} (${row.blockReason ?? ''}) last answer ${JSON.stringify(last ?? null)}`);
    }
    if (refusal) {
      const audit = lane.journal.audit.recent(10).filter((a) => a.action === 'journal_relearn');
      console.error(
        `rollback round ${r}: still refused: ${refusal.message} relearn=${JSON.stringify(audit.map((a) => a.details))} faults=${JSON.stringify(lane.faults)}`,
      );
    }
    await lane.close();
  }
  return { lost, duplicated, unresolved, wrongAdopted, sales, restores, notes: checked, settleMs };
}

async function bigJournal(n: number): Promise<string> {
  const path = join(root, 'big.sqlite');
  const j = Journal.open({ path });
  const templates = await Promise.all([0, 1, 2, 3].map((i) => saleFor(i, `t${i}`)));
  const t0 = performance.now();
  j.transaction(() => templates.forEach((t) => j.sales.commitSale(t, { environment: 'homologacao' })));
  // The rest are copies of the four templates, made in SQL (a realistic file, built in seconds).
  j.transaction(() => {
    j.db.exec(`WITH RECURSIVE k(n) AS (SELECT 5 UNION ALL SELECT n + 1 FROM k WHERE n < ${n})
      INSERT INTO sales(id, client_id, terminal_id, operator_id, created_at, created_ms, local_day, customer_document, customer_name, customer_email,
        gross_cents, discount_cents, total_cents, paid_cents, change_cents, approx_tax_cents)
      SELECT k.n, 'big_' || k.n, s.terminal_id, s.operator_id, s.created_at, s.created_ms + k.n * 1000, s.local_day, s.customer_document, s.customer_name,
        s.customer_email, s.gross_cents, s.discount_cents, s.total_cents, s.paid_cents, s.change_cents, s.approx_tax_cents
      FROM k JOIN sales s ON s.id = 1 + (k.n % 4)`);
    j.db.exec(`INSERT INTO sale_items SELECT b.id, i.seq, i.product_id, i.code, i.gtin, i.description, i.unit, i.ncm, i.cfop, i.cest, i.origin, i.icms,
        i.icms_rate_bp, i.approx_tax_bp, i.qty_e4, i.unit_price_cents, i.gross_cents, i.discount_cents, i.total_cents, i.approx_tax_cents
      FROM sales b JOIN sale_items i ON i.sale_id = 1 + (b.id % 4) WHERE b.id > 4`);
    j.db.exec(`INSERT INTO payments SELECT b.id, p.seq, p.method, p.amount_cents, p.card_json, p.description
      FROM sales b JOIN payments p ON p.sale_id = 1 + (b.id % 4) WHERE b.id > 4`);
    j.db.exec(`INSERT INTO emissions(sale_id, attempt, ref, environment, state, created_ms, updated_ms)
      SELECT id, 1, 'PDV01_big_' || id || '_1', 'homologacao', 'pending', created_ms, created_ms FROM sales WHERE id > 4`);
    j.db.exec(`INSERT INTO emission_answers(emission_id, at_ms, operation, kind, http_status, body)
      SELECT id, created_ms, 'emit', 'ok', 201, '{"status":"autorizado","status_sefaz":"100","mensagem_sefaz":"Autorizado o uso da NF-e"}' FROM emissions`);
  });
  j.db.exec(`UPDATE emissions SET state = 'authorized', numero = CAST(id AS TEXT), serie = '1', chave = printf('%044d', id), protocolo = printf('1%014d', id),
    authorized_at = '2026-11-30T10:00:00-03:00', caminho_xml = '/arquivos/x.xml'`);
  j.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  console.error(`journal of ${n} sales built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  j.close();
  return path;
}

// The previous way, kept here to measure before and after in one run: a second, read-only connection
// in a worker thread copies the whole file in one step (a stepped copy from a second connection
// restarts on every commit), then reopens the copy and checks it.
const LEGACY_WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const { DatabaseSync, backup } = require('node:sqlite');
const { pathToFileURL } = require('node:url');
(async () => {
  const t0 = performance.now();
  const src = new DatabaseSync(workerData.src, { readOnly: true, timeout: 5000 });
  await backup(src, workerData.part, { rate: 1e9 });
  src.close();
  const t1 = performance.now();
  const db = new DatabaseSync(Object.assign(pathToFileURL(workerData.part), { search: '?immutable=1' }), { readOnly: true });
  const check = db.prepare('PRAGMA quick_check').all().map((r) => String(Object.values(r)[0]));
  const sales = Number(db.prepare('SELECT COUNT(*) AS n FROM sales').get().n);
  db.close();
  parentPort.postMessage({ ok: check.length === 1 && check[0] === 'ok', sales, copyMs: t1 - t0, verifyMs: performance.now() - t1 });
})();`;

async function legacyBackup(src: string, part: string) {
  const t0 = performance.now();
  const r = await new Promise<{ ok: boolean; sales: number; copyMs: number; verifyMs: number }>((resolve, reject) => {
    const w = new Worker(LEGACY_WORKER, { eval: true, workerData: { src, part } });
    w.once('message', resolve);
    w.once('error', reject);
  });
  if (!r.ok) throw new Error('legacy backup failed its check');
  const fd = openSync(part, 'r');
  fsyncSync(fd);
  closeSync(fd);
  const bytes = statSync(part).size;
  rmSync(part, { force: true });
  return { ms: performance.now() - t0, copyMs: r.copyMs, verifyMs: r.verifyMs, sales: r.sales, bytes };
}

async function backupFigures(n: number) {
  const path = await bigJournal(n);
  const j = Journal.open({ path });
  const templates = await Promise.all([0, 1, 2, 3].map((i) => saleFor(i, `b${i}`)));
  // The same selling loop (commit, then yield) with and without a backup running, in this run:
  // under a loaded machine only the comparison says what the backup costs the till.
  let k = 0;
  const sellWhile = async (running: () => boolean) => {
    const gaps: number[] = [];
    const commits: number[] = [];
    while (running()) {
      const t = performance.now();
      j.sales.commitSale({ ...templates[k % 4]!, clientId: `s_${k++}` }, { environment: 'homologacao' });
      commits.push(performance.now() - t);
      const before = performance.now();
      await new Promise((r) => setImmediate(r));
      gaps.push(performance.now() - before);
    }
    return { gaps, commits, pauses: gaps.map((g, i) => g + (commits[i] ?? 0)) };
  };
  const dir = join(root, 'backups');
  mkdirSync(dir, { recursive: true });
  const during = async <T>(backup: () => Promise<T>) => {
    let stop = false;
    const selling = sellWhile(() => !stop);
    const b = await backup();
    stop = true;
    const d = await selling;
    return { b, longestPause: Math.max(...d.pauses), pauseP99: percentile(d.pauses, 99), sales: d.commits.length, commitP99: percentile(d.commits, 99) };
  };
  // Before (one step from a second connection) and after (stepped on the till's connection), alone
  // (what the manager waits for at closing), then each with sales going on.
  const beforeAlone = await legacyBackup(path, join(dir, 'legacy.part'));
  const alone = await backupJournal(j.db, dir, 'big');
  const beforeDuring = await during(() => legacyBackup(path, join(dir, 'legacy.part')));
  const afterDuring = await during(() => backupJournal(j.db, dir, 'big'));
  // Baseline: selling for as long as the backup took, with no backup.
  const until = performance.now() + afterDuring.b.ms;
  const base = await sellWhile(() => performance.now() < until);
  j.close();
  return {
    beforeAlone,
    alone,
    beforeDuring,
    afterDuring,
    baselineLongestPause: Math.max(...base.pauses),
    baselinePauseP99: percentile(base.pauses, 99),
    baselineCommitP99: percentile(base.commits, 99),
    salesBaseline: base.commits.length,
  };
}

async function markCost() {
  const path = join(root, 'mark.sqlite');
  const mark = new HighWaterMark(`${path}.mark`, emptyMark('bench'));
  mark.reset(emptyMark('bench'));
  const bumps: number[] = [];
  for (let i = 1; i <= 20_000; i++) {
    const t = performance.now();
    mark.bump({ saleId: i, emissionId: i, attempt: 1, serie: '1', numero: String(i) });
    bumps.push(performance.now() - t);
  }
  mark.close();
  // The same sale commit with and without the mark.
  const templates = await Promise.all([0, 1, 2, 3].map((i) => saleFor(i, `m${i}`)));
  const run = (markPath: string | null) => {
    const p = join(root, `commit-${markPath ? 'mark' : 'nomark'}.sqlite`);
    const j = Journal.open({ path: p, markPath: markPath === null ? null : `${p}.mark` });
    j.db.exec('PRAGMA synchronous = NORMAL'); // fsync noise would hide a 0.1 ms effect
    const out: number[] = [];
    for (let i = 0; i < 3_000; i++) {
      const t = performance.now();
      j.sales.commitSale({ ...templates[i % 4]!, clientId: `c_${i}` }, { environment: 'homologacao' });
      out.push(performance.now() - t);
    }
    j.close();
    return out;
  };
  const without = run(null);
  const withMark = run('x');
  return { bumpP99: percentile(bumps, 99), bumpP50: percentile(bumps, 50), commitP99With: percentile(withMark, 99), commitP99Without: percentile(without, 99) };
}

const sb = await spawnSandbox(join(root, 'sandbox'));
const load = () => loadavg().map((l) => Math.round(l * 100) / 100);
report.meta.loadAverageAtStart = load();
report.meta.parts = [...parts];
console.log(`uptime at start: load average ${load().join(', ')} (${cpus().length} cores, shared)`);
let failed = false;
try {
  if (parts.has('kills')) {
    const kills = await killCampaign(sb, Number(args.kills));
    report.add('side_effect_kills', Number(args.kills));
    for (const [kind, count] of Object.entries(kills.perKind)) report.add(`side_effect_kills_${kind}`, count);
    report.add('side_effect_unresolved', kills.unresolved);
    report.add('side_effect_wrong_state', kills.wrong);
    failed ||= kills.unresolved > 0 || kills.wrong > 0;
  }
  if (parts.has('rollback')) {
    if (args['rate-limit'] !== undefined) await sb.faults({ rateLimit: Number(args['rate-limit']) });
    const rb = await rollbackCampaign(sb, Number(args.rounds));
    report.add('rollback_rounds', Number(args.rounds));
    report.add('rollback_restores', rb.restores);
    report.add('rollback_sales', rb.sales);
    report.add('rollback_notes_checked', rb.notes);
    report.add('rollback_lost', rb.lost);
    report.add('rollback_duplicated', rb.duplicated);
    report.add('rollback_unresolved', rb.unresolved);
    report.add('rollback_wrong_notes_adopted', rb.wrongAdopted);
    report.add('rollback_longest_settle', rb.settleMs, 'ms');
    failed ||= rb.lost + rb.duplicated + rb.unresolved + rb.wrongAdopted > 0;
  }
  if (parts.has('mark')) {
    const m = await markCost();
    report.add('hwm_bump_p50', m.bumpP50, 'ms');
    report.add('hwm_bump_p99', m.bumpP99, 'ms');
    report.add('commit_p99_with_hwm', m.commitP99With, 'ms');
    report.add('commit_p99_without_hwm', m.commitP99Without, 'ms');
  }
  if (parts.has('backup')) {
    const bk = await backupFigures(Number(args.sales));
    report.meta.loadAverageAfterBackups = load();
    report.add('backup_sales', bk.alone.sales);
    report.add('backup_size', bk.alone.bytes / (1024 * 1024), 'MiB');
    report.add('backup_time_before', bk.beforeAlone.ms, 'ms');
    report.add('backup_time', bk.alone.ms, 'ms');
    report.add('backup_copy_time_before', bk.beforeAlone.copyMs, 'ms');
    report.add('backup_copy_time', bk.alone.copyMs, 'ms');
    report.add('backup_verify_time_before', bk.beforeAlone.verifyMs, 'ms');
    report.add('backup_verify_time', bk.alone.verifyMs, 'ms');
    report.add('backup_time_while_selling_before', bk.beforeDuring.b.ms, 'ms');
    report.add('backup_time_while_selling', bk.afterDuring.b.ms, 'ms');
    report.add('longest_selling_pause_during_backup_before', bk.beforeDuring.longestPause, 'ms');
    report.add('longest_selling_pause_during_backup', bk.afterDuring.longestPause, 'ms');
    report.add('longest_selling_pause_without_backup', bk.baselineLongestPause, 'ms');
    report.add('selling_pause_p99_during_backup_before', bk.beforeDuring.pauseP99, 'ms');
    report.add('selling_pause_p99_during_backup', bk.afterDuring.pauseP99, 'ms');
    report.add('selling_pause_p99_without_backup', bk.baselinePauseP99, 'ms');
    report.add('sales_during_backup_before', bk.beforeDuring.sales);
    report.add('sales_during_backup', bk.afterDuring.sales);
    report.add('sales_same_time_without_backup', bk.salesBaseline);
    report.add('commit_p99_during_backup', bk.afterDuring.commitP99, 'ms');
    report.add('commit_p99_without_backup', bk.baselineCommitP99, 'ms');
  }
  report.meta.loadAverageAtEnd = load();
  console.log(`uptime at end: load average ${load().join(', ')}`);
  console.log(`results: ${report.write()}`);
  if (failed) process.exitCode = 1;
} finally {
  await sb.close();
  rmSync(root, { recursive: true, force: true });
}
