// The "Loja (várias caixas)" screen in a real shop's profile, against a real store server process
// on a throwaway PostgreSQL cluster: the manager pairs the lane with the one-time code, sees the
// sync state (last push, nothing left to send), and the store-wide day report — this lane's sales
// and another lane's, and the store's total — at 1366×768 and at 1024×768, with nothing cut off.
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { hashPin } from '../../main/auth/pin-hash.ts';
import { LeaseResponse, PairingCodeResponse, PushAck, RecordsResponse, STORE_ROUTES, type PairResponse } from '../../shared/store/protocol.ts';
import { formatBRL } from '../../shared/money.ts';
import { StoreHttp } from '../../main/store/http.ts';
import { createAdminToken } from '../../store/auth.ts';
import { createPool } from '../../store/db/pool.ts';
import { type PgCluster, startPgCluster } from '../fixtures/pg-cluster.ts';
import { startStoreProcess, type StoreProcess } from '../fixtures/lanes.ts';
import { SHOP, expect, expectNoDemo, gtinOf, login, open, payCashExact, scan, shot, test, useProfile } from './fixtures.ts';

// The lane's credit leases last 2 s instead of 10: the test waits for the one its first note came
// on to expire before the other lane takes every credit.
const env = useProfile('real', { storeTiming: { leaseMs: 2_000 } });
let cluster: PgCluster;
let store: StoreProcess;
let databaseUrl: string;
let admin: StoreHttp;
/** The other lane's credential: it leases the whole budget to make this lane wait for its turn. */
let otherCredential: string;
/** What the other lane ("Caixa dos fundos") sold today, pushed straight through the protocol. */
const OTHER_CENTS = 1_234_56;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  cluster = await startPgCluster();
  databaseUrl = await cluster.createDatabase();
  store = await startStoreProcess(databaseUrl);
  const pool = createPool(databaseUrl, 1);
  const token = await createAdminToken(pool, Date.now, 'e2e');
  await pool.end();
  admin = new StoreHttp({ baseUrl: store.url, credential: token });
  // The shop's manager is one of the store's shared operators (the store checks the PIN for its reports).
  const manager = { id: env.managerId, name: SHOP.manager.name, role: 'manager', pinHash: await hashPin(SHOP.manager.pin), active: true };
  await admin.post(STORE_ROUTES.records, { upserts: [{ entity: 'operator', key: manager.id, data: manager }] }, RecordsResponse);
  // Another lane of the shop, already paired and with one sale today.
  const { code } = await admin.post(STORE_ROUTES.pairingCode, {}, PairingCodeResponse);
  const other = await fetch(`${store.url}${STORE_ROUTES.pair}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ protocol: 1, code, laneName: 'Caixa dos fundos' }),
  });
  const paired = (await other.json()) as PairResponse;
  otherCredential = paired.credential;
  // Seven more lanes take what is left of the store's pool of emergency reserves (8 × 5): this
  // lane gets none, so its notes wait for a lease — and the screen must say so.
  for (let i = 3; i <= 9; i++) {
    const c = await admin.post(STORE_ROUTES.pairingCode, {}, PairingCodeResponse);
    const r = await fetch(`${store.url}${STORE_ROUTES.pair}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ protocol: 1, code: c.code, laneName: `Caixa ${i}` }),
    });
    expect(r.status).toBe(200);
  }
  const lane2 = new StoreHttp({ baseUrl: store.url, credential: paired.credential });
  const day = new Date().toLocaleDateString('sv-SE', { timeZone: 'America/Sao_Paulo' });
  const sale = {
    saleId: randomUUID(),
    day,
    atMs: Date.now(),
    operatorId: 'caixa-2',
    sessionId: 1,
    grossCents: OTHER_CENTS,
    discountCents: 0,
    totalCents: OTHER_CENTS,
    changeCents: 0,
    payments: [{ method: '03', amountCents: OTHER_CENTS }],
    items: [{ productId: 'p1', cfop: '5102', qtyE4: 10_000, totalCents: OTHER_CENTS }],
    emission: { state: 'authorized', serie: 1, number: 1 },
  };
  await lane2.post(STORE_ROUTES.events, { events: [{ id: randomUUID(), seq: 1, kind: 'sale', atMs: Date.now(), payload: sale }] }, PushAck);
  await lane2.close();
});

