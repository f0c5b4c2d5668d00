// Three lanes, the store, PostgreSQL and the Focus sandbox, each its own process, as a shop runs
// them: every lane a configured real profile with its own data dir and the shop's one token. The
// store goes down during a stretch of selling (the notes go at once, on the lanes' emergency
// reserves) and comes back; one lane is cut off for a long stretch; one lane is killed in the middle
// of a push and restarted; one lane's clock is off; a catalog price changes while a lane holds the
// product in a cart; the test replays a lane's events duplicated and in reverse. Afterwards the store's totals equal each lane's journal exactly (no
// sale missing, none twice), and the sandbox never answered 429.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { PairingCodeResponse, PushAck, RecordsResponse, STORE_ROUTES, StoreDayReport, LanesResponse } from '../../../shared/store/protocol.ts';
import { demoCatalog } from '../../../main/demo/catalog.ts';
import { LAYOUT } from '../../../main/core/layout.ts';
import { FileVault } from '../../../main/secrets/file-vault.ts';
import { defaultKeyStore } from '../../../main/secrets/key-store.ts';
import { SECRET_NAMES } from '../../../main/secrets/vault.ts';
import { StoreHttp } from '../../../main/store/http.ts';
import { createAdminToken } from '../../../store/auth.ts';
import { createPool } from '../../../store/db/pool.ts';
import type { PgCluster } from '../../fixtures/pg-cluster.ts';
import { sharedPgCluster } from '../../fixtures/pg-shared.ts';
import { startLane, startRelay, startStoreProcess, type LaneProcess, type Relay, type StoreProcess } from '../../fixtures/lanes.ts';
import { startSandboxProcess, type SandboxProcess } from '../../e2e/sandbox-process.ts';

let cluster: PgCluster;
let databaseUrl: string;
let store: StoreProcess;
let sandbox: SandboxProcess;
let admin: string;
let adminHttp: StoreHttp;
let root: string;
const relays: Relay[] = [];
const lanes: (LaneProcess | null)[] = [null, null, null];
const specs: Parameters<typeof startLane>[0][] = [];
const products = demoCatalog()
  .filter((p) => !p.weighed && p.gtin !== null)
  .slice(0, 12);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'balcao-lanes-'));
  // The cluster and the store on one side, the sandbox and the three lane processes on the other:
  // side by side (a lane needs the store only once it is paired).
  const storeUp = (async () => {
    cluster = await sharedPgCluster();
    databaseUrl = await cluster.createDatabase();
    store = await startStoreProcess(databaseUrl);
    const db = createPool(databaseUrl, 1);
    admin = await createAdminToken(db, Date.now, 'teste');
    await db.end();
    adminHttp = new StoreHttp({ baseUrl: store.url, credential: admin });
    // The shop's catalog lives in the store; lanes start empty and pull it.
    await adminHttp.post(STORE_ROUTES.records, { upserts: products.map((p) => ({ entity: 'product', key: p.id, data: p })) }, RecordsResponse);
    for (let i = 0; i < 3; i++) relays.push(await startRelay(store.port));
  })();
  sandbox = await startSandboxProcess();
  for (let i = 0; i < 3; i++) {
    specs.push({
      dataDir: join(root, `lane${i + 1}`),
      keyDir: join(root, `keys${i + 1}`),
      token: sandbox.token,
      focusUrl: sandbox.url,
      cnpj: sandbox.cnpj,
      // Lane 3's clock is 90 s ahead.
      skewMs: i === 2 ? 90_000 : 0,
      // Short, small leases: the leases a lane held when the store went down end within 2 s, and the
      // first sales' leases do not charge the whole minute's budget (held back 60 s after they end),
      // so a restarted lane's first lease and the cancellation below go at once instead of waiting
      // a window. The sharing arithmetic itself is test/integration/store/credits.test.ts's.
      leaseMs: 2_000,
      leaseWant: { sale: 2, backlog: 2 },
      // Done in minutes instead of a slow hour, this test's notes, queries and cancellation come
      // close to the token's 100 a minute with the lanes' reserves held: the lanes skip the XML
      // downloads after each note (not what this test is about) so no lease waits for a window.
      archive: false,
    });
  }
  await Promise.all([storeUp, ...specs.map(async (spec, i) => (lanes[i] = await startLane(spec)))]);
}, 180_000);

afterAll(async () => {
  await Promise.all(lanes.filter((l): l is LaneProcess => l !== null).map((l) => l.stop()));
  await Promise.all(relays.map((r) => r.close()));
  await adminHttp?.close();
  await store?.stop();
  await sandbox?.stop();
  await cluster?.stop();
  rmSync(root, { recursive: true, force: true });
});

const lane = (i: number) => lanes[i]!;

async function login(l: LaneProcess) {
  await l.call('auth.login', { operatorId: 'ana', pin: '4826' });
}

let saleNo = 0;
/**
 * Sells `n` one-item cash sales at the price the lane shows now. In the background by default (the
 * till answers once the sale is committed; the note authorizes meanwhile): this test is about what
 * reaches the store. Returns the notes' states (final ones when not in the background).
 */
