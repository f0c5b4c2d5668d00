// bench:client — NFC-e emission round trips against the local Focus sandbox, side by side in one run:
//   (a) FocusClient.emit (the real client: JSON, auth, outcome mapping, rate-limit bookkeeping)
//   (b) floor: a bare undici Client POSTing a prepared body on a warm connection
//   (c) naive: global fetch opening a new connection per request (Connection: close)
// Legs: direct on loopback (plain HTTP), direct on loopback over TLS, and TLS through a proxy that
// adds 15 ms each way (a 30 ms round trip, handshakes included). Variants are interleaved so drift on
// the shared machine hits them alike; ratios are computed within this run.
import tls from 'node:tls';
import { Client } from 'undici';
import { startSandbox } from '../main/sandbox/index.ts';
import { FocusClient } from '../main/focus/client.ts';
import type { NfceRequestBody } from '../main/focus/types.ts';
import { startDelayProxy } from './lib/delay-proxy.ts';
import { BenchReport } from './lib/results.ts';
import { summarize, type Summary } from './lib/stats.ts';
import { seededRandom } from '../test/fixtures/seeded-random.ts';

const ONE_WAY_MS = 15;
const RTT_MS = 2 * ONE_WAY_MS;
const N_DIRECT = Number(process.env.BENCH_N_DIRECT ?? 200);
const N_PROXY = Number(process.env.BENCH_N_PROXY ?? 40);
// Enough rounds for the JIT to settle before anything is recorded.
const WARMUP = 50;

type Variant = 'a' | 'b' | 'c';
type Runner = (ref: string) => Promise<void>;

function body(cnpj: string): NfceRequestBody {
  const d = new Date(Date.now() - 3 * 3_600_000);
  const item = (n: number, descricao: string) => ({
    numero_item: String(n),
    codigo_produto: `P${n}`,
    descricao,
    codigo_ncm: '19052090',
    cfop: '5102',
    unidade_comercial: 'UN',
    quantidade_comercial: '1.0000',
    valor_unitario_comercial: '10.00',
    unidade_tributavel: 'UN',
    quantidade_tributavel: '1.0000',
    valor_unitario_tributavel: '10.00',
    valor_bruto: '10.00',
    codigo_barras_comercial: 'SEM GTIN',
    codigo_barras_tributavel: 'SEM GTIN',
    icms_origem: '0',
    icms_situacao_tributaria: '102',
  });
  return {
    cnpj_emitente: cnpj,
    data_emissao: `${d.toISOString().slice(0, 19)}-03:00`,
    natureza_operacao: 'VENDA AO CONSUMIDOR',
    presenca_comprador: '1',
    modalidade_frete: '9',
    local_destino: '1',
    items: [item(1, 'NOTA FISCAL EMITIDA EM AMBIENTE DE HOMOLOGACAO - SEM VALOR FISCAL'), item(2, 'PAO FRANCES')],
    formas_pagamento: [{ forma_pagamento: '01', valor_pagamento: '20.00' }],
  };
}

let refSeq = 0;
const nextRef = (): string => `bench_${process.pid}_${(refSeq++).toString(36)}`;

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`bench: emission failed (${what})`);
}

function makeRunners(baseUrl: string, token: string, ca: string | undefined, nfce: NfceRequestBody) {
  const focus = new FocusClient({ baseUrl, token, ca, keepWarmMs: 0 });
  const auth = `Basic ${Buffer.from(`${token}:`).toString('base64')}`;
  const prepared = Buffer.from(JSON.stringify(nfce));
  const floor = new Client(baseUrl, { pipelining: 1, keepAliveTimeout: 30_000, connect: ca ? { ca } : {} });
  const floorHeaders = { authorization: auth, 'content-type': 'application/json', accept: 'application/json' };

  const runners: Record<Variant, Runner> = {
    async a(ref) {
      const o = await focus.emit(ref, nfce);
      check(o.kind === 'ok' && o.body.status === 'autorizado', JSON.stringify(o).slice(0, 200));
    },
    async b(ref) {
      const r = await floor.request({ path: `/v2/nfce?ref=${ref}`, method: 'POST', headers: floorHeaders, body: prepared });
      const text = await r.body.text();
      check(r.statusCode < 300, `${r.statusCode} ${text.slice(0, 200)}`);
    },
    async c(ref) {
      const r = await fetch(`${baseUrl}/v2/nfce?ref=${ref}`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json', connection: 'close' },
        body: JSON.stringify(nfce),
      });
      const doc = (await r.json()) as { status?: string };
      check(doc.status === 'autorizado', JSON.stringify(doc).slice(0, 200));
    },
  };
  return {
    runners,
    focus,
    async warm() {
      await focus.warm();
      await (await floor.request({ path: '/v2/nfce/__warm__', method: 'GET', headers: floorHeaders })).body.text();
    },
    async close() {
      await focus.close();
      await floor.close();
    },
  };
}

/**
 * Runs every variant `n` times, in a freshly shuffled order each round; returns ms samples per variant.
 * A fixed rotation would let one variant follow the naive one (and its connection teardown) more often.
 */
