// Engine overhead vs the bare client, same run, sandbox at 0 ms, IBS/CBS on for both (the demo shop
// is Simples: the manager's early start sends the group, and the sandbox checks it): a sale committed (fsync), sent
// through the scheduler, answered, committed again and published, against client.emit() alone.
// Then a journal with 100,000 sales: bytes per sale, and the time to open it and list today's sales.
// Usage: npm run bench:emission [-- --samples 300 --sales 100000]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox } from '../main/sandbox/index.ts';
import { FocusClient } from '../main/focus/client.ts';
import { Journal } from '../main/db/journal.ts';
import { EmissionEngine } from '../main/emission/engine.ts';
import { buildNfceRequest } from '../shared/nfce/payload.ts';
import { toFocusDateTime } from '../shared/datetime.ts';
import { saleFor } from '../test/integration/emission/fixtures.ts';
import { BenchReport } from './lib/results.ts';
import { summarize } from './lib/stats.ts';

const { values: args } = parseArgs({ options: { samples: { type: 'string', default: '300' }, sales: { type: 'string', default: '100000' } } });
const SAMPLES = Number(args.samples);
const BULK = Number(args.sales);
const report = new BenchReport('emission');
const dir = mkdtempSync(join(tmpdir(), 'balcao-bench-emission-'));

