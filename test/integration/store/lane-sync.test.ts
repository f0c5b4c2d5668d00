// The lane's sync client against the real store server on a throwaway PostgreSQL: pairing (the
// credential only in the vault, the allocated terminal id and série applied, the certificate
// pinned), the outbox pushed in order and exactly once in the store's totals even when a crash
// repeats a batch, pulled catalog changes applied (a cart keeps the price it showed), and Focus
// credits leased from the store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FALLBACK_AFTER_MS, HelloResponse, PairingCodeResponse, STORE_ROUTES, StoreDayReport } from '../../../shared/store/protocol.ts';
import { Journal } from '../../../main/db/journal.ts';
import { Outbox } from '../../../main/db/outbox.ts';
import { backupJournal, restoreJournal } from '../../../main/db/backup.ts';
import { Settings } from '../../../main/settings/schema.ts';
import type { SettingsPatch } from '../../../main/settings/settings.ts';
import { pairLane, storeCredential } from '../../../main/store/pairing.ts';
import { StoreHttp } from '../../../main/store/http.ts';
import { PushLoop } from '../../../main/store/push.ts';
import { PullLoop } from '../../../main/store/pull.ts';
import { applyChanges, PriceGrace } from '../../../main/store/apply.ts';
import { CreditPort } from '../../../main/store/credits.ts';
import { Catalog } from '../../../main/catalog/catalog.ts';
import { loadOrCreateCert } from '../../../store/tls.ts';
import { startStore, type Harness, useStore } from './store-harness.ts';
import { saleFor } from '../emission/fixtures.ts';
import { STORE_PRODUCT } from '../../fixtures/store-product.ts';

const { cluster } = useStore({ store: false });
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'balcao-lane-sync-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function memorySettings() {
  let s = Settings.parse({ mode: 'real' });
  return { get: () => s, update: (p: SettingsPatch) => (s = Settings.parse({ ...s, ...p })), raw: () => JSON.stringify(s) };
}
function memoryVault() {
  const m = new Map<string, Uint8Array>();
  return {
    get: async (n: string) => m.get(n) ?? null,
    set: async (n: string, v: Uint8Array) => void m.set(n, v),
    delete: async (n: string) => void m.delete(n),
  };
}

/** A one-time code from the store's manager (through the pinned client, so https stores work too). */
async function pairingCode(h: Harness): Promise<string> {
  const admin = new StoreHttp({ baseUrl: h.store.url, credential: h.admin, fingerprint: h.store.fingerprint });
  try {
    return (await admin.post(STORE_ROUTES.pairingCode, {}, PairingCodeResponse)).code;
  } finally {
    await admin.close();
  }
}

async function pairedLane(h: Harness, name: string) {
  const settings = memorySettings();
  const vault = memoryVault();
  const code = await pairingCode(h);
  const link = await pairLane({ settings, vault, now: Date.now }, { url: h.store.url, code, laneName: name });
  const credential = (await storeCredential(vault))!;
  const http = new StoreHttp({ baseUrl: link.url, credential, fingerprint: link.certFingerprint256 });
  return { settings, vault, link, credential, http };
}

const dayTotals = async (h: Harness, day: string) => StoreDayReport.parse((await h.get(`${STORE_ROUTES.reportDay}?day=${day}`, h.admin)).body);

