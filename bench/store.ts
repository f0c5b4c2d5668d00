// npm run bench:store — the lane ↔ store sync under load (issue #16). The store runs as its own
// process (`npm run store`) on a throwaway PostgreSQL cluster; lanes are in this process (their
// outbox in real SQLite journals, their pushes and pulls over real HTTP), so the figures are the
// store's and the protocol's, with every lane sharing this process's one core. Figures:
// - sales/s pushed by 8 lanes at once (each with a backlog of sales);
// - catch-up of one lane after a day offline (2,000 sales, each with its authorization event);
// - a 100,000-product catalog change until every lane (8) has applied it;
// - the store process's CPU time and peak memory over those phases;
// - 429s met by 4 lanes selling and draining backlogs at once through one token (target 0);
// - the same with the store down for 150 s (BENCH_STORE_DOWN_MS): how long a sale waits (0 on the
//   lane's emergency reserve), the backlog drained on the even shares, 429s (target 0).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir, uptime as osUptime } from 'node:os';
import { join } from 'node:path';
import { BenchReport } from './lib/results.ts';
import { LanesResponse, PairingCodeResponse, RecordsResponse, RevokeLaneResponse, STORE_ROUTES, StoreError } from '../shared/store/protocol.ts';
import { Product } from '../shared/sale.ts';
import { Journal } from '../main/db/journal.ts';
import { Outbox } from '../main/db/outbox.ts';
import { Catalog } from '../main/catalog/catalog.ts';
import { FocusClient } from '../main/focus/client.ts';
import { FocusScheduler } from '../main/emission/scheduler.ts';
import { applyChanges, PriceGrace } from '../main/store/apply.ts';
import { CreditPort } from '../main/store/credits.ts';
import { StoreHttp } from '../main/store/http.ts';
import { pairLane, storeCredential } from '../main/store/pairing.ts';
import { PullLoop } from '../main/store/pull.ts';
import { PushLoop } from '../main/store/push.ts';
import { Settings } from '../main/settings/schema.ts';
import type { SettingsPatch } from '../main/settings/settings.ts';
import { createAdminToken } from '../store/auth.ts';
import { createPool } from '../store/db/pool.ts';
import { startPgCluster } from '../test/fixtures/pg-cluster.ts';
import { startStoreProcess, type StoreProcess } from '../test/fixtures/lanes.ts';
import { startSandboxProcess } from '../test/e2e/sandbox-process.ts';
import { saleFor } from '../test/integration/emission/fixtures.ts';

const report = new BenchReport(process.argv.includes('--focus-only') ? 'store-focus' : 'store');
const root = mkdtempSync(join(tmpdir(), 'balcao-bench-store-'));
/** What `uptime` prints: the machine is shared, so every figure comes with its load. */
const uptime = () =>
  `${new Date().toISOString().slice(11, 19)} up ${Math.floor(osUptime() / 3600)}h, load average: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`;

