// A price the store changes while a cart is open stays valid for that cart, even when the lane is
// restarted in between: the grace list lives in the profile's journal, not only in memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../../main/catalog/catalog.ts';
import { Journal } from '../../../../main/db/journal.ts';
import { Settings } from '../../../../main/settings/schema.ts';
import type { SettingsPatch } from '../../../../main/settings/settings.ts';
import { applyChanges } from '../../../../main/store/apply.ts';
import { StoreSync } from '../../../../main/store/sync.ts';
import { STORE_PRODUCT } from '../../../fixtures/store-product.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'balcao-grace-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const product = STORE_PRODUCT;

function lane(clock: { ms: number }) {
  let s = Settings.parse({ mode: 'real' });
  const settings = { get: () => s, update: (p: SettingsPatch) => (s = Settings.parse({ ...s, ...p })) };
  const vault = { get: async () => null, set: async () => {}, delete: async () => {} };
  return { settings, sync: new StoreSync({ settings, vault, now: () => clock.ms, targets: () => null, log: () => {} }) };
}

describe('the price grace of an open cart', () => {
  it('survives a restart of the lane, for the old price only, until the grace period ends', async () => {
    const clock = { ms: Date.UTC(2026, 10, 30, 15, 0, 0) };
    const catalog = Catalog.open(join(dir, 'catalog.sqlite'));
    const journalPath = join(dir, 'journal.sqlite');
    let j = Journal.open({ path: journalPath });
    try {
      catalog.upsertMany([{ ...product }] as never, new Date(clock.ms).toISOString());
      const first = lane(clock);
      await first.sync.attach(j.db, null);
      // The store raises the price while the cashier holds the rice in a cart.
      applyChanges({ catalog, operators: { adoptFromStore: () => {} }, settings: first.settings, priceGrace: first.sync.priceGrace, now: () => clock.ms }, [
        { version: 2, entity: 'product', key: product.id, data: { ...product, priceCents: 2_799 } },
      ]);
      expect(catalog.get(product.id)?.priceCents).toBe(2_799);
      expect(first.sync.priceGrace.accepts(product.id, 2_599)).toBe(true);

      // The lane restarts (the process ends, the journal is closed and opened again).
      await first.sync.detach();
      j.close();
      clock.ms += 5 * 60_000;
      j = Journal.open({ path: journalPath });
      const second = lane(clock);
      expect(second.sync.priceGrace.accepts(product.id, 2_599)).toBe(false);
      await second.sync.attach(j.db, null);
      expect(second.sync.priceGrace.accepts(product.id, 2_599)).toBe(true);
      expect(second.sync.priceGrace.accepts(product.id, 2_499)).toBe(false);
      // Thirty minutes after the change the cart must be scanned again at the new price.
      clock.ms += 25 * 60_000;
      expect(second.sync.priceGrace.accepts(product.id, 2_599)).toBe(false);
      await second.sync.detach();
    } finally {
      j.close();
      catalog.close();
    }
  });
});
