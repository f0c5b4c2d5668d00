// bench:pix — PIX at a real-profile lane (its own Focus token, emitter and PSP credentials), the PSP
// simulator answering every API call 100 ms late, the Focus sandbox on loopback:
//   1. payment confirmed by the bank → the lane sees it → note authorized → receipt bytes at a
//      loopback printer, p50/p99, driven through the core as the payment screen drives it;
//   2. requests to the PSP while the lane waits on charges (per second of waiting, per confirmed
//      payment; target ≤ 1 per second per charge);
//   3. a crash campaign: the till process SIGKILLs itself at named points of real sales paid by PIX
//      (charge in flight, created, paid, confirmation seen, sale committed, note in flight,
//      authorized); after the last run: no payment lost, none charged twice, no note twice.
// `npm run bench:pix -- [--sales N] [--rounds R] [--crash-only]`
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg, uptime as osUptime } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DatabaseSync } from 'node:sqlite';
import { startSandbox } from '../main/sandbox/index.ts';
import { startPspSandbox } from '../main/psp-sandbox/index.ts';
import { LAYOUT } from '../main/core/layout.ts';
import { startFakePrinter } from '../test/fixtures/fake-printer.ts';
import type { PixChargeView } from '../shared/pix/charge.ts';
import { BenchReport } from './lib/results.ts';
import { summarize } from './lib/stats.ts';
import { authorized, CRASH_POINTS, ok, openLane, paidCharge, pixDraft, prepareLane, PRODUCT, until, type ChildConfig, type LaneSetup } from './pix-lane.ts';

process.env.BALCAO_KEY_DIR ??= join(tmpdir(), 'balcao-bench-keys');
process.env.BALCAO_KEYRING = 'off';
const { values: args } = parseArgs({
  options: { sales: { type: 'string', default: '40' }, rounds: { type: 'string', default: '3' }, 'crash-only': { type: 'boolean', default: false } },
});
const SALES = Number(args.sales);
const ROUNDS = Number(args.rounds);
const PSP_LATENCY_MS = 100;

const report = new BenchReport('pix');
/** What `uptime` prints: figures taken on a loaded machine are inflated, so every run says how loaded it was. */
const uptime = () => {
  const up = Math.floor(osUptime() / 60);
  const load = loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');
  return `${new Date().toISOString().slice(11, 19)} up ${Math.floor(up / 60)}:${String(up % 60).padStart(2, '0')}, load average: ${load}`;
};
const dirs: string[] = [];
const tmp = (p: string) => {
  const d = mkdtempSync(join(tmpdir(), `balcao-bench-pix-${p}-`));
  dirs.push(d);
  return d;
};
console.log(`uptime: ${uptime()}`);
report.meta.uptimeStart = uptime();
report.meta.loadavgStart = loadavg();

const focus = await startSandbox({ port: 0, latencyMs: 0 });
const psp = await startPspSandbox({ merchant: { name: 'Loja', city: 'Curitiba' } });
psp.setFaults({ latencyMs: PSP_LATENCY_MS });
const printer = await startFakePrinter();

function laneSetup(printerOn: boolean): LaneSetup {
  const creds = psp.register();
  return {
    dataDir: tmp('lane'),
    rendererDir: tmp('renderer'),
    focusUrl: focus.url,
    focusToken: focus.tokens.homologacao,
    psp: { url: psp.url, cnpj: psp.cnpj, clientId: creds.clientId, clientSecret: creds.clientSecret, cert: creds.cert, key: creds.key, ca: psp.ca },
    ...(printerOn ? { printer: { host: printer.host, port: printer.port } } : {}),
  };
}
const pspRequests = () => {
  const c = psp.state.counters;
  return c.token + c.put + c.get + c.patch + c.list + c.refund;
};

