// bench:store-ingest — the store server alone on a durable throwaway PostgreSQL (fsync on): sale
// events/s ingested from 8 lanes pushing batches at once over HTTP, one lane's catch-up of 2,000
// sales, a 100,000-product catalog write and its pull by cursor, and how long a parked long-poll
// takes to see a change. The lane side (outbox, pull loop, 3-lane processes) is bench:store.
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { STORE_PROTOCOL_VERSION, STORE_ROUTES } from '../shared/store/protocol.ts';
import { createAdminToken } from '../store/auth.ts';
import { StoreServer } from '../store/server.ts';
import { startPgCluster } from '../test/fixtures/pg-cluster.ts';
import { BenchReport } from './lib/results.ts';
import { summarize } from './lib/stats.ts';

const LANES = 8;
const PER_LANE = 2000;
const BATCH = 200;
const PRODUCTS = 100_000;

const report = new BenchReport('store-ingest');
// Figures on a shared machine are only as good as its load: it goes with them.
const load = () => loadavg().map((l) => Math.round(l * 100) / 100);
report.meta['loadAverageAtStart'] = load();
console.log(`load average (1, 5, 15 min): ${load().join(', ')}`);

const cluster = await startPgCluster({ durable: true });
const store = await StoreServer.start({ databaseUrl: await cluster.createDatabase(), log: (l) => console.error(l) });
try {
  const admin = await createAdminToken(store.db, Date.now, 'bench');
  const post = async (path: string, token: string | null, body: object) => {
    const res = await fetch(`${store.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ protocol: STORE_PROTOCOL_VERSION, ...body }),
    });
    const json = await res.json();
    if (res.status !== 200) throw new Error(`${path}: ${JSON.stringify(json)}`);
    return json;
  };
  const pair = async (name: string) => post(STORE_ROUTES.pair, null, { code: (await post(STORE_ROUTES.pairingCode, admin, {})).code, laneName: name });
  const sale = (seq: number) => {
    const total = 1000 + (seq % 97) * 13;
    return {
      id: randomUUID(),
      seq,
      kind: 'sale',
      atMs: Date.now(),
      payload: {
        saleId: randomUUID(),
        day: '2026-11-30',
        atMs: Date.now(),
        operatorId: 'caixa-1',
        sessionId: 1,
        grossCents: total,
        discountCents: 0,
        totalCents: total,
        changeCents: 0,
        payments: [{ method: seq % 2 ? '01' : '17', amountCents: total }],
        items: [
          { productId: 'p1', cfop: '5102', qtyE4: 10_000, totalCents: total - 500 },
          { productId: 'p2', cfop: '5405', qtyE4: 10_000, totalCents: 500 },
        ],
        emission: { state: 'authorized', serie: 1, number: seq },
      },
    };
  };
  const drain = async (credential: string, events: ReturnType<typeof sale>[]) => {
    for (let i = 0; i < events.length; i += BATCH) {
      const ack = await post(STORE_ROUTES.events, credential, { events: events.slice(i, i + BATCH) });
      if (ack.ackedSeq !== Math.min(i + BATCH, events.length)) throw new Error(`unexpected ack ${JSON.stringify(ack)}`);
    }
  };

  const lanes = await Promise.all(Array.from({ length: LANES }, (_, i) => pair(`Caixa ${i + 1}`)));
  const outboxes = lanes.map(() => Array.from({ length: PER_LANE }, (_, i) => sale(i + 1)));
  let t = performance.now();
  await Promise.all(lanes.map((l, i) => drain(l.credential, outboxes[i]!)));
  const s = (performance.now() - t) / 1000;
  report.add('ingest_8_lanes_events_per_s', (LANES * PER_LANE) / s, 'events/s');
  report.add('ingest_8_lanes_total_s', s, 's');
  const stored = (await store.db.query('SELECT COUNT(*)::int AS n FROM sales')).rows[0].n as number;
  report.add('ingest_sales_stored', stored, 'sales');

  const late = await pair('Caixa atrasado');
  t = performance.now();
  await drain(
    late.credential,
    Array.from({ length: 2000 }, (_, i) => sale(i + 1)),
  );
  report.add('catch_up_2000_sales_s', (performance.now() - t) / 1000, 's');

  t = performance.now();
  await fetch(`${store.url}${STORE_ROUTES.reportDay}?day=2026-11-30`, { headers: { authorization: `Bearer ${admin}` } }).then((r) => r.json());
  report.add('day_report_18000_sales_ms', performance.now() - t, 'ms');

  const products = Array.from({ length: PRODUCTS }, (_, i) => ({
    entity: 'product',
    key: `p${i}`,
    data: {
      id: `p${i}`,
      code: String(i),
      gtin: null,
      description: `Produto ${i}`,
      unit: 'UN',
      priceCents: 100 + (i % 900),
      ncm: '21069090',
      cfop: '5102',
      cest: null,
      origin: '0',
      icms: '102',
    },
  }));
  t = performance.now();
  await post(STORE_ROUTES.records, admin, { upserts: products });
  report.add('catalog_100k_write_s', (performance.now() - t) / 1000, 's');
  t = performance.now();
  let cursor = 0;
  let pulled = 0;
  for (;;) {
    const res = await fetch(`${store.url}${STORE_ROUTES.changes}?since=${cursor}&limit=5000`, { headers: { authorization: `Bearer ${late.credential}` } });
    const page: any = await res.json();
    pulled += page.changes.length;
    cursor = page.cursor;
    if (!page.more) break;
  }
  report.add('catalog_100k_pull_s', (performance.now() - t) / 1000, 's');
  report.add('catalog_100k_pulled', pulled, 'records');

  const wake: number[] = [];
  for (let i = 0; i < 20; i++) {
    const parked = fetch(`${store.url}${STORE_ROUTES.changes}?since=${cursor}&waitMs=30000`, { headers: { authorization: `Bearer ${late.credential}` } }).then(
      (r) => r.json(),
    );
    while (store.waitingPolls === 0) await new Promise((r) => setTimeout(r, 5));
    t = performance.now();
    await post(STORE_ROUTES.records, admin, { upserts: [{ entity: 'setting', key: 'bench', data: { value: i } }] });
    const page = await parked;
    wake.push(performance.now() - t);
    cursor = page.cursor;
  }
  report.add('long_poll_change_to_lane_p50_ms', summarize(wake).p50, 'ms');
  report.add('long_poll_change_to_lane_max_ms', Math.max(...wake), 'ms');
  report.add('bench_and_store_rss_mb', process.memoryUsage().rss / 1024 / 1024, 'MB');
  report.meta['loadAverageAtEnd'] = load();
  console.log(`load average (1, 5, 15 min): ${load().join(', ')}`);
  console.log(`written: ${report.write()}`);
} finally {
  await store.close();
  await cluster.stop();
}
