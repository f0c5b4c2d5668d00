// The register through the core, as both shells drive it: real journal (SQLite), real emission
// engine and the built-in Focus sandbox. Abertura, refusals in pt-BR, sangria/suprimento with the
// manager, X, the blind closing and the kept Z, and a restart in the middle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../../main/core/core.ts';
import { realCoreDeps } from '../../../main/core/wiring.ts';
import { LAYOUT } from '../../../main/core/layout.ts';
import { demoStore } from '../../fixtures/demo-store.ts';
import { FileVault } from '../../../main/secrets/file-vault.ts';
import { TEST_PIN_COST } from '../../fixtures/core-rig.ts';

let dir: string;
let core: Core;

async function open(): Promise<Core> {
  const c = createCore(
    await realCoreDeps({
      dataDir: dir,
      kv: demoStore(dir),
      vault: new FileVault(LAYOUT.secrets(dir), join(dir, 'test-vault.key')),
      sandboxLatencyMs: 0,
      engine: { archive: false },
      log: () => {},
      pinCost: TEST_PIN_COST,
    }),
  );
  await c.start();
  return c;
}

type R<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
async function ok<T>(p: Promise<R<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}
async function refused(p: Promise<R<unknown>>, code: string): Promise<string> {
  const r = await p;
  expect(r).toMatchObject({ ok: false, error: { code } });
  return (r as { ok: false; error: { message: string } }).error.message;
}

let n = 0;
const cid = () => `reg-${Date.now()}-${++n}`;