const sandbox = await startSandbox({ port: 0, latencyMs: 0, rateLimit: 1_000_000 });
try {
  // ── 1. engine vs bare client ─────────────────────────────────────────────────────────────────
  const bareClient = new FocusClient({ baseUrl: sandbox.url, token: sandbox.tokens.homologacao, keepWarmMs: 0 });
  const engineClient = new FocusClient({ baseUrl: sandbox.url, token: sandbox.tokens.homologacao, keepWarmMs: 0 });
  const journal = Journal.open({ path: join(dir, 'engine.db') });
  const taxReform = { earlyStart: true };
  const settings = { environment: 'homologacao' as const, emitter: sandbox.emitter, terminalId: 'BENCH', serie: '1', utcOffsetMinutes: -180, taxReform };
  const engine = new EmissionEngine({ journal, api: engineClient, settings: () => settings, dataDir: dir });
  let events = 0;
  engine.on('emission.changed', () => events++);
  await Promise.all([bareClient.warm(), engineClient.warm()]);

  const bare: number[] = [];
  const viaEngine: number[] = [];
  const WARMUP = 20;
  for (let i = 0; i < SAMPLES + WARMUP; i++) {
    const forClient = await saleFor(i, `bench_c_${i}_${Date.now()}`);
    const body = buildNfceRequest({
      sale: { ...forClient, id: i + 1, createdAt: toFocusDateTime(Date.now(), -180) },
      emitter: sandbox.emitter,
      environment: 'homologacao',
      taxReform,
    });
    if (body.ibs_cbs_is_valor_total === undefined) throw new Error('IBS/CBS missing from the bench payload');
    const forEngine = await saleFor(i, `bench_e_${i}_${Date.now()}`);
    // Alternate the order so neither side always runs on a just-warmed path.
    const runs: (() => Promise<void>)[] = [
      async () => {
        const t0 = performance.now();
        const out = await bareClient.emit(`bench_bare_${Date.now()}_${i}`, body);
        const dt = performance.now() - t0;
        if (out.kind !== 'ok' || out.body.status !== 'autorizado') throw new Error(`bare emit failed: ${JSON.stringify(out)}`);
        if (i >= WARMUP) bare.push(dt);
      },
      async () => {
        const t0 = performance.now();
        const r = await engine.finalize(forEngine);
        const dt = performance.now() - t0;
        if (r.emission.state !== 'authorized') throw new Error(`engine emission ended ${r.emission.state}`);
        if (i >= WARMUP) viaEngine.push(dt);
      },
    ];
    if (i % 2) runs.reverse();
    for (const run of runs) await run();
  }
  const c = summarize(bare);
  const e = summarize(viaEngine);
  report.add('samples', c.n);
  report.add('ibs_cbs_on', true);
  report.add('client_p50_ms', c.p50, 'ms');
  report.add('client_p99_ms', c.p99, 'ms');
  report.add('engine_p50_ms', e.p50, 'ms');
  report.add('engine_p99_ms', e.p99, 'ms');
  report.add('overhead_p50_ms', e.p50 - c.p50, 'ms');
  report.add('overhead_p99_ms', e.p99 - c.p99, 'ms');
  report.add('target_engine_p99_le_client_p99_plus_5ms', e.p99 <= c.p99 + 5);
  report.add('events_per_sale', events / (SAMPLES + WARMUP));
  await engine.close();
  await Promise.all([bareClient.close(), engineClient.close()]);
  journal.close();

  // ── 2. a journal with 100,000 sales ──────────────────────────────────────────────────────────
  const bigPath = join(dir, 'big.db');
  const big = Journal.open({ path: bigPath });
  const DAYS = 100;
  const perDay = Math.ceil(BULK / DAYS);
  const today = Date.now();
  const templates = await Promise.all([0, 1, 2, 3].map((k) => saleFor(k, `tpl_${k}`)));
  const answer = JSON.stringify({
    cnpj_emitente: sandbox.cnpj,
    ref: 'X',
    status: 'autorizado',
    status_sefaz: '100',
    mensagem_sefaz: 'Autorizado o uso da NF-e',
    chave_nfe: `NFe${'4'.repeat(44)}`,
    numero: '1',
    serie: '1',
    caminho_xml_nota_fiscal: `/arquivos_development/${sandbox.cnpj}/202601/XMLs/${'4'.repeat(44)}-nfe.xml`,
    caminho_danfe: `/notas_fiscais_consumidor/NFe${'4'.repeat(44)}.html`,
    qrcode_url: `http://www.fazenda.pr.gov.br/nfce/qrcode/?p=${'4'.repeat(44)}|2|2|1|5E264C0E28D801197219894CDFCF2FCCC5237F08`,
    url_consulta_nf: 'http://www.fazenda.pr.gov.br/nfce/consulta',
  });
  const tGen = performance.now();
  const BATCH = 10_000;
  for (let start = 0; start < BULK; start += BATCH) {
    big.transaction(() => {
      for (let i = start; i < Math.min(BULK, start + BATCH); i++) {
        const day = DAYS - 1 - Math.floor(i / perDay);
        const when = today - day * 86_400_000 - 3_600_000 + (i % perDay) * 1_000;
        const t = templates[i % templates.length]!;
        const sale = { ...t, clientId: `bulk_${i}`, createdMs: when, createdAt: toFocusDateTime(when, -180) };
        const { emission } = big.sales.commitSale(sale, { environment: 'homologacao' });
        const chave = String(41_000_000_000 + i).padStart(44, '7');
        big.emissions.transition(
          emission.id,
          'pending',
          'authorized',
          {
            numero: String(i + 1),
            serie: '1',
            chave,
            emittedMs: when,
            caminhoXml: `/x/${chave}-nfe.xml`,
            xmlArchivedMs: when,
            statusSefaz: '100',
            mensagemSefaz: 'Autorizado o uso da NF-e',
          },
          { operation: 'emit', kind: 'ok', httpStatus: 201, body: answer, atMs: when },
        );
      }
    });
  }
  const genMs = performance.now() - tGen;
  big.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  big.close();
  const bytes = statSync(bigPath).size;
  report.add('bulk_sales', BULK);
  report.add('bulk_generate_s', genMs / 1000, 's');
  report.add('journal_mb', bytes / 1_048_576, 'MB');
  report.add('bytes_per_sale', bytes / BULK, 'B');

  const localDay = toFocusDateTime(today, -180).slice(0, 10);
  const openList: number[] = [];
  let listed = 0;
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    const j = Journal.open({ path: bigPath });
    listed = j.sales.listDay(localDay, 100).length;
    openList.push(performance.now() - t0);
    j.close();
  }
  const ol = summarize(openList.slice(3));
  report.add('today_listed', listed);
  report.add('open_and_list_today_first_ms', openList[0] ?? Number.NaN, 'ms');
  report.add('open_and_list_today_p50_ms', ol.p50, 'ms');
  report.add('open_and_list_today_max_ms', ol.max, 'ms');
  report.add('target_open_list_le_50ms', ol.max <= 50);
  const j = Journal.open({ path: bigPath });
  const t1 = performance.now();
  const found = j.sales.list({ numero: String(BULK - 5) });
  report.add('search_by_numero_ms', performance.now() - t1, 'ms');
  const t2 = performance.now();
  j.sales.list({ totalCents: templates[0]!.totalCents, limit: 100 });
  report.add('search_by_total_ms', performance.now() - t2, 'ms');
  if (found.length !== 1) throw new Error('search by numero failed');
  j.close();
  report.meta.note = 'engine = journal commit (WAL, synchronous=FULL) + scheduler + POST + result commit + events; client = FocusClient.emit alone';
  console.log(`results: ${report.write()}`);
} finally {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
}