async function sell(l: LaneProcess, n: number, tag: string, background = true) {
  const states: string[] = [];
  for (let k = 0; k < n; k++) {
    const p = products[saleNo % products.length]!;
    const found = await l.call('catalog.lookup', { code: p.gtin! });
    const price = found!.product.priceCents;
    const r = await l.call('sales.finalize', {
      clientId: `venda-${tag}-${String(++saleNo).padStart(4, '0')}`,
      items: [{ productId: p.id, qtyE4: 10_000, unitPriceCents: price }],
      payments: [{ method: '01', amountCents: price }],
      background,
    });
    states.push(r.emission.state);
  }
  return states;
}

/** The lane's sync state (the manager's view; a lapsed manager grace logs in again). */
async function syncState(l: LaneProcess) {
  let r = await l.raw('store.state', {});
  if (!r.ok && r.error.code === 'manager_required') {
    await login(l);
    r = await l.raw('store.state', {});
  }
  if (!r.ok) throw new Error(`store.state: ${r.error.code} ${r.error.message}`);
  return r.value;
}
const backlog = async (l: LaneProcess) => (await syncState(l)).backlog;

async function allPushed() {
  for (const l of lanes) await expect.poll(() => backlog(l!), { timeout: 60_000, interval: 200 }).toBe(0);
}