async function sell(method: string, amountCents: number, qty = 1): Promise<{ saleId: number; totalCents: number }> {
  const p = (await ok(core.handle('catalog.search', { query: 'arroz', limit: 1 })))[0]!.product;
  const total = p.priceCents * qty;
  const r = await ok(
    core.handle('sales.finalize', {
      clientId: cid(),
      items: [{ productId: p.id, qtyE4: qty * 10_000, unitPriceCents: p.priceCents }],
      payments: [{ method, amountCents: Math.max(amountCents, total) }],
      cancelledItems: [{ productId: p.id, qtyE4: 10_000, unitPriceCents: p.priceCents }],
    }),
  );
  return { saleId: r.saleId, totalCents: total };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'balcao-register-'));
  core = await open();
});
afterAll(async () => {
  await core?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('register session', () => {
  it('refuses to sell before the abertura, and bad amounts, in Portuguese', async () => {
    await ok(core.handle('auth.login', { operatorId: 'caixa-1', pin: '1234' }));
    expect((await ok(core.handle('register.state', {}))).session).toBeNull();
    const msg = await refused(
      core.handle('sales.finalize', {
        clientId: cid(),
        items: [{ productId: 'x', qtyE4: 10_000, unitPriceCents: 100 }],
        payments: [{ method: '01', amountCents: 100 }],
      }),
      'register_closed',
    );
    expect(msg).toMatch(/caixa está fechado/);
    expect(await refused(core.handle('register.open', { amountText: '12,345' }), 'amount_invalid')).toMatch(/não é um valor/);
    expect(await refused(core.handle('register.open', { amountText: '-5,00' }), 'amount_invalid')).toMatch(/negativo/);
    expect(await refused(core.handle('register.open', { amountText: '', counts: { '5000': -1 } }), 'invalid_input')).toMatch(/negativa/);
    expect(await refused(core.handle('register.open', { amountText: '150,00', counts: { '5000': 2 } }), 'opening_count_mismatch')).toMatch(/R\$ 100,00/);
    expect((await ok(core.handle('register.state', {}))).session).toBeNull();
  });

  it('opens with a float counted by denomination, once', async () => {
    const st = await ok(core.handle('register.open', { amountText: '', counts: { '5000': 2, '1000': 5, '100': 10 } }));
    expect(st.session).toMatchObject({ openingCents: 16_000, openedByName: 'Caixa 1' });
    await refused(core.handle('register.open', { amountText: '10' }), 'register_already_open');
  });

  it('sangria and suprimento need the manager; a sangria above the drawer is refused and nothing is recorded', async () => {
    await refused(core.handle('register.movement', { clientId: cid(), kind: 'sangria', amountText: '10,00', reason: 'Depósito' }), 'manager_required');
    await refused(
      core.handle('register.movement', { clientId: cid(), kind: 'sangria', amountText: '10,00', reason: 'Depósito', managerPin: '1234' }),
      'not_manager',
    );
    const big = await refused(
      core.handle('register.movement', { clientId: cid(), kind: 'sangria', amountText: '500,00', reason: 'Depósito', managerPin: '9999' }),
      'sangria_exceeds_cash',
    );
    expect(big).toMatch(/maior que o dinheiro no caixa \(R\$ 160,00\)/);
    const sup = await ok(
      core.handle('register.movement', { clientId: 'suprimento-0001', kind: 'suprimento', amountText: '50', reason: 'Troco extra', managerPin: '9999' }),
    );
    expect(sup.movement).toMatchObject({ kind: 'suprimento', amountCents: 5_000, managerId: 'gerente', operatorId: 'caixa-1' });
    expect(sup.printed.ok).toBe(false); // no printer configured: kept, and said so
    // The same clientId again (a retried call) records nothing twice.
    const again = await ok(
      core.handle('register.movement', { clientId: 'suprimento-0001', kind: 'suprimento', amountText: '50', reason: 'Troco extra', managerPin: '9999' }),
    );
    expect(again.movement.id).toBe(sup.movement.id);
    await ok(core.handle('register.movement', { clientId: cid(), kind: 'sangria', amountText: '200,00', reason: 'Depósito no cofre', managerPin: '9999' }));
  });

  it('X report: the cashier needs the manager; figures match the sales', async () => {
    const a = await sell('01', 10_000);
    const b = await sell('03', 0, 2);
    const c = await sell('17', 0);
    await refused(core.handle('register.report', {}), 'manager_required');
    const x = await ok(core.handle('register.report', { managerPin: '9999' }));
    expect(x.kind).toBe('X');
    expect(x.sales.count).toBe(3);
    expect(x.sales.cents).toBe(a.totalCents + b.totalCents + c.totalCents);
    expect(x.byMethod.find((m) => m.method === '01')!.amountCents).toBe(a.totalCents);
    expect(x.expected).toEqual({ cash: 16_000 + 5_000 - 20_000 + a.totalCents, card: b.totalCents, pix: c.totalCents, other: 0 });
    expect(x.byOperator).toEqual([{ operatorId: 'caixa-1', name: 'Caixa 1', count: 3, totalCents: x.sales.cents }]);
    expect(x.cancelledItems.count).toBe(3);
    expect(x.numbering).toHaveLength(1);
    expect(x.numbering[0]!.count).toBe(3);
    expect(x.numbering[0]!.last - x.numbering[0]!.first).toBe(2);
  });

  it('survives a restart with every movement', async () => {
    const before = await ok(core.handle('register.report', { managerPin: '9999' }));
    await core.close();
    core = await open();
    await ok(core.handle('auth.login', { operatorId: 'caixa-1', pin: '1234' }));
    const after = await ok(core.handle('register.report', { managerPin: '9999' }));
    expect(after.sessionId).toBe(before.sessionId);
    expect(after.movements).toEqual(before.movements);
    expect(after.sales).toEqual(before.sales);
  });

  it('blind closing: the manager sees expected vs declared, the Z is kept, selling stops', async () => {
    const x = await ok(core.handle('register.report', { managerPin: '9999' }));
    await refused(
      core.handle('register.close', { cashCounts: { '10000': 1 }, cardText: 'abc', pixText: '0', otherText: '0', managerPin: '9999' }),
      'amount_invalid',
    );
    const closed = await ok(
      core.handle('register.close', {
        cashCounts: { '10000': 1 },
        cardText: (x.expected.card / 100).toFixed(2).replace('.', ','),
        pixText: '0',
        otherText: '',
        managerPin: '9999',
      }),
    );
    expect(closed.report.kind).toBe('Z');
    expect(closed.report.zNumber).toBe(1);
    const cash = closed.lines.find((l) => l.group === 'cash')!;
    expect(cash).toEqual({ group: 'cash', expectedCents: x.expected.cash, declaredCents: 10_000, differenceCents: 10_000 - x.expected.cash });
    expect(closed.lines.find((l) => l.group === 'card')!.differenceCents).toBe(0);
    expect(closed.lines.find((l) => l.group === 'pix')!.differenceCents).toBe(-x.expected.pix);
    const st = await ok(core.handle('register.state', {}));
    expect(st.session).toBeNull();
    expect(st.lastClosing).toMatchObject({ zNumber: 1 });
    const kept = await ok(core.handle('register.zReport', { sessionId: closed.report.sessionId, managerPin: '9999' }));
    expect(kept.report).toEqual(closed.report);
    expect(kept.text).toMatch(/REDUÇÃO Z Nº 1/);
    await refused(
      core.handle('sales.finalize', {
        clientId: cid(),
        items: [{ productId: 'x', qtyE4: 10_000, unitPriceCents: 100 }],
        payments: [{ method: '01', amountCents: 100 }],
      }),
      'register_closed',
    );
  });
});
