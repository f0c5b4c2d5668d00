// The till on a large catalog that is still building its search index: the core answers scans,
// typed codes and searches meanwhile (the index is built in slices, never in one long block), and
// the register's list, which needs the index, waits for it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../../main/core/core.ts';
import { realCoreDeps } from '../../../main/core/wiring.ts';
import { LAYOUT } from '../../../main/core/layout.ts';
import type { WarmStage } from '../../../main/catalog/catalog.ts';
import { FileVault } from '../../../main/secrets/file-vault.ts';
import { demoStore } from '../../fixtures/demo-store.ts';
import { syntheticProducts } from '../../fixtures/synthetic-catalog.ts';
import { TEST_PIN_COST } from '../../fixtures/core-rig.ts';

const PRODUCTS = 12_000;
let dir: string;
let core: Core;
let release: (() => void) | null = null;
let holding = true;
let indexPauses = 0;

/** The index build is held at its 3rd pause (its snapshot taken, entries made); the file reading runs freely. */
function pause(stage: WarmStage): Promise<void> {
  if (stage === 'index' && ++indexPauses >= 3 && holding) return new Promise<void>((r) => (release = r));
  return new Promise<void>((r) => setImmediate(r));
}

type R<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
async function ok<T>(p: Promise<R<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'balcao-warm-'));
  const deps = await realCoreDeps({
    dataDir: dir,
    kv: demoStore(dir),
    vault: new FileVault(LAYOUT.secrets(dir), join(dir, 'test-vault.key')),
    sandboxLatencyMs: 0,
    engine: { archive: false },
    log: () => {},
    pinCost: TEST_PIN_COST,
  });
  core = createCore({ ...deps, catalogSeed: () => syntheticProducts(PRODUCTS), catalogPause: pause });
  await core.start();
});
afterAll(async () => {
  release?.();
  await core?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the core while the catalog index builds', () => {
  it('answers a scan, a typed code and a search while the index is held mid-build, then lists from the index', async () => {
    await ok(core.handle('auth.login', { operatorId: 'caixa-1', pin: '1234' }));
    await vi.waitFor(() => expect(release).not.toBeNull(), { timeout: 20_000 });
    const list = syntheticProducts(PRODUCTS);
    const scan = await ok(core.handle('catalog.lookup', { code: list[9_876]!.gtin! }));
    expect(scan?.product).toMatchObject({ id: 'P9876', description: list[9_876]!.description });
    const typed = await ok(core.handle('catalog.lookup', { code: `2*${list[123]!.code}` }));
    expect(typed).toMatchObject({ product: { id: 'P123' }, qtyE4: 20_000 });
    const hits = await ok(core.handle('catalog.search', { query: 'feijao trad', limit: 10 }));
    expect(hits).toHaveLength(10);
    expect(hits.every((h) => /^Feijão Tradicional/.test(h.product.description))).toBe(true);
    // A keystroke's answer carries what the list shows and the cart needs, no fiscal data.
    expect(Object.keys(hits[0]!.product).sort()).toEqual(['code', 'description', 'gtin', 'id', 'priceCents', 'unit', 'weighed']);
    // All of that was answered with the build still held at the same pause.
    expect(indexPauses).toBe(3);

    await ok(core.handle('auth.logout', {}));
    await ok(core.handle('auth.login', { operatorId: 'gerente', pin: '9999' }));
    const listing = core.handle('catalog.list', { query: 'feijao trad', limit: 5 });
    holding = false;
    release!();
    const listed = await ok(listing);
    // "Feijão" is every 16th product, "Tradicional" one block of 16 in 160.
    expect(listed.total).toBe(PRODUCTS / 160);
    expect(listed.rows.map((r) => r.product.description).every((d) => /^Feijão Tradicional/.test(d))).toBe(true);
    expect(indexPauses).toBeGreaterThan(3);
  });
});
