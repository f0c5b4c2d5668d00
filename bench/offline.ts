// bench:offline — the offline flow end to end, on the real parts (sandbox, delay proxy, FocusClient,
// engine, journal on disk, vault, A1 test certificate):
// 1. link known offline: Finalizar → contingency receipt ESC/POS bytes ready (target p99 ≤ 100 ms);
// 2. link falling silently (packets dropped by the proxy's blackhole, not refused): Finalizar →
//    receipt bytes (target ≤ authorization deadline + 200 ms; the deadline is 2 s here);
// 3. a backlog of 1,000 contingency notes drained after reconnection: time, and 429s met (target 0).
//    Focus allows 100 requests per 60 s; the sandbox's window is shortened (see rate_window_ms) so
//    the run takes seconds while the budget still binds, and the time is also given in Focus minutes.
import { performance } from 'node:perf_hooks';
import { BenchReport } from './lib/results.ts';
import { summarize } from './lib/stats.ts';
import { makeContingencyRig, type ContingencyRig } from '../test/integration/contingency/rig.ts';
import { prepareSale } from '../main/sales/prepare.ts';
import { buildReceipt } from '../shared/receipt/model.ts';
import { encodeReceipt } from '../main/printing/escpos.ts';
import { draftFor, prepareContext } from '../test/integration/emission/fixtures.ts';

const report = new BenchReport('offline');
const DEADLINE_MS = 2_000;

/** Finalizar as the shell does it: prepare + engine.finalize, then the receipt's ESC/POS bytes. */
async function finalizeToBytes(r: ContingencyRig, n: number): Promise<{ ms: number; state: string; bytes: number; copies: number }> {
  const t0 = performance.now();
  const prepared = await prepareSale(
    draftFor(n, `bench_${n}_${Math.random().toString(36).slice(2, 10)}`),
    prepareContext({ catalog: r.catalog, terminalId: 'PDV01' }),
  );
  const res = await r.engine.finalize(prepared.sale);
  if (res.emission.state !== 'contingency') return { ms: performance.now() - t0, state: res.emission.state, bytes: 0, copies: 0 };
  const sale = r.journal.sales.require(res.saleId);
  const model = buildReceipt({ sale, emission: res.emission, emitter: r.config.emitter, options: { width: 48 } });
  const bytes = encodeReceipt(model);
  return { ms: performance.now() - t0, state: res.emission.state, bytes: bytes.byteLength, copies: model.copies.length };
}

async function knownOffline(): Promise<void> {
  const r = await makeContingencyRig({ authorizationDeadlineMs: DEADLINE_MS });
  try {
    await finalizeToBytes(r, 0); // warm: online sale
    await r.linkDown('refuse');
    await finalizeToBytes(r, 1); // the first one discovers the outage
    if (r.contingency.monitor.state() !== 'offline') throw new Error('monitor did not see the outage');
    const samples: number[] = [];
    let copies = 0;
    for (let i = 2; i < 2 + 300; i++) {
      const x = await finalizeToBytes(r, i);
      if (x.state !== 'contingency') throw new Error(`sale ${i}: ${x.state}`);
      samples.push(x.ms);
      copies = x.copies;
    }
    const s = summarize(samples);
    report.add('known_offline_samples', s.n);
    report.add('known_offline_p50_ms', s.p50, 'ms');
    report.add('known_offline_p99_ms', s.p99, 'ms');
    report.add('known_offline_max_ms', s.max, 'ms');
    report.add('known_offline_receipt_copies', copies);
    report.add('known_offline_target_met', s.p99 <= 100);
  } finally {
    await r.close();
  }
}

async function silentDrop(): Promise<void> {
  const r = await makeContingencyRig({ authorizationDeadlineMs: DEADLINE_MS, emitDeadlineMs: 6_000 });
  const samples: number[] = [];
  try {
    for (let round = 0; round < 8; round++) {
      await r.linkUp();
      await r.until(() => r.contingency.monitor.state() === 'online', 20_000, 'online again');
      const ok = await finalizeToBytes(r, 1_000 + round * 2);
      if (ok.state !== 'authorized') throw new Error(`warm-up sale: ${ok.state}`);
      r.proxy.blackhole(true);
      const x = await finalizeToBytes(r, 1_001 + round * 2);
      if (x.state !== 'contingency') throw new Error(`silent drop round ${round}: ${x.state}`);
      samples.push(x.ms);
    }
    const s = summarize(samples);
    report.add('silent_drop_deadline_ms', DEADLINE_MS, 'ms');
    report.add('silent_drop_samples', s.n);
    report.add('silent_drop_p50_ms', s.p50, 'ms');
    report.add('silent_drop_max_ms', s.max, 'ms');
    report.add('silent_drop_over_deadline_max_ms', s.max - DEADLINE_MS, 'ms');
    report.add('silent_drop_target_met', s.max <= DEADLINE_MS + 200);
    // The blackholed attempts are reconciled once the link is back: one valid note per sale.
    await r.linkUp();
    await r.until(() => r.contingency.counts().pendingNotes === 0, 60_000, 'reconciled');
    const doubles = r.journal.db.prepare("SELECT sale_id, COUNT(*) AS n FROM emissions WHERE state = 'authorized' GROUP BY sale_id HAVING n > 1").all().length;
    report.add('silent_drop_sales_with_two_valid_notes', doubles);
  } finally {
    await r.close();
  }
}

async function backlog(): Promise<void> {
  const N = 1_000;
  const limit = 100;
  const windowMs = 2_000;
  const r = await makeContingencyRig({ sandbox: { rateLimit: limit, rateWindowMs: windowMs, latencyMs: [2, 8] }, contingency: { concurrency: 4 } });
  try {
    await finalizeToBytes(r, 0);
    await r.linkDown('refuse');
    for (let i = 1; i <= N; i++) {
      const x = await r.finalize(i);
      if (x.emission.state !== 'contingency') throw new Error(`backlog sale ${i}: ${x.emission.state}`);
    }
    const before = r.exchanges.length;
    const t0 = performance.now();
    await r.linkUp();
    await r.until(() => r.contingency.counts().contingencyNotes === 0, 300_000, 'backlog drained');
    const ms = performance.now() - t0;
    const after = r.exchanges.slice(before);
    const windows = ms / windowMs;
    report.add('backlog_notes', N);
    report.add('backlog_rate_limit', limit, 'req/window');
    report.add('backlog_rate_window_ms', windowMs, 'ms');
    report.add('backlog_drain_ms', ms, 'ms');
    report.add('backlog_windows_used', windows);
    report.add('backlog_requests', after.filter((e) => e.path.startsWith('/v2/')).length);
    report.add('backlog_429', after.filter((e) => e.status === 429).length);
    // Same number of windows at Focus's real 60 s window.
    report.add('backlog_drain_at_focus_rate_min', windows, 'min');
    const authorized = r.journal.db.prepare("SELECT COUNT(*) AS n FROM emissions WHERE tp_emis = '9' AND state = 'authorized'").get();
    report.add('backlog_authorized', Number(authorized?.n ?? 0));
    report.add(
      'backlog_target_met',
      after.every((e) => e.status !== 429),
    );
  } finally {
    await r.close();
  }
}

await knownOffline();
await silentDrop();
await backlog();
report.meta.note = 'link monitor + manual contingency (tpEmis 9, QR v3 signed with a test A1) against the local Focus sandbox';
console.log(`results: ${report.write()}`);
process.exit(0);