describe('a lane and its store', () => {
  it('pairs with a one-time code: credential in the vault only, terminal id and contingency série from the store', async () => {
    const h = await startStore(cluster);
    try {
      const a = await pairedLane(h, 'Caixa 1');
      const b = await pairedLane(h, 'Caixa 2');
      expect(a.credential.length).toBeGreaterThanOrEqual(32);
      expect(a.settings.raw()).not.toContain(a.credential);
      expect(a.settings.get().store).toMatchObject({ laneName: 'Caixa 1', certFingerprint256: null });
      expect(a.settings.get().terminalId).not.toBe(b.settings.get().terminalId);
      expect(a.settings.get().contingencySerie).not.toBe(b.settings.get().contingencySerie);
      // A used code is refused, with the store's code and a Portuguese message; nothing is saved.
      const settings = memorySettings();
      const code = (await h.post(STORE_ROUTES.pairingCode, h.admin, {})).body.code as string;
      await pairLane({ settings, vault: memoryVault(), now: Date.now }, { url: h.store.url, code, laneName: 'Caixa 3' });
      await expect(
        pairLane({ settings: memorySettings(), vault: memoryVault(), now: Date.now }, { url: h.store.url, code, laneName: 'Caixa 4' }),
      ).rejects.toMatchObject({
        code: 'pairing_code_used',
        message: expect.stringMatching(/já foi usado/),
      });
      await a.http.close();
      await b.http.close();
    } finally {
      await h.close();
    }
  });

  it('pins the store certificate over https: another certificate at the same address is refused', async () => {
    const tlsA = loadOrCreateCert(join(dir, 'tls-a'), ['127.0.0.1']);
    const h = await startStore(cluster, { tls: tlsA });
    try {
      const a = await pairedLane(h, 'Caixa TLS');
      expect(a.link.url.startsWith('https://')).toBe(true);
      expect(a.link.certFingerprint256).toBe(h.store.fingerprint);
      const ok = await a.http.get(STORE_ROUTES.hello, HelloResponse);
      expect(ok.storeId).toBe(a.link.storeId);
      const impostor = new StoreHttp({ baseUrl: a.link.url, credential: a.credential, fingerprint: 'ab'.repeat(32) });
      await expect(impostor.get(STORE_ROUTES.hello, HelloResponse)).rejects.toMatchObject({ code: 'unauthorized' });
      await impostor.close();
      await a.http.close();
    } finally {
      await h.close();
    }
  });

  it('pushes the outbox in order; a crash before the ack repeats the batch and the store counts each sale once', async () => {
    const h = await startStore(cluster);
    const j = Journal.open({ path: join(dir, 'push.sqlite') });
    try {
      const lane = await pairedLane(h, 'Caixa push');
      let day = '';
      for (let i = 1; i <= 12; i++) {
        const { sale, emission } = j.sales.commitSale(await saleFor(i, `push-${i}`), { environment: 'homologacao' });
        day = sale.createdAt.slice(0, 10);
        j.emissions.transition(emission.id, 'pending', 'sending');
        j.emissions.transition(emission.id, 'sending', 'authorized', { numero: String(i), serie: '1' });
        if (i === 5) j.emissions.transition(emission.id, 'authorized', 'cancelled');
      }
      const outbox = new Outbox(j.db);
      const push = new PushLoop({ outbox, http: () => lane.http, now: Date.now, batchSize: 7 });
      await push.drain();
      expect(outbox.backlog().count).toBe(0);
      const journalTotal = Number(j.db.prepare("SELECT SUM(total_cents) AS t FROM sales WHERE client_id <> 'push-5'").get()?.t);
      const first = await dayTotals(h, day);
      expect(first.total.sales.count).toBe(11);
      expect(first.total.sales.cents).toBe(journalTotal);
      expect(first.total.cancelledNotes.count).toBe(1);

      // The lane died after the store committed but before it marked the rows pushed.
      j.db.exec('UPDATE outbox SET pushed_at = NULL');
      const again = new PushLoop({ outbox: new Outbox(j.db), http: () => lane.http, now: Date.now, batchSize: 7 });
      const r = await again.pushOnce();
      expect(r.duplicates).toBe(7);
      expect(r.stored).toBe(0);
      await again.drain();
      expect(outbox.backlog().count).toBe(0);
      const second = await dayTotals(h, day);
      expect(second.total).toEqual(first.total);
      await lane.http.close();
    } finally {
      j.close();
      await h.close();
    }
  });

  it('a journal restored from an older copy starts a new history: the store keeps every sale once, old and new', async () => {
    const h = await startStore(cluster);
    const path = join(dir, 'restored.sqlite');
    const backups = join(dir, 'restored-backups');
    let j = Journal.open({ path });
    try {
      const lane = await pairedLane(h, 'Caixa restaurada');
      // The shop's day, as the store counts it: the sale's local date (never the UTC one, which is
      // already tomorrow from 21:00 in São Paulo).
      let day = '';
      const sell = async (from: number, to: number) => {
        for (let i = from; i <= to; i++) {
          const { sale, emission } = j.sales.commitSale(await saleFor(i, `rest-${i}`), { environment: 'homologacao' });
          day ||= sale.createdAt.slice(0, 10);
          j.emissions.transition(emission.id, 'pending', 'sending');
          j.emissions.transition(emission.id, 'sending', 'authorized', { numero: String(i), serie: '1' });
        }
      };
      const pushAll = async () => {
        const push = new PushLoop({ outbox: new Outbox(j.db), http: () => lane.http, now: Date.now, batchSize: 5 });
        await push.drain();
        return push.state();
      };
      const totalOf = (ids: string[]) =>
        Number(j.db.prepare(`SELECT SUM(total_cents) AS t FROM sales WHERE client_id IN (${ids.map(() => '?').join(',')})`).get(...ids)?.t);
      // Sales 1–4 pushed, then the nightly backup (the real one: online backup API, checked).
      await sell(1, 4);
      await pushAll();
      const backup = await backupJournal(j.db, backups, 'journal');
      // Sales 5–9 after the backup, pushed too: the store has them, the backup does not.
      await sell(5, 9);
      await pushAll();
      const lost = ['rest-5', 'rest-6', 'rest-7', 'rest-8', 'rest-9'];
      const lostCents = totalOf(lost);
      const firstCents = totalOf(['rest-1', 'rest-2', 'rest-3', 'rest-4']);
      // The disk dies; the manager restores last night's copy over the journal.
      j.close();
      restoreJournal(backup.path, path);
      j = Journal.open({ path });
      expect(j.refusal()?.code).toBe('journal_rolled_back');
      // (Re-learning from Focus brings the lost notes back as recovered sales; here: accepted as is.)
      j.acceptExtent();
      // The restored journal numbers its outbox again from the copy's end: seqs the store holds for sales 5–9.
      await sell(10, 13);
      const state = await pushAll();
      expect(state.restarts).toBe(1);
      expect(new Outbox(j.db).backlog().count).toBe(0);
      const totals = (await dayTotals(h, day)).total.sales;
      // 1–4 once (sent again by the new history, deduplicated), 5–9 from the old history, 10–13 new.
      expect(totals.count).toBe(13);
      expect(totals.cents).toBe(firstCents + lostCents + totalOf(['rest-10', 'rest-11', 'rest-12', 'rest-13']));
      // Pushed again (a crash before the ack), nothing changes; a later sale still goes up.
      j.db.exec('UPDATE outbox SET pushed_at = NULL');
      await pushAll();
      await sell(14, 14);
      expect((await pushAll()).restarts).toBe(0);
      const after = (await dayTotals(h, day)).total.sales;
      expect(after.count).toBe(14);
      // A second restore of the same old copy (its outbox knows nothing of the new history) recovers the same way.
      j.close();
      restoreJournal(backup.path, path);
      j = Journal.open({ path });
      j.acceptExtent();
      await sell(15, 16);
      expect((await pushAll()).restarts).toBe(1);
      const last = (await dayTotals(h, day)).total.sales;
      expect(last.count).toBe(16);
      await lane.http.close();
    } finally {
      j.close();
      await h.close();
    }
  });

  it('keeps the outbox while the store is down and catches up when it is back', async () => {
    const h = await startStore(cluster);
    const j = Journal.open({ path: join(dir, 'down.sqlite') });
    try {
      const lane = await pairedLane(h, 'Caixa queda');
      const dead = new StoreHttp({ baseUrl: 'http://127.0.0.1:9', credential: lane.credential, fingerprint: null });
      let http: StoreHttp = dead;
      const outbox = new Outbox(j.db);
      const push = new PushLoop({ outbox, http: () => http, now: Date.now });
      let day = '';
      for (let i = 1; i <= 4; i++) day = j.sales.commitSale(await saleFor(i, `down-${i}`), { environment: 'homologacao' }).sale.createdAt.slice(0, 10);
      await expect(push.pushOnce()).rejects.toMatchObject({ code: 'store_unavailable' });
      expect(outbox.backlog().count).toBe(4);
      http = lane.http;
      await push.drain();
      expect((await dayTotals(h, day)).total.sales.count).toBe(4);
      await dead.close();
      await lane.http.close();
    } finally {
      j.close();
      await h.close();
    }
  });

  it('pulls catalog changes by cursor; a cart opened before a price change still finalizes at its price', async () => {
    const h = await startStore(cluster);
    const catalog = Catalog.open(join(dir, 'catalog.sqlite'));
    try {
      const lane = await pairedLane(h, 'Caixa catálogo');
      const product = STORE_PRODUCT;
      const put = (p: object) => h.post(STORE_ROUTES.records, h.admin, { upserts: [{ entity: 'product', key: 'arroz-5kg', data: p }] });
      expect((await put(product)).status).toBe(200);
      let cursor = 0;
      const grace = new PriceGrace(Date.now);
      const settings = memorySettings();
      const pull = new PullLoop({
        http: () => lane.http,
        now: Date.now,
        cursor: { get: () => cursor, set: (v) => (cursor = v) },
        apply: (changes) => applyChanges({ catalog, operators: { adoptFromStore: () => {} }, settings, priceGrace: grace, now: Date.now }, changes),
      });
      expect(await pull.catchUp()).toBe(1);
      expect(catalog.get('arroz-5kg')?.priceCents).toBe(2_599);
      const first = cursor;
      expect(first).toBeGreaterThan(0);
      await put({ ...product, priceCents: 2_799 });
      // Long-poll: the answer comes as soon as the change exists.
      const r = await pull.pullOnce(5_000);
      expect(r.applied).toBe(1);
      expect(cursor).toBeGreaterThan(first);
      expect(catalog.get('arroz-5kg')?.priceCents).toBe(2_799);
      expect(grace.accepts('arroz-5kg', 2_599)).toBe(true);
      expect(grace.accepts('arroz-5kg', 2_499)).toBe(false);
      // Nothing new: the cursor stays.
      expect((await pull.pullOnce(0)).applied).toBe(0);
      await lane.http.close();
    } finally {
      catalog.close();
      await h.close();
    }
  });

  it('leases Focus credits from the store and falls back to an even share when the store is gone', async () => {
    const h = await startStore(cluster);
    try {
      const lane = await pairedLane(h, 'Caixa créditos');
      let http: StoreHttp | null = lane.http;
      let answered: number | null = null;
      const port = new CreditPort({
        now: () => h.clock.ms,
        laneCount: () => 4,
        store: () => http,
        tokenKey: () => 'ab12'.repeat(8),
        lastContactMs: () => answered,
      });
      await expect.poll(() => port.available('emission'), { timeout: 15_000 }).toBeGreaterThan(0);
      expect(port.mode()).toBe('lease');
      const dead = new StoreHttp({ baseUrl: 'http://127.0.0.1:9', credential: lane.credential, fingerprint: null });
      http = dead;
      answered = h.clock.ms;
      // Use the lease up: the next lease attempt fails, but the share waits until the store has
      // been silent long enough to hold it back for this lane.
      while (port.available('emission') > 0) port.take('emission');
      h.clock.ms += 5_000;
      expect(port.available('emission')).toBe(0);
      expect(port.mode()).toBe('lease');
      h.clock.ms += FALLBACK_AFTER_MS;
      await expect.poll(() => (port.available('emission'), port.mode())).toBe('share');
      expect(port.available('emission')).toBeLessThanOrEqual(25);
      await port.releaseAll();
      await dead.close();
      await lane.http.close();
    } finally {
      await h.close();
    }
  });
});