function procStats(pid: number): { cpuMs: number; rssMb: number; hwmMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { cpuMs: ticks * 10, rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

function memorySettings() {
  let s = Settings.parse({ mode: 'real' });
  return { get: () => s, update: (p: SettingsPatch) => (s = Settings.parse({ ...s, ...p })) };
}
function memoryVault() {
  const m = new Map<string, Uint8Array>();
  return {
    get: async (n: string) => m.get(n) ?? null,
    set: async (n: string, v: Uint8Array) => void m.set(n, v),
    delete: async (n: string) => void m.delete(n),
  };
}

async function pairedHttp(store: StoreProcess, admin: StoreHttp, name: string, onAnswer?: () => void): Promise<StoreHttp> {
  const { code } = await admin.post(STORE_ROUTES.pairingCode, {}, PairingCodeResponse);
  const vault = memoryVault();
  const link = await pairLane({ settings: memorySettings(), vault, now: Date.now }, { url: store.url, code, laneName: name });
  return new StoreHttp({ baseUrl: link.url, credential: (await storeCredential(vault))!, fingerprint: null, ...(onAnswer ? { onAnswer } : {}) });
}

/** Pushes everything, retrying a batch that timed out under load (what the lane's timer loop does). */
async function drainRetrying(loop: PushLoop): Promise<void> {
  for (let tries = 0; ; tries++) {
    try {
      await loop.drain();
      return;
    } catch (e) {
      if (!(e instanceof StoreError) || e.code !== 'store_unavailable' || tries >= 20) throw e;
    }
  }
}

/** A lane's journal with `n` sales, each committed and then authorized (2 outbox events per sale). */
async function journalWith(path: string, n: number, tag: string): Promise<Journal> {
  const j = Journal.open({ path, skipQuickCheck: true });
  const sales = await Promise.all(Array.from({ length: n }, (_, i) => saleFor(i + 1, `${tag}-${String(i).padStart(6, '0')}`)));
  j.transaction(() => {
    sales.forEach((s, i) => {
      const { emission } = j.sales.commitSale(s, { environment: 'homologacao' });
      j.emissions.transition(emission.id, 'pending', 'sending');
      j.emissions.transition(emission.id, 'sending', 'authorized', { numero: String(i + 1), serie: '1' });
    });
  });
  return j;
}

function product(i: number, priceCents: number): Product {
  return Product.parse({
    id: `p${i}`,
    code: String(100_000 + i),
    gtin: null,
    description: `PRODUTO DE TESTE ${i}`,
    unit: 'UN',
    priceCents,
    ncm: '21069090',
    cfop: '5102',
    origin: '0',
    icms: '102',
  });
}

const cluster = await startPgCluster();
let store: StoreProcess | null = null;
try {
  const databaseUrl = await cluster.createDatabase();
  store = await startStoreProcess(databaseUrl);
  const pool = createPool(databaseUrl, 1);
  const adminToken = await createAdminToken(pool, Date.now, 'bench');
  await pool.end();
  const admin = new StoreHttp({ baseUrl: store.url, credential: adminToken });
  const cpu0 = procStats(store.pid);
  report.add('uptime_at_start', uptime());

  // --focus-only: just the 429 phase (a quick check of the credit port).
  if (!process.argv.includes('--focus-only')) {
    // 1. Eight lanes push a backlog at once.
    const PER_LANE = 500;
    // Pairing first, one lane after another (building a journal blocks this process for seconds:
    // done beside a pairing, it starved the pairing's request into a timeout at load 30).
    const https: StoreHttp[] = [];
    for (let i = 0; i < 8; i++) https.push(await pairedHttp(store, admin, `Caixa ${i + 1}`));
    const lanes: { http: StoreHttp; journal: Journal }[] = [];
    for (let i = 0; i < 8; i++) lanes.push({ http: https[i]!, journal: await journalWith(join(root, `lane${i}.sqlite`), PER_LANE, `l${i}`) });
    let t = performance.now();
    await Promise.all(lanes.map((l) => drainRetrying(new PushLoop({ outbox: new Outbox(l.journal.db), http: () => l.http, now: Date.now, batchSize: 200 }))));
    const s = (performance.now() - t) / 1000;
    report.add('push_8_lanes_sales_per_s', (8 * PER_LANE) / s, 'sales/s');
    report.add('push_8_lanes_events_per_s', (8 * PER_LANE * 2) / s, 'events/s');
    const cpu1 = procStats(store.pid);
    report.add('store_cpu_push_phase', (cpu1.cpuMs - cpu0.cpuMs) / 1000, 's');

    // 2. One lane comes back after a day offline with 2,000 sales.
    const dayHttp = await pairedHttp(store, admin, 'Caixa offline');
    const day = await journalWith(join(root, 'offline.sqlite'), 2_000, 'off');
    t = performance.now();
    await drainRetrying(new PushLoop({ outbox: new Outbox(day.db), http: () => dayHttp, now: Date.now, batchSize: 500 }));
    report.add('catch_up_2000_sales', (performance.now() - t) / 1000, 's');
    day.close();
    await dayHttp.close();

    // 3. A 100,000-product catalog change reaches all 8 lanes.
    const catalogs = lanes.map((_, i) => Catalog.open(join(root, `catalog${i}.sqlite`)));
    const cursors = lanes.map(() => 0);
    const pulls = lanes.map(
      (l, i) =>
        new PullLoop({
          http: () => l.http,
          now: Date.now,
          cursor: { get: () => cursors[i]!, set: (v) => (cursors[i] = v) },
          apply: (changes) =>
            applyChanges(
              {
                catalog: catalogs[i]!,
                operators: { adoptFromStore: () => {} },
                settings: memorySettings(),
                priceGrace: new PriceGrace(Date.now),
                now: Date.now,
              },
              changes,
            ),
          waitMs: 5_000,
        }),
    );
    for (const p of pulls) p.start();
    const N = 100_000;
    t = performance.now();
    let version = 0;
    for (let from = 0; from < N; from += 10_000) {
      const upserts = Array.from({ length: 10_000 }, (_, k) => ({
        entity: 'product' as const,
        key: `p${from + k}`,
        data: product(from + k, 100 + ((from + k) % 5000)),
      }));
      version = (await admin.post(STORE_ROUTES.records, { upserts }, RecordsResponse, { timeoutMs: 120_000 })).version;
    }
    report.add('catalog_100k_posted', (performance.now() - t) / 1000, 's');
    while (cursors.some((c) => c < version)) await new Promise((r) => setTimeout(r, 100));
    report.add('catalog_100k_on_all_8_lanes', (performance.now() - t) / 1000, 's');
    for (const p of pulls) await p.stop();
    report.add('catalog_products_on_lane_1', catalogs[0]!.get(`p${N - 1}`) ? N : 0, 'products');
    for (const c of catalogs) c.close();
    const cpu2 = procStats(store.pid);
    report.add('store_cpu_catalog_phase', (cpu2.cpuMs - cpu1.cpuMs) / 1000, 's');
    report.add('store_rss', cpu2.rssMb, 'MB');
    report.add('store_peak_rss', cpu2.hwmMb, 'MB');
    for (const l of lanes) {
      l.journal.close();
      await l.http.close();
    }
  }

  // 4. Four lanes sell and drain backlogs through one token for 65 s: the credit port keeps them under 100/min.
  // The lanes of the phases above are gone (a shop of four lanes): removed at the store, or the
  // store would hold back the even share each of them could spend if it were only cut off.
  const paired = await admin.get(STORE_ROUTES.lanes, LanesResponse);
  for (const l of paired.lanes) await admin.post(STORE_ROUTES.revokeLane, { laneId: l.laneId }, RevokeLaneResponse);
  const sandbox = await startSandboxProcess();
  try {
    const info = async () => (await (await fetch(`${sandbox.url}/__sandbox/info`)).json()) as { rateLimited: number };
    const before = (await info()).rateLimited;
    const tokenKey = 'bench'.padEnd(32, '0').replace(/[^0-9a-f]/g, 'a');
    const four = await Promise.all(
      Array.from({ length: 4 }, async (_, i) => {
        const http = await pairedHttp(store!, admin, `Caixa focus ${i + 1}`);
        const api = new FocusClient({ baseUrl: sandbox.url, token: sandbox.token });
        const credits = new CreditPort({ now: Date.now, laneCount: () => 4, store: () => http, tokenKey: () => tokenKey });
        const scheduler = new FocusScheduler({ rateLimit: () => api.rateLimit(), credits });
        return { http, api, credits, scheduler };
      }),
    );
    let done = 0;
    const RUN_MS = 65_000;
    const end = Date.now() + RUN_MS;
    const work: Promise<unknown>[] = [];
    for (const [i, l] of four.entries()) {
      // A backlog of 150 contingency notes to drain (each a request), queued at once.
      for (let k = 0; k < 150; k++)
        work.push(
          l.scheduler
            .run('resolve', () => l.api.query(`backlog_${i}_${k}`, { deadlineMs: 5_000 }))
            .then(() => done++)
            .catch(() => {}),
        );
    }
    // Sales at the counter: one every 2 s per lane.
    const sales = (async () => {
      let n = 0;
      while (Date.now() < end) {
        for (const [i, l] of four.entries())
          work.push(
            l.scheduler
              .run('emission', () => l.api.query(`venda_${i}_${n}`, { deadlineMs: 5_000 }))
              .then(() => done++)
              .catch(() => {}),
          );
        n++;
        await new Promise((r) => setTimeout(r, 2_000));
      }
    })();
    await sales;
    for (const l of four) l.scheduler.close();
    await Promise.allSettled(work);
    report.add('focus_4_lanes_requests_in_65s', done, 'requests');
    report.add('focus_4_lanes_429', (await info()).rateLimited - before, 'responses');
    for (const l of four) {
      await l.credits.releaseAll();
      await l.api.close();
      await l.http.close();
    }

    // 5. The store goes down while four lanes sell and drain backlogs: each lane's sales go at once
    // on its emergency reserve (5/min), its backlog waits for its even share (after 110 s), and
    // together they stay under 100/min at Focus.
    for (const l of (await admin.get(STORE_ROUTES.lanes, LanesResponse)).lanes.filter((x) => !x.revoked))
      await admin.post(STORE_ROUTES.revokeLane, { laneId: l.laneId }, RevokeLaneResponse);
    const before5 = (await info()).rateLimited;
    const cut = await Promise.all(
      Array.from({ length: 4 }, async (_, i) => {
        const lane = { lastAnswer: null as number | null, reserve: 0 };
        const http = await pairedHttp(store!, admin, `Caixa queda ${i + 1}`, () => (lane.lastAnswer = Date.now()));
        const api = new FocusClient({ baseUrl: sandbox.url, token: sandbox.token });
        const credits = new CreditPort({
          now: Date.now,
          laneCount: () => 4,
          store: () => http,
          tokenKey: () => tokenKey,
          lastContactMs: () => lane.lastAnswer,
          reserve: () => lane.reserve,
          onReserve: (n) => (lane.reserve = n),
        });
        const scheduler = new FocusScheduler({ rateLimit: () => api.rateLimit(), credits });
        // One sale with the store up: the lane learns its reserve from the lease's answer.
        await scheduler.run('emission', () => api.query(`antes_${i}`, { deadlineMs: 5_000 }));
        return { http, api, credits, scheduler };
      }),
    );
    await store.stop();
    const DOWN_MS = Number(process.env['BENCH_STORE_DOWN_MS'] ?? 150_000);
    const downEnd = Date.now() + DOWN_MS;
    const saleWaits: number[] = [];
    let drained = 0;
    const downWork: Promise<unknown>[] = [];
    for (const [i, l] of cut.entries())
      for (let k = 0; k < 150; k++)
        downWork.push(
          l.scheduler
            .run('resolve', () => l.api.query(`fila_${i}_${k}`, { deadlineMs: 5_000 }))
            .then(() => drained++)
            .catch(() => {}),
        );
    // A customer every 15 s per lane (4 a minute, within the reserve).
    for (let n = 0; Date.now() < downEnd; n++) {
      for (const [i, l] of cut.entries()) {
        const queued = Date.now();
        downWork.push(
          l.scheduler
            .run('emission', () => {
              saleWaits.push(Date.now() - queued);
              return l.api.query(`queda_${i}_${n}`, { deadlineMs: 5_000 });
            })
            .catch(() => {}),
        );
      }
      await new Promise((r) => setTimeout(r, 15_000));
    }
    for (const l of cut) l.scheduler.close();
    await Promise.allSettled(downWork);
    saleWaits.sort((a, b) => a - b);
    report.add('store_down_sales', saleWaits.length, 'sales');
    report.add('store_down_sale_wait_p50', saleWaits[Math.floor(saleWaits.length / 2)] ?? 0, 'ms');
    report.add('store_down_sale_wait_max', saleWaits.at(-1) ?? 0, 'ms');
    report.add('store_down_backlog_drained', drained, 'requests');
    report.add('store_down_429', (await info()).rateLimited - before5, 'responses');
    for (const l of cut) {
      await l.api.close();
      await l.http.close();
    }
  } finally {
    await sandbox.stop();
  }
  await admin.close();
  report.add('uptime_at_end', uptime());
  report.meta.load = 'lanes share this process; store is its own process; PostgreSQL a throwaway cluster';
  console.log(`written: ${report.write()}`);
} finally {
  await store?.stop();
  await cluster.stop();
  rmSync(root, { recursive: true, force: true });
}
