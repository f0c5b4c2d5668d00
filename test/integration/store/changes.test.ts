// Catalog, tax profiles, operators and settings coming down by version cursor: paging, deletions,
// validation of what a manager writes, a long-poll woken by a change (and by a change another store
// process wrote: NOTIFY), and a long-poll that times out empty.
import { beforeAll, describe, expect, it } from 'vitest';
import { PullResponse, STORE_ROUTES } from '../../../shared/store/protocol.ts';
import { createPool } from '../../../store/db/pool.ts';
import { writeRecords } from '../../../store/records.ts';
import { useStore } from './store-harness.ts';

const { h } = useStore();
let lane: string;
beforeAll(async () => {
  lane = (await h.pair('Caixa pull')).credential;
});

const product = (i: number, priceCents = 100 + i) => ({
  id: `p${i}`,
  code: String(i),
  gtin: null,
  description: `Produto ${i}`,
  unit: 'UN',
  priceCents,
  ncm: '21069090',
  cfop: '5102',
  cest: null,
  origin: '0',
  icms: '102',
});
const upsert = (...products: ReturnType<typeof product>[]) => ({ upserts: products.map((p) => ({ entity: 'product', key: p.id, data: p })) });
const pull = async (since: number, extra = '') => {
  const r = await h.get(`${STORE_ROUTES.changes}?since=${since}${extra}`, lane);
  expect(r.status).toBe(200);
  return PullResponse.parse(r.body);
};

describe('pull by version cursor', () => {
  it('pages through every change once, in version order, then reports nothing more', async () => {
    const w = await h.post(STORE_ROUTES.records, h.admin, upsert(...Array.from({ length: 25 }, (_, i) => product(i))));
    expect(w.body).toMatchObject({ changed: 25 });
    const seen: string[] = [];
    let cursor = 0;
    for (let pages = 0; ; pages++) {
      const page = await pull(cursor, '&limit=10');
      seen.push(...page.changes.map((c) => c.key));
      expect(page.changes.every((c, i, all) => i === 0 || c.version > all[i - 1]!.version)).toBe(true);
      cursor = page.cursor;
      if (!page.more) {
        expect(pages).toBe(2);
        break;
      }
    }
    expect(new Set(seen).size).toBe(25);
    expect(cursor).toBe(w.body.version);
    expect((await pull(cursor)).changes).toEqual([]);

    // An edit and a deletion come down as two changes past the cursor; the deleted record's data is null.
    await h.post(STORE_ROUTES.records, h.admin, { ...upsert(product(3, 999)), deletes: [{ entity: 'product', key: 'p4' }] });
    const next = await pull(cursor);
    expect(next.changes.map((c) => [c.key, c.data === null ? null : c.data['priceCents']])).toEqual([
      ['p3', 999],
      ['p4', null],
    ]);
    const lanes = (await h.get(STORE_ROUTES.lanes, h.admin)).body;
    expect(lanes.lanes[0].lastPullCursor).toBe(next.cursor);
    expect(lanes.catalogVersion).toBe(next.cursor);
  });

  it('refuses an invalid record with the field named, writing nothing', async () => {
    const before = (await pull(0)).cursor;
    const r = await h.post(STORE_ROUTES.records, h.admin, { upserts: [{ entity: 'product', key: 'p1', data: { ...product(1), ncm: '12' } }] });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_request');
    expect(r.body.error.fields.map((f: any) => f.path)).toEqual(['upserts.0.ncm']);
    const mismatch = await h.post(STORE_ROUTES.records, h.admin, { upserts: [{ entity: 'product', key: 'p1', data: { ...product(1), id: 'other' } }] });
    expect(mismatch.body.error.code).toBe('invalid_request');
    expect((await pull(0)).cursor).toBe(before);
  });

  it('a long-poll returns as soon as a change commits, and empty after its timeout otherwise', async () => {
    const cursor = (await pull(0, '&limit=5000')).cursor;
    const waiting = pull(cursor, '&waitMs=30000');
    // The poll is parked at the store before anything changes.
    await expect.poll(() => h.store.waitingPolls).toBe(1);
    await h.post(STORE_ROUTES.records, h.admin, { upserts: [{ entity: 'setting', key: 'discountLimitBp', data: { value: 500 } }] });
    const woke = await waiting;
    expect(woke.changes.map((c) => c.key)).toEqual(['discountLimitBp']);

    // Written by another process straight into the database (the CLI, a second store): NOTIFY wakes it.
    const other = createPool(h.databaseUrl, 1);
    try {
      const again = pull(woke.cursor, '&waitMs=30000');
      await expect.poll(() => h.store.waitingPolls).toBe(1);
      await writeRecords(other, Date.now, { protocol: 1, upserts: [{ entity: 'setting', key: 'managerGraceSeconds', data: { value: 60 } }] });
      expect((await again).changes.map((c) => c.key)).toEqual(['managerGraceSeconds']);
    } finally {
      await other.end();
    }

    const idle = await pull((await pull(0, '&limit=5000')).cursor, '&waitMs=300');
    expect(idle.changes).toEqual([]);
    expect(idle.more).toBe(false);
    // Polls wait up to 30 s: only a wake-up finishes this test inside its 20 s.
  }, 20_000);
});

describe('catalog writes', () => {
  it('writes a catalog in one COPY: text with tabs, newlines and backslashes comes back as sent; unchanged records keep their version', async () => {
    const odd = { ...product(900), description: 'BARRA \\ "ASPAS" ÇÃ' };
    const note = { value: 'linha 1\nlinha 2\tcom tab \\N não é nulo' };
    const first = await h.post(STORE_ROUTES.records, h.admin, {
      upserts: [...upsert(odd, product(901), product(902)).upserts, { entity: 'setting', key: 'nota', data: note }],
    });
    expect(first.body).toMatchObject({ changed: 4 });
    const page = await pull(first.body.version - 4);
    expect(page.changes.find((c) => c.key === 'p900')?.data).toMatchObject(odd);
    expect(page.changes.find((c) => c.key === 'nota')?.data).toEqual(note);
    // The same three again, one with a new price, one twice (the last copy wins): only that one changes.
    const again = await h.post(STORE_ROUTES.records, h.admin, upsert(odd, product(901, 5), product(902), product(901, 7)));
    expect(again.body).toMatchObject({ changed: 1 });
    const next = await pull(first.body.version);
    expect(next.changes.map((c) => [c.key, c.data?.['priceCents']])).toEqual([['p901', 7]]);
  });
});
