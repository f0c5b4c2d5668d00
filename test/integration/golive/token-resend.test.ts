// Sales Focus refused because of the token are sent again by themselves once the manager enters
// the right token, and the manager is told how many and how they ended.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHost, type RunningHost } from '../../../main/host/launch.ts';
import { startSandbox } from '../../../main/sandbox/index.ts';
import type { Sandbox } from '../../../main/sandbox/types.ts';
import { SANDBOX_EMITTER } from '../../../main/sandbox/demo.ts';
import { demoCatalog } from '../../../main/demo/catalog.ts';
import { TEST_PIN_COST } from '../../fixtures/core-rig.ts';

let sandbox: Sandbox;
let host: RunningHost;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'balcao-resend-'));
  host = await startHost({
    pinCost: TEST_PIN_COST,
    dataDir: dir,
    rendererDir: dir,
    sandbox: 'none',
    log: () => {},
    token: 'TokenAntigoRevogado123',
    focusUrl: sandbox.url,
    emitter: SANDBOX_EMITTER,
    operators: [
      { name: 'Ana', role: 'manager', pin: '4826' },
      { name: 'Bia', role: 'cashier', pin: '5071' },
    ],
    catalogSeed: demoCatalog,
  });
});
afterAll(async () => {
  await host.close();
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

it('resends the sales a refused token blocked, and reports the outcome', async () => {
  const core = host.core;
  expect((await core.handle('auth.login', { operatorId: 'bia', pin: '5071' })).ok).toBe(true);
  expect((await core.handle('register.open', { amountText: '100,00' })).ok).toBe(true);
  const p = demoCatalog().find((x) => x.gtin !== null && !x.weighed)!;
  const ids: number[] = [];
  for (const n of [1, 2]) {
    const r = await core.handle('sales.finalize', {
      clientId: `venda-bloqueada-${n}`,
      items: [{ productId: p.id, qtyE4: 10_000, unitPriceCents: p.priceCents }],
      payments: [{ method: '01', amountCents: p.priceCents }],
    });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.emission.state).toBe('blocked');
    ids.push(r.value.saleId);
  }
  // A cashier cannot replace the token; a wrong one is refused and nothing is resent.
  expect(await core.handle('settings.setToken', { environment: 'homologacao', token: sandbox.tokens.homologacao })).toMatchObject({
    ok: false,
    error: { code: 'manager_required' },
  });
  expect(await core.handle('settings.setToken', { managerPin: '4826', environment: 'homologacao', token: 'OutroTokenErrado99' })).toMatchObject({
    ok: false,
    error: { code: 'token_invalid' },
  });
  const fixed = await core.handle('settings.setToken', { managerPin: '4826', environment: 'homologacao', token: ` ${sandbox.tokens.homologacao}\n` });
  if (!fixed.ok) throw new Error(fixed.error.message);
  expect(fixed.value.resent).toEqual({ total: 2, authorized: 2, failed: 0, pending: 0 });
  for (const id of ids) {
    const d = await core.handle('sales.get', { saleId: id });
    if (!d.ok) throw new Error(d.error.message);
    expect(d.value.emission.state).toBe('authorized');
  }
  const audit = await core.handle('audit.list', { managerPin: '4826', action: 'blocked_resent' });
  expect(audit).toMatchObject({ ok: true, value: [{ details: { total: 2, authorized: 2 } }] });
});
