// The setup's starting tax profiles, through the core's setup channel as the screen calls it: offered
// for the regime the emitter step saved, created in the real profile's own catalog file (nothing in
// the demo's), refused with a reason and no change when out of order or unknown, and skippable.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHost, type RunningHost } from '../../../main/host/launch.ts';
import { Catalog } from '../../../main/catalog/catalog.ts';
import { LAYOUT } from '../../../main/core/layout.ts';
import type { Emitter } from '../../../shared/sale.ts';
import { TEST_PIN_COST } from '../../fixtures/core-rig.ts';

type R = { ok: true; value: any } | { ok: false; error: { code: string; message: string } };

const EMITTER = (crt: Emitter['crt']): Emitter => ({
  cnpj: '45286317000174',
  ie: '9012345663',
  name: 'MERCADO SÃO JOÃO LTDA',
  tradeName: 'Mercado São João',
  crt,
  uf: 'PR',
  address: { street: 'Rua das Flores', number: '10', district: 'Centro', city: 'Curitiba', cityCode: '4106902', cep: '80020000' },
});

const dirs: string[] = [];
let host: RunningHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function setupHost(): Promise<{ dir: string; h: (channel: string, input?: unknown) => Promise<R> }> {
  const dir = mkdtempSync(join(tmpdir(), 'balcao-setup-profiles-'));
  dirs.push(dir);
  host = await startHost({ pinCost: TEST_PIN_COST, dataDir: dir, rendererDir: dir, log: () => {} });
  const h = (channel: string, input: unknown = {}) => host!.core.handle(channel, input) as Promise<R>;
  expect(await h('setup.chooseMode', { mode: 'real' })).toMatchObject({ ok: true });
  return { dir, h };
}

/** The profiles stored in the real profile's catalog file, read after the host closed. */
async function storedProfiles(dir: string): Promise<string[]> {
  await host?.close();
  host = null;
  const catalog = Catalog.open(LAYOUT.catalog(dir));
  try {
    return catalog.profiles().map((p) => p.id);
  } finally {
    catalog.close();
  }
}

describe('setup: starting tax profiles for the shop regime', () => {
  it('creates the accepted profiles of the regime in the real catalog only, and keeps them on a second save', async () => {
    const { dir, h } = await setupHost();
    // Before the emitter there is no regime to offer for.
    expect(await h('setup.saveTaxProfiles', { profileIds: ['revenda-simples'] })).toMatchObject({ ok: false, error: { code: 'setup_order' } });
    expect(await h('setup.saveEmitter', { emitter: EMITTER(1) })).toMatchObject({ ok: true });
    // A profile of another regime (regime normal's CST 00) is refused for a Simples Nacional shop.
    const foreign = await h('setup.saveTaxProfiles', { profileIds: ['revenda-simples', 'revenda-normal'] });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('regime') } });
    const state = await h('setup.state');
    expect(state.ok && state.value.done).not.toContain('taxProfiles');

    const saved = await h('setup.saveTaxProfiles', { profileIds: ['revenda-simples'] });
    expect(saved.ok && saved.value.done).toEqual(['emitter', 'taxProfiles']);
    // Resumed and accepted again with both: the second is added, the first is not duplicated.
    expect(await h('setup.saveTaxProfiles', { profileIds: ['revenda-simples', 'revenda-st-simples'] })).toMatchObject({ ok: true });
    expect((await storedProfiles(dir)).sort()).toEqual(['revenda-simples', 'revenda-st-simples']);
    // Nothing of (or for) the demo profile.
    expect(existsSync(LAYOUT.demoCatalog(dir))).toBe(false);
  });

  it('offers the regime-normal profiles to a regime-normal shop; skipping creates none', async () => {
    const a = await setupHost();
    expect(await a.h('setup.saveEmitter', { emitter: EMITTER(3) })).toMatchObject({ ok: true });
    expect(await a.h('setup.saveTaxProfiles', { profileIds: ['revenda-simples'] })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await a.h('setup.saveTaxProfiles', { profileIds: ['revenda-normal'] })).toMatchObject({ ok: true });
    expect(await storedProfiles(a.dir)).toEqual(['revenda-normal']);

    const b = await setupHost();
    expect(await b.h('setup.saveEmitter', { emitter: EMITTER(3) })).toMatchObject({ ok: true });
    const skipped = await b.h('setup.saveTaxProfiles', { profileIds: [] });
    expect(skipped.ok && skipped.value.done).toContain('taxProfiles');
    expect(await storedProfiles(b.dir)).toEqual([]);
  });
});