test.afterAll(async () => {
  await admin?.close();
  await store?.stop();
  await cluster?.stop();
});

/** No sideways scrolling, and the given parts of the screen entirely inside the window's width. */
async function nothingCutOff(page: Page, testIds: string[]): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  const width = page.viewportSize()!.width;
  for (const id of testIds) {
    const el = page.getByTestId(id);
    await el.scrollIntoViewIfNeeded();
    await expect(el).toBeVisible();
    const box = (await el.boundingBox())!;
    expect(box.x, `${id} starts inside the window`).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, `${id} ends inside the window (${width}px)`).toBeLessThanOrEqual(width + 0.5);
    const clipped = await el.evaluate((n) => n.scrollWidth - n.clientWidth);
    expect(clipped, `${id} has no hidden overflow`).toBeLessThanOrEqual(1);
  }
}

test('the manager pairs the lane with the code, sees it in sync, and reads the store-wide day', async ({ page }) => {
  await open(page, env.host);
  await login(page, SHOP.manager.name, SHOP.manager.pin);
  // A sale before pairing: the outbox keeps it, and the pairing uploads it.
  const p = env.unitProducts[0]!;
  await scan(page, gtinOf(p));
  await payCashExact(page);

  await page.keyboard.press('F1');
  await expect(page.getByTestId('settings-screen')).toBeVisible();
  await page.getByTestId('open-store').click();
  await expect(page.getByTestId('store-screen')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Loja (várias caixas)' })).toBeVisible();
  await expect(page.getByTestId('store-pair')).toBeVisible();
  await nothingCutOff(page, ['store-pair', 'store-pair-submit']);

  // A wrong code changes nothing and says so in Portuguese.
  await page.getByTestId('store-url').fill(store.url);
  await page.getByTestId('store-code').fill('0000-0000');
  await page.getByTestId('store-lane-name').fill('Caixa da frente');
  await page.getByTestId('store-pair-submit').click();
  await expect(page.getByTestId('store-pair').getByRole('alert')).toContainText(/código/i);
  await expect(page.getByTestId('store-pair')).toBeVisible();

  const { code } = await admin.post(STORE_ROUTES.pairingCode, {}, PairingCodeResponse);
  await page.getByTestId('store-code').fill(code);
  await page.getByTestId('store-pair-submit').click();
  await expect(page.getByTestId('store-state')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('store-state').getByRole('heading')).toContainText('Caixa da frente na loja');
  // The sale sold before pairing went up: nothing left to send, a last push shown, the store answering.
  await expect(page.getByTestId('store-backlog')).toHaveText('nada', { timeout: 30_000 });
  await expect(page.getByTestId('store-last-push')).not.toHaveText('—');
  await expect(page.getByTestId('store-reachable')).toHaveText('Conectado');
  await expect(page.getByTestId('store-credits')).toContainText('servidor da loja');
  // The store allocated this lane's terminal id and contingency série.
  const settings = await env.host.core.handle('settings.get', {});
  if (!settings.ok) throw new Error(settings.error.message);
  expect(settings.value.terminalId).toMatch(/^LJ\d\d$/);

  // Store-wide: the lanes and the day, opened with the manager's PIN at the store.
  await page.getByTestId('store-pin').fill(SHOP.manager.pin);
  await page.getByTestId('store-lanes').click();
  await expect(page.getByTestId('store-lanes-table')).toContainText('Caixa dos fundos');
  await expect(page.getByTestId('store-lanes-table')).toContainText('Caixa da frente');
  await page.getByTestId('store-day-report').click();
  const table = page.getByTestId('store-day-table');
  await expect(table).toBeVisible();
  const total = table.locator('tr.total-row');
  await expect(total).toContainText('Loja');
  await expect(total.locator('td').nth(1)).toHaveText('2');
  await expect(total.locator('td').nth(2)).toHaveText(formatBRL(OTHER_CENTS + p.priceCents));
  await expect(table).toContainText(formatBRL(OTHER_CENTS));
  await expectNoDemo(page);

  // Day and month are typed and shown the Brazilian way, never the browser's US format.
  const today = new Date();
  const dd = String(today.getDate()).padStart(2, '0');
  const mm = String(today.getMonth() + 1).padStart(2, '0');
  const yyyy = String(today.getFullYear());
  await expect(page.getByTestId('store-day')).toHaveValue(`${dd}/${mm}/${yyyy}`);
  await expect(page.getByTestId('store-day')).toHaveAttribute('placeholder', 'dd/mm/aaaa');
  await expect(page.getByTestId('store-month')).toHaveValue(`${mm}/${yyyy}`);
  await expect(table.locator('caption')).toHaveText(`Totais de ${dd}/${mm}/${yyyy}`);
  // A US-style date is refused in Portuguese and changes nothing.
  await page.getByTestId('store-day').fill('12/31/2026');
  await page.getByTestId('store-day-report').click();
  await expect(page.getByTestId('store-error')).toContainText('Use dd/mm/aaaa');
  await expect(table.locator('caption')).toHaveText(`Totais de ${dd}/${mm}/${yyyy}`);
  await page.getByTestId('store-month-report').click();
  await expect(page.getByTestId('store-month-table').locator('caption')).toContainText(`Mês ${mm}/${yyyy}`);

  // A first sale once paired (the register opens again under the terminal id the store gave):
  // its note goes on a lease, and the store learns the token's key.
  expect((await env.host.core.handle('register.open', { amountText: '100,00' })).ok).toBe(true);
  const sell = async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('checkout-screen')).toBeVisible();
    await scan(page, gtinOf(p));
    await payCashExact(page);
    await page.keyboard.press('F1');
    await page.getByTestId('open-store').click();
    await expect(page.getByTestId('store-state')).toBeVisible();
  };
  await sell();
  const pool = createPool(databaseUrl, 1);
  const keyOf = async () => (await pool.query<{ k: string | null }>(`SELECT token_key AS k FROM lanes WHERE name = 'Caixa da frente'`)).rows[0]?.k ?? null;
  await expect.poll(keyOf, { timeout: 15_000 }).not.toBeNull();
  const tokenKey = (await keyOf())!;
  // The lease that note came on has credits left: wait until it has expired.
  const leaseEnds = async () =>
    Number(
      (
        await pool.query<{ e: string }>(
          `SELECT COALESCE(MAX(c.expires_ms), 0) AS e FROM credit_leases c JOIN lanes l ON l.id = c.lane_id WHERE l.name = 'Caixa da frente'`,
        )
      ).rows[0]!.e,
    );
  await expect.poll(async () => (await leaseEnds()) < Date.now(), { timeout: 30_000 }).toBe(true);
  await pool.end();
  // The other lane leases every credit the store can give: this lane (no reserve left in the pool)
  // sells again, and its note waits for its turn at Focus — the screen says so.
  const otherLane = new StoreHttp({ baseUrl: store.url, credential: otherCredential });
  // (Granted or not: after 30 s the eight lanes that never spoke hold their shares back anyway.)
  await otherLane.post(STORE_ROUTES.creditsLease, { tokenKey, want: 100, purpose: 'sale', leaseMs: 15_000 }, LeaseResponse);
  await otherLane.close();
  await sell();
  await expect(page.getByTestId('store-credits-waiting')).toContainText('Aguardando vez na Focus', { timeout: 15_000 });
  await page.setViewportSize({ width: 1024, height: 768 });
  await nothingCutOff(page, ['store-credits', 'store-credits-waiting']);
  await shot(page, 'store-waiting-1024x768');
  // The store-wide views again (the store's manager session is still open), all on one screen.
  for (const id of ['store-lanes', 'store-day-report', 'store-month-report']) await page.getByTestId(id).click();
  await expect(page.getByTestId('store-month-table')).toBeVisible();

  for (const viewport of [
    { width: 1366, height: 768 },
    { width: 1024, height: 768 },
  ]) {
    await page.setViewportSize(viewport);
    await nothingCutOff(page, [
      'store-state',
      'store-credits',
      'store-sync-now',
      'store-unpair',
      'store-reports',
      'store-day',
      'store-month',
      'store-day-report',
      'store-lanes-table',
      'store-day-table',
      'store-month-table',
    ]);
    await shot(page, `store-${viewport.width}x${viewport.height}`);
  }
});