try {
  // ── 1 + 2: confirmation → authorized → receipt bytes; PSP requests while waiting ─────────────
  const setup = laneSetup(true);
  if (!args['crash-only']) await prepareLane(setup);
  const lane = args['crash-only'] ? null : await openLane(setup);
  const core = lane?.core;
  const toSeen: number[] = [];
  const toAuthorized: number[] = [];
  const toBytes: number[] = [];
  const laneOwn: number[] = [];
  let waitingMs = 0;
  const before = pspRequests();
  const getsBefore = psp.state.counters.get;
  if (lane && core)
    try {
      for (let i = 0; i < SALES; i++) {
        const clientId = `bench_pix_${process.pid}_${i}`;
        const charge: PixChargeView = await ok(core.handle('pix.charge', { clientId, amountCents: PRODUCT.priceCents }));
        // The customer takes a moment to scan and confirm in their bank's app (0.5–2.5 s).
        const think = 500 + ((i * 617) % 2000);
        const shownAt = Date.now();
        await new Promise((r) => setTimeout(r, think));
        const jobs = printer.jobs.length;
        const t0 = Date.now();
        if (!psp.pay(charge.txid).ok) throw new Error('payment refused');
        const paid = await until(core, () => paidCharge(core, clientId), 5);
        const tSeen = Date.now();
        waitingMs += tSeen - shownAt;
        const sold = await ok(core.handle('sales.finalize', pixDraft(clientId, paid.txid)));
        await until(core, () => authorized(core, sold.saleId), 5);
        const tAuth = Date.now();
        const [job] = (await printer.waitForJobs(jobs + 1, 30_000)).slice(jobs);
        const tBytes = job!.receivedAt;
        toSeen.push(tSeen - t0);
        toAuthorized.push(tAuth - t0);
        toBytes.push(tBytes - t0);
        laneOwn.push(tBytes - tSeen);
      }
      const requests = pspRequests() - before;
      const gets = psp.state.counters.get - getsBefore;
      for (const [name, s] of [
        ['confirmed_to_seen', toSeen],
        ['confirmed_to_authorized', toAuthorized],
        ['confirmed_to_receipt_bytes', toBytes],
        ['seen_to_receipt_bytes', laneOwn],
      ] as const) {
        const x = summarize(s);
        report.add(`${name}_p50`, x.p50, 'ms');
        report.add(`${name}_p99`, x.p99, 'ms');
      }
      report.add('sales_measured', SALES, 'sales');
      report.add('psp_latency', PSP_LATENCY_MS, 'ms');
      report.add('psp_requests_per_confirmed_payment', requests / SALES, 'requests');
      report.add('psp_status_queries_per_second_waiting', gets / (waitingMs / 1000), 'req/s');

      // One charge nobody pays, watched for 10 s: what the lane spends on it alone.
      const idle = await ok(core.handle('pix.charge', { clientId: `bench_pix_idle_${process.pid}`, amountCents: PRODUCT.priceCents }));
      const g0 = psp.state.counters.get;
      const w0 = Date.now();
      await new Promise((r) => setTimeout(r, 10_000));
      report.add('psp_requests_per_second_one_unpaid_charge', (psp.state.counters.get - g0) / ((Date.now() - w0) / 1000), 'req/s');
      // Three charges waiting at once (three lanes' worth on one till would never happen; the budget is per charge).
      const many = await Promise.all(
        [1, 2, 3].map((k) => ok(core.handle('pix.charge', { clientId: `bench_pix_many_${process.pid}_${k}`, amountCents: PRODUCT.priceCents }))),
      );
      const g1 = psp.state.counters.get;
      const w1 = Date.now();
      await new Promise((r) => setTimeout(r, 10_000));
      report.add('psp_requests_per_second_four_unpaid_charges', (psp.state.counters.get - g1) / ((Date.now() - w1) / 1000), 'req/s');
      for (const c of [idle, ...many]) await ok(core.handle('pix.cancel', { txid: c.txid }));
    } finally {
      await lane.close();
    }
  console.log(`uptime: ${uptime()}`);

  // ── 3: the crash campaign over real sales ───────────────────────────────────────────────────
  const crashSetup = laneSetup(false);
  await prepareLane(crashSetup);
  focus.controls.set({ latencyMs: 250 });
  const drafts = Array.from({ length: CRASH_POINTS.length * ROUNDS + 3 }, (_, i) => `crash_pix_${process.pid}_${String(i).padStart(3, '0')}`);
  const work = tmp('crash');
  const doneFile = join(work, 'done.txt');
  const killsAt: Record<string, number> = {};
  let kills = 0;
  let runs = 0;
  const runChild = (crashAt: ChildConfig['crashAt']) =>
    new Promise<{ killed: string | null; finished: boolean; stderr: string }>((resolve) => {
      const cfg: ChildConfig = {
        dataDir: crashSetup.dataDir,
        rendererDir: crashSetup.rendererDir,
        controlUrl: psp.controlUrl,
        controlSecret: psp.controlSecret,
        drafts,
        doneFile,
        crashAt,
      };
      const path = join(work, 'child.json');
      writeFileSync(path, JSON.stringify(cfg), { mode: 0o600 });
      const child = spawn(process.execPath, [join(import.meta.dirname, 'pix-crash-child.ts'), path], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('exit', () => {
        runs++;
        const killed = /killed (\S+)/.exec(out)?.[1] ?? null;
        resolve({ killed, finished: out.includes('all-done'), stderr: err });
      });
    });
  const t0 = Date.now();
  for (let r = 0; r < ROUNDS; r++) {
    for (const point of CRASH_POINTS) {
      const res = await runChild(point);
      if (res.killed) {
        kills++;
        killsAt[res.killed] = (killsAt[res.killed] ?? 0) + 1;
      } else if (!res.finished) throw new Error(`the till died on its own: ${res.stderr.slice(-2000)}`);
    }
  }
  const last = await runChild(null);
  if (!last.finished) throw new Error(`the last run did not finish: ${last.stderr.slice(-2000)}`);
  const campaignMs = Date.now() - t0;

  // The verdict, from the journal, the PSP's records and Focus's notes.
  const db = new DatabaseSync(LAYOUT.journal(crashSetup.dataDir, 'homologacao'), { readOnly: true });
  const sales = db.prepare('SELECT id, client_id FROM sales').all() as { id: number; client_id: string }[];
  const charges = db.prepare('SELECT txid, client_id, state, sale_id FROM pix_charges').all() as {
    txid: string;
    client_id: string;
    state: string;
    sale_id: number | null;
  }[];
  const refs = db.prepare('SELECT sale_id, ref FROM emissions').all() as { sale_id: number; ref: string }[];
  const payments = db.prepare("SELECT sale_id, card_json FROM payments WHERE method = '17'").all() as { sale_id: number; card_json: string | null }[];
  db.close();
  const saleOfClient = new Map(sales.map((s) => [s.client_id, s.id]));
  const chargeOf = new Map(charges.map((c) => [c.txid, c]));
  const received = psp.state.pix.filter((p) => p.txid !== null && chargeOf.has(p.txid));
  const notes = focus.notes().filter((n) => n.status === 'autorizado');
  const refToSale = new Map(refs.map((r) => [r.ref, r.sale_id]));
  const notesPerSale = new Map<number, number>();
  for (const n of notes) {
    const sid = refToSale.get(n.ref);
    if (sid !== undefined) notesPerSale.set(sid, (notesPerSale.get(sid) ?? 0) + 1);
  }
  const draftsWithoutSale = drafts.filter((d) => !saleOfClient.has(d)).length;
  const salesWithoutNote = drafts.filter((d) => saleOfClient.has(d) && !notesPerSale.get(saleOfClient.get(d)!)).length;
  const notesTwice = [...notesPerSale.values()].filter((n) => n > 1).length;
  const paidPerDraft = new Map<string, number>();
  for (const p of received) paidPerDraft.set(chargeOf.get(p.txid!)!.client_id, (paidPerDraft.get(chargeOf.get(p.txid!)!.client_id) ?? 0) + 1);
  const doubleCharged = [...paidPerDraft.values()].filter((n) => n > 1).length;
  // A payment is lost when the PSP has it and the journal neither put it in a sale nor flagged it.
  const lost = received.filter((p) => {
    const c = chargeOf.get(p.txid!)!;
    if (c.state === 'used') return c.sale_id === null;
    return !['orphan', 'refunding', 'refunded'].includes(c.state);
  }).length;
  const usedWithoutE2eOnNote = received.filter((p) => {
    const c = chargeOf.get(p.txid!)!;
    if (c.state !== 'used') return false;
    return !payments.some((x) => x.sale_id === c.sale_id && (x.card_json ?? '').includes(p.endToEndId));
  }).length;
  // Every charge the PSP holds for this lane is in the journal (journaled before the PUT), and a
  // crash never leaves a draft with a second charge beside a paid one.
  const laneCobs = [...psp.state.cobs.values()].filter((c) => c.owner === crashSetup.psp.clientId);
  const unknownCharges = laneCobs.filter((c) => !chargeOf.has(c.txid)).length;
  const cobsPerDraft = new Map<string, number>();
  for (const c of laneCobs) {
    const j = chargeOf.get(c.txid);
    if (j) cobsPerDraft.set(j.client_id, (cobsPerDraft.get(j.client_id) ?? 0) + 1);
  }
  const flagged = charges.filter((c) => ['orphan', 'refunding', 'refunded'].includes(c.state)).length;

  report.add('crash_kills', kills, 'kills');
  for (const p of CRASH_POINTS) report.add(`crash_kills_at_${p.replace(/-/g, '_')}`, killsAt[p] ?? 0, 'kills');
  report.add('crash_runs', runs, 'runs');
  report.add('crash_sales', sales.length, 'sales');
  report.add('crash_payments_received', received.length, 'payments');
  report.add('crash_payments_lost', lost, 'payments');
  report.add('crash_sales_charged_twice', doubleCharged, 'sales');
  report.add('crash_drafts_without_sale', draftsWithoutSale, 'drafts');
  report.add('crash_sales_without_authorized_note', salesWithoutNote, 'sales');
  report.add('crash_sales_with_two_notes', notesTwice, 'sales');
  report.add('crash_paid_without_e2e_on_note', usedWithoutE2eOnNote, 'payments');
  report.add('crash_payments_flagged_to_manager', flagged, 'payments');
  report.add('crash_psp_charges_unknown_to_journal', unknownCharges, 'charges');
  report.add('crash_psp_charges_max_per_draft', Math.max(0, ...cobsPerDraft.values()), 'charges');
  report.add('crash_campaign_duration', campaignMs / 1000, 's');
} finally {
  console.log(`uptime: ${uptime()}`);
  report.meta.uptimeEnd = uptime();
  report.meta.loadavgEnd = loadavg();
  console.log(`json: ${report.write()}`);
  await printer.close();
  await psp.close();
  await focus.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