it('keeps every sale exactly once at the store through outages, a kill mid-push, a skewed clock and a catalog change', async () => {
  // Pairing: a one-time code each; the store hands out terminal ids and contingency séries.
  await Promise.all(
    [0, 1, 2].map(async (i) => {
      await login(lane(i));
      const { code } = await adminHttp.post(STORE_ROUTES.pairingCode, {}, PairingCodeResponse);
      const st = await lane(i).call('store.pair', { url: relays[i]!.url, code, laneName: `Caixa ${i + 1}` });
      expect(st.paired).toBe(true);
      await lane(i).call('register.open', { amountText: '100,00' });
    }),
  );
  const ids = await Promise.all(lanes.map(async (l) => (await l!.call('settings.get', {})).contingencySerie));
  expect(new Set(ids).size).toBe(3);
  // The catalog comes down from the store.
  for (const l of lanes) await expect.poll(() => l!.call('catalog.lookup', { code: products[0]!.gtin! }), { timeout: 30_000 }).not.toBeNull();

  // Waiting for the note: each lane has authorized sales (one is cancelled below).
  await Promise.all(lanes.map((l, i) => sell(l!, 2, `a${i}`, false)));
  await allPushed();

  // The store goes down for a stretch of selling, then comes back on its address. Each lane's notes
  // go to Focus at once on its emergency reserve: authorized while the store is down, before the
  // lane's even share could open (110 s without an answer).
  await store.stop();
  // (Once the leases the lanes still hold have expired: the notes then go on the reserves only.)
  const db = createPool(databaseUrl, 1);
  const lastLeaseEnds = async () => Number((await db.query<{ e: string }>('SELECT COALESCE(MAX(expires_ms), 0) AS e FROM credit_leases')).rows[0]!.e);
  await expect.poll(async () => (await lastLeaseEnds()) < Date.now(), { timeout: 30_000, interval: 250 }).toBe(true);
  await db.end();
  const down = await Promise.all(lanes.map((l, i) => sell(l!, 2, `b${i}`, false)));
  expect(down).toEqual([0, 1, 2].map(() => ['authorized', 'authorized']));
  for (const l of lanes) expect((await syncState(l!)).credits.mode).toBe('reserve');
  expect(await backlog(lane(0))).toBeGreaterThan(0);
  store = await startStoreProcess(databaseUrl, store.port);
  await allPushed();

  // Lane 3 is cut off (a long day without the store) while the others sell too.
  relays[2]!.block();
  await Promise.all([sell(lane(2), 4, 'c2'), sell(lane(0), 2, 'c0')]);
  expect(await backlog(lane(2))).toBeGreaterThan(0);
  relays[2]!.unblock();

  // A price changes at the store while lane 1 has the product in a cart: the cart keeps its price.
  const p = products[1]!;
  const before = (await lane(0).call('catalog.lookup', { code: p.gtin! }))!.product.priceCents;
  await adminHttp.post(STORE_ROUTES.records, { upserts: [{ entity: 'product', key: p.id, data: { ...p, priceCents: before + 100 } }] }, RecordsResponse);
  await expect.poll(async () => (await lane(0).call('catalog.lookup', { code: p.gtin! }))!.product.priceCents, { timeout: 30_000 }).toBe(before + 100);
  await lane(0).call('sales.finalize', {
    clientId: 'carrinho-aberto-0001',
    items: [{ productId: p.id, qtyE4: 10_000, unitPriceCents: before }],
    payments: [{ method: '01', amountCents: before }],
    background: true,
  });

  // Lane 2 sells cut off, then dies in the middle of its first push; restarted, it pushes again.
  relays[1]!.block();
  await sell(lane(1), 3, 'd1');
  const killing: { done: Promise<void> | null } = { done: null };
  relays[1]!.onClientData = (chunk) => {
    if (!killing.done && chunk.toString('latin1').includes(`POST ${STORE_ROUTES.events}`)) killing.done = lane(1).kill();
  };
  relays[1]!.unblock();
  await expect.poll(() => killing.done !== null, { timeout: 30_000 }).toBe(true);
  await killing.done;
  relays[1]!.onClientData = null;
  lanes[1] = await startLane(specs[1]!);
  await login(lane(1));
  await sell(lane(1), 1, 'e1');
  await allPushed();

  // One cancellation changes the totals at the store too.
  const recent = await lane(0).call('sales.list', {});
  const toCancel = recent.find((s) => s.state === 'authorized')!;
  await lane(0).call('sales.cancel', { saleId: toCancel.id, justificativa: 'Cliente desistiu da compra no caixa', managerPin: '4826' });
  await allPushed();

  // A lane's events replayed duplicated and in reverse order change nothing at the store.
  const lane1Journal = LAYOUT.journal(specs[0]!.dataDir, 'homologacao');
  const events = readEvents(lane1Journal);
  const vault = new FileVault(
    LAYOUT.secrets(specs[0]!.dataDir),
    defaultKeyStore(specs[0]!.dataDir, { env: { BALCAO_KEY_DIR: specs[0]!.keyDir, BALCAO_KEYRING: 'off' } }),
  );
  const credential = new TextDecoder().decode((await vault.get(SECRET_NAMES.storeCredential))!);
  const replay = new StoreHttp({ baseUrl: store.url, credential });
  const reversed = await replay.post(STORE_ROUTES.events, { events: [...events].reverse().slice(0, 50) }, PushAck);
  expect(reversed.stored).toBe(0);
  const dup = await replay.post(STORE_ROUTES.events, { events: events.slice(0, 50) }, PushAck);
  expect(dup.stored).toBe(0);
  expect(dup.duplicates).toBe(Math.min(50, events.length));
  await replay.close();

  // The store saw lane 3's clock 90 s ahead.
  const seen = await adminHttp.get(STORE_ROUTES.lanes, LanesResponse);
  const laneIds = await Promise.all(lanes.map(async (l) => (await syncState(l!)).laneId!));
  const skew = seen.lanes.find((l) => l.laneId === laneIds[2])!.clockSkewMs!;
  expect(skew).toBeLessThan(-60_000);

  // Every lane's journal, sale by sale, equals the store's totals for that lane, day by day.
  await Promise.all(lanes.map((l) => l!.stop()));
  lanes.fill(null);
  let storeSales = 0;
  let journalSales = 0;
  for (let i = 0; i < 3; i++) {
    const days = journalTotals(LAYOUT.journal(specs[i]!.dataDir, 'homologacao'));
    for (const [day, j] of days) {
      const report = await adminHttp.get(`${STORE_ROUTES.reportDay}?day=${day}`, StoreDayReport);
      const mine = report.lanes.find((l) => l.laneId === laneIds[i])!.totals;
      expect({ lane: i + 1, day, count: mine.sales.count, cents: mine.sales.cents, cancelled: mine.cancelledNotes.count }).toEqual({
        lane: i + 1,
        day,
        ...j,
      });
      storeSales += mine.sales.count;
      journalSales += j.count;
    }
  }
  expect(storeSales).toBe(journalSales);
  // Every sale sold, plus the open cart's, minus the cancelled one.
  expect(journalSales).toBe(saleNo);
  // One token, three lanes, never a 429.
  const info = (await (await fetch(`${sandbox.url}/__sandbox/info`)).json()) as { rateLimited: number };
  expect(info.rateLimited).toBe(0);
}, 300_000);

function readEvents(path: string) {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db
      .prepare('SELECT * FROM outbox ORDER BY seq')
      .all()
      .map((r) => ({
        id: String(r.id),
        seq: Number(r.seq),
        kind: String(r.kind),
        atMs: Date.parse(String(r.created_at)),
        payload: JSON.parse(String(r.payload)) as Record<string, unknown>,
      }));
  } finally {
    db.close();
  }
}

function journalTotals(path: string): Map<string, { count: number; cents: number; cancelled: number }> {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const rows = db
      .prepare(
        `SELECT s.local_day AS day,
           SUM(CASE WHEN e.state <> 'cancelled' THEN 1 ELSE 0 END) AS count,
           SUM(CASE WHEN e.state <> 'cancelled' THEN s.total_cents ELSE 0 END) AS cents,
           SUM(CASE WHEN e.state = 'cancelled' THEN 1 ELSE 0 END) AS cancelled
         FROM sales s JOIN emissions e ON e.sale_id = s.id AND e.attempt = (SELECT MAX(attempt) FROM emissions WHERE sale_id = s.id)
         GROUP BY s.local_day`,
      )
      .all();
    return new Map(rows.map((r) => [String(r.day), { count: Number(r.count), cents: Number(r.cents), cancelled: Number(r.cancelled) }]));
  } finally {
    db.close();
  }
}
