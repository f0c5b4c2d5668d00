// The "Loja (várias caixas)" screen in a real shop's profile, against a real store server process
// on a throwaway PostgreSQL cluster: the manager pairs the lane with the one-time code, sees the
// sync state (last push, nothing left to send), and the store-wide day report — this lane's sales
// and another lane's, and the store's total — at 1366×768 and at 1024×768, with nothing cut off.
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { hashPin } from '../../main/auth/pin-hash.ts';
import { PairingCodeResponse, PushAck, RecordsResponse, STORE_ROUTES, type PairResponse } from '../../shared/store/protocol.ts';
import { formatBRL } from '../../shared/money.ts';
import { StoreHttp } from '../../main/store/http.ts';
import { createAdminToken } from '../../store/auth.ts';
import { createPool } from '../../store/db/pool.ts';
import { type PgCluster, startPgCluster } from '../fixtures/pg-cluster.ts';
import { startStoreProcess, type StoreProcess } from '../fixtures/lanes.ts';
import { SHOP, expect, expectNoDemo, gtinOf, login, open, payCashExact, scan, shot, test, useProfile } from './fixtures.ts';

const env = useProfile();
let cluster: PgCluster;
let store: StoreProcess;
let admin: StoreHttp;
/** What the other lane ("Caixa dos fundos") sold today, pushed straight through the protocol. */
const OTHER_CENTS = 1_234_56;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  cluster = await startPgCluster();
  const databaseUrl = await cluster.createDatabase();
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

  for (const viewport of [
    { width: 1366, height: 768 },
    { width: 1024, height: 768 },
  ]) {
    await page.setViewportSize(viewport);
    await nothingCutOff(page, ['store-state', 'store-sync-now', 'store-unpair', 'store-reports', 'store-day-report', 'store-lanes-table', 'store-day-table']);
    await shot(page, `store-${viewport.width}x${viewport.height}`);
  }
});