async function interleaved(runners: Partial<Record<Variant, Runner>>, n: number): Promise<Record<Variant, number[]>> {
  const variants = Object.keys(runners) as Variant[];
  const samples: Record<Variant, number[]> = { a: [], b: [], c: [] };
  const random = seededRandom(0x5eed + n); // deterministic, so runs are comparable
  for (let i = 0; i < WARMUP + n; i++) {
    const order = [...variants];
    for (let k = order.length - 1; k > 0; k--) {
      const j = Math.floor(random() * (k + 1));
      [order[k], order[j]] = [order[j] as Variant, order[k] as Variant];
    }
    for (const v of order) {
      const ref = nextRef();
      const t0 = performance.now();
      await (runners[v] as Runner)(ref);
      const dt = performance.now() - t0;
      if (i >= WARMUP) samples[v].push(dt);
    }
  }
  return samples;
}

function emitSummary(report: BenchReport, prefix: string, s: Summary): void {
  report.add(`${prefix}_p50_ms`, s.p50, 'ms');
  report.add(`${prefix}_p99_ms`, s.p99, 'ms');
}

async function main(): Promise<void> {
  const report = new BenchReport('client');
  const plain = await startSandbox({ port: 0, latencyMs: 0, rateLimit: 1_000_000 });
  const secure = await startSandbox({ port: 0, tls: true, latencyMs: 0, rateLimit: 1_000_000 });
  if (!secure.ca) throw new Error('bench: the TLS sandbox gave no CA');
  // The naive variant uses the global fetch (Node's bundled undici), which only knows the default CAs.
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), secure.ca]);
  const proxy = await startDelayProxy({ targetPort: secure.port, delayMs: ONE_WAY_MS, handshakeRtt: true });
  const proxyUrl = `https://127.0.0.1:${proxy.port}`;
  report.meta.config = { N_DIRECT, N_PROXY, WARMUP, one_way_delay_ms: ONE_WAY_MS, sandbox_latency_ms: 0 };

  try {
    // Leg 1: direct, plain HTTP.
    const direct = makeRunners(plain.url, plain.tokens.homologacao, undefined, body(plain.cnpj));
    await direct.warm();
    const d = await interleaved(direct.runners, N_DIRECT);
    await direct.close();
    const da = summarize(d.a),
      db = summarize(d.b),
      dc = summarize(d.c);
    emitSummary(report, 'loopback_a_client', da);
    emitSummary(report, 'loopback_b_floor', db);
    emitSummary(report, 'loopback_c_naive', dc);
    report.add('loopback_a_over_b_p50', da.p50 / db.p50, 'x');

    // Leg 2: direct over TLS: the sandbox's own time for an emission, for the proxy comparison.
    const directTls = makeRunners(secure.url, secure.tokens.homologacao, secure.ca, body(secure.cnpj));
    await directTls.warm();
    const t = await interleaved({ a: directTls.runners.a, b: directTls.runners.b }, N_DIRECT);
    await directTls.close();
    const ta = summarize(t.a),
      tb = summarize(t.b);
    emitSummary(report, 'loopback_tls_a_client', ta);
    emitSummary(report, 'loopback_tls_b_floor', tb);

    // Leg 3: TLS through the 15 ms-each-way proxy.
    const far = makeRunners(proxyUrl, secure.tokens.homologacao, secure.ca, body(secure.cnpj));
    await far.warm();
    const connsBefore = proxy.connections();
    const p = await interleaved(far.runners, N_PROXY);
    await far.close();
    const pa = summarize(p.a),
      pb = summarize(p.b),
      pc = summarize(p.c);
    emitSummary(report, 'proxy_a_client', pa);
    emitSummary(report, 'proxy_b_floor', pb);
    emitSummary(report, 'proxy_c_naive', pc);
    report.add('proxy_a_over_c_p50', pa.p50 / pc.p50, 'x');
    const ideal = RTT_MS + ta.p50;
    report.add('proxy_ideal_ms', ideal, 'ms');
    report.add('proxy_a_over_ideal_p50', pa.p50 / ideal, 'x');
    // Every naive request opens its own connection; (a) and (b) should have added none while measuring.
    report.add('proxy_connections_opened', proxy.connections() - connsBefore);

    // First sale after start: cold (TCP + TLS + request) vs after warm() (request only).
    const nfce = body(secure.cnpj);
    const cold = new FocusClient({ baseUrl: proxyUrl, token: secure.tokens.homologacao, ca: secure.ca, keepWarmMs: 0 });
    let t0 = performance.now();
    check((await cold.emit(nfceRefFor('cold'), nfce)).kind === 'ok', 'cold');
    report.add('proxy_first_emit_cold_ms', performance.now() - t0, 'ms');
    await cold.close();
    const warmed = new FocusClient({ baseUrl: proxyUrl, token: secure.tokens.homologacao, ca: secure.ca, keepWarmMs: 0 });
    await warmed.warm();
    t0 = performance.now();
    check((await warmed.emit(nfceRefFor('warm'), nfce)).kind === 'ok', 'warm');
    report.add('proxy_first_emit_warmed_ms', performance.now() - t0, 'ms');
    await warmed.close();

    report.add('target_loopback_a_over_b_max', 1.2, 'x');
    report.add('target_proxy_a_over_c_max', 0.5, 'x');
    report.add('target_proxy_a_over_ideal_max', 1.2, 'x');
    report.add('targets_met', da.p50 / db.p50 <= 1.2 && pa.p50 / pc.p50 <= 0.5 && pa.p50 / ideal <= 1.2);
    const path = report.write();
    console.log(`results: ${path}`);
  } finally {
    await proxy.close();
    await plain.close();
    await secure.close();
  }
}

function nfceRefFor(tag: string): string {
  return `bench_${tag}_${process.pid}_${Date.now().toString(36)}`;
}

await main();
