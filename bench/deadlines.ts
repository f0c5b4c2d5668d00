// bench:deadlines — how late the house is against its own deadlines. The tests check that each
// deadline fires (the outcome, the state); how long past it the answer comes is measured here:
//   client_hang_*       FocusClient.emit to a server that never answers, deadline 300 ms
//   client_connect_*    a TLS handshake that never completes, connect timeout 300 ms
//   scheduler_reset_*   an emission waiting on a spent rate window resumes at the reset (80 ms away)
//   print_close_*       PrintQueue.close() interrupting a 60 s printer backoff
// The authorization deadline of Finalizar is bench:offline's silent_drop_over_deadline_*.
// Run: npm run bench:deadlines [-- --samples 10]   → bench/results/deadlines.json
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { FocusScheduler } from '../main/emission/scheduler.ts';
import { FocusClient } from '../main/focus/client.ts';
import type { RateLimitState } from '../main/focus/types.ts';
import { PrintQueue } from '../main/printing/queue.ts';
import { sampleReceiptInput } from '../main/printing/sample.ts';
import { PrinterError } from '../main/printing/transports/transport.ts';
import { buildReceipt } from '../shared/receipt/model.ts';
import { BenchReport } from './lib/results.ts';
import { summarize } from './lib/stats.ts';

const { values } = parseArgs({ options: { samples: { type: 'string', default: '10' } } });
const SAMPLES = Number(values.samples);
const BODY = { cnpj_emitente: '07504505000132', data_emissao: '2026-01-01T10:00:00-03:00', items: [], formas_pagamento: [] };

const report = new BenchReport('deadlines');
report.meta.config = { SAMPLES };
report.meta.loadavg = loadavg();

function figures(name: string, overshoot: number[], wrong: number): void {
  const s = summarize(overshoot);
  report.add(`${name}_over_deadline_p50_ms`, s.p50, 'ms');
  report.add(`${name}_over_deadline_max_ms`, s.max, 'ms');
  report.add(`${name}_wrong_outcome`, wrong);
}

// A server that accepts and never answers: HTTP (request arrives) and raw TCP (TLS never completes).
const silentHttp = http.createServer(() => {});
silentHttp.listen(0, '127.0.0.1');
await once(silentHttp, 'listening');
const silentTcp = net.createServer((s) => s.on('error', () => {}));
silentTcp.listen(0, '127.0.0.1');
await once(silentTcp, 'listening');
const port = (s: net.Server) => (s.address() as AddressInfo).port;

try {
  const hang: number[] = [];
  let hangWrong = 0;
  const connect: number[] = [];
  let connectWrong = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const c = new FocusClient({ baseUrl: `http://127.0.0.1:${port(silentHttp)}`, token: 'tok_bench', keepWarmMs: 0 });
    let t0 = performance.now();
    const o = await c.emit(`ref_hang_${i}`, BODY, { deadlineMs: 300 });
    hang.push(performance.now() - t0 - 300);
    if (o.kind !== 'unknown-outcome') hangWrong++;
    await c.close();

    const tls = new FocusClient({ baseUrl: `https://127.0.0.1:${port(silentTcp)}`, token: 'tok_bench', keepWarmMs: 0, connectTimeoutMs: 300 });
    t0 = performance.now();
    const n = await tls.emit(`ref_tls_${i}`, BODY);
    connect.push(performance.now() - t0 - 300);
    if (n.kind !== 'never-sent') connectWrong++;
    await tls.close();
  }
  figures('client_hang', hang, hangWrong);
  figures('client_connect', connect, connectWrong);
} finally {
  silentHttp.closeAllConnections();
  silentHttp.close();
  silentTcp.close();
}

const reset: number[] = [];
for (let i = 0; i < SAMPLES; i++) {
  const rl: RateLimitState = { limit: 100, remaining: 0, resetAt: Date.now() + 80 };
  const s = new FocusScheduler({ rateLimit: () => (Date.now() >= rl.resetAt ? { ...rl, remaining: rl.limit } : rl) });
  await s.run('emission', async () => undefined);
  reset.push(Date.now() - rl.resetAt);
  s.close();
}
figures('scheduler_reset', reset, 0);

const closeMs: number[] = [];
let closeWrong = 0;
const model = buildReceipt(sampleReceiptInput());
for (let i = 0; i < SAMPLES; i++) {
  const queue = new PrintQueue({
    printer: () => ({
      name: 'desligada',
      print: () => Promise.reject(new PrinterError('offline', 'Impressora desligada (bench).')),
    }),
    baseDelayMs: 60_000,
  });
  queue.enqueue(model);
  await new Promise((r) => setTimeout(r, 20));
  const t0 = performance.now();
  await queue.close();
  closeMs.push(performance.now() - t0);
  if (queue.jobs().some((j) => j.state !== 'failed')) closeWrong++;
}
figures('print_close', closeMs, closeWrong);
console.log(`results: ${report.write()}`);
