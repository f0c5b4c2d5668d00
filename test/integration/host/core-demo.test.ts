// The core wired to the real catalog, operators, vault, journal, emission engine and the
// built-in sandbox (demo mode), driven through handle() exactly as both shells drive it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventName } from '../../../shared/contract.ts';
import type { EmissionView } from '../../../shared/emission.ts';
import { createCore, type Core } from '../../../main/core/core.ts';
import { demoCoreDeps, ok } from '../../fixtures/core-rig.ts';
import { LAYOUT } from '../../../main/core/layout.ts';
import { withCheckDigit } from '../../../main/catalog/gtin.ts';

let dir: string;
let core: Core;
const events: { event: EventName; payload: unknown }[] = [];

async function open(): Promise<Core> {
  const c = createCore(await demoCoreDeps(dir));
  c.events.subscribe((event, payload) => events.push({ event, payload }));
  await c.start();
  return c;
}

let n = 0;
const clientId = () => `test-sale-${Date.now()}-${++n}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'balcao-core-'));
  core = await open();
});
afterAll(async () => {
  await core?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('demo mode', () => {
  it('boots with the sample shop, the sandbox and the demo logins', async () => {
    const boot = await ok(core.handle('session.bootstrap', {}));
    expect(boot.demo).toBe(true);
    expect(boot.status).toMatchObject({ demo: true, environment: 'homologacao', operator: null });
    expect(boot.settings.emitter?.cnpj).toBe('45286317000174');
    expect(boot.settings.hasToken).toEqual({ producao: false, homologacao: false });
    expect(boot.demoLogins).toEqual([
      { operatorId: 'caixa-1', name: 'Caixa 1', pin: '1234' },
      { operatorId: 'caixa-2', name: 'Caixa 2', pin: '2345' },
      { operatorId: 'gerente', name: 'Gerente', pin: '9999' },
    ]);
    expect(core.info().sandbox?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(statSync(LAYOUT.demoCatalog(dir)).size).toBeGreaterThan(0);
    expect(readdirSync(join(dir, 'journal'))).toContain('demo.sqlite');
  });

  it('refuses a sale before login, then sells and authorizes with events', async () => {
    expect(await core.handle('catalog.lookup', { code: '3*7891000000014' })).toMatchObject({ ok: false, error: { code: 'login_required' } });
    await ok(core.handle('auth.login', { operatorId: 'caixa-1', pin: '1234' }));
    const look = await ok(core.handle('catalog.lookup', { code: '3*7891000000014' }));
    await ok(core.handle('auth.logout', {}));
    const draft = {
      clientId: clientId(),
      items: [{ productId: look!.product.id, qtyE4: look!.qtyE4!, unitPriceCents: look!.product.priceCents }],
      payments: [{ method: '01', amountCents: 5_000 }],
    };
    const refused = await core.handle('sales.finalize', draft);
    expect(refused).toMatchObject({ ok: false, error: { code: 'login_required' } });
    await ok(core.handle('auth.login', { operatorId: 'caixa-1', pin: '1234' }));
    // Selling needs an open register session (abertura with the opening float).
    expect(await core.handle('sales.finalize', draft)).toMatchObject({ ok: false, error: { code: 'register_closed' } });
    await ok(core.handle('register.open', { amountText: '100,00' }));
    events.length = 0;
    const sold = await ok(core.handle('sales.finalize', draft));
    expect(sold.emission.state).toBe('authorized');
    expect(sold.emission.chave).toMatch(/^\d{44}$/);
    expect(events.some((e) => e.event === 'emission.changed' && (e.payload as EmissionView).saleId === sold.saleId)).toBe(true);
    const list = await ok(core.handle('sales.list', {}));
    expect(list[0]).toMatchObject({ id: sold.saleId, state: 'authorized', operatorName: 'Caixa 1', totalCents: 3 * look!.product.priceCents });
    // The same clientId again is the same sale, never a second note.
    const again = await ok(core.handle('sales.finalize', draft));
    expect(again.saleId).toBe(sold.saleId);
    // status.changed goes out once per change: never twice in a row with the same content.
    const statuses = events.filter((e) => e.event === 'status.changed').map((e) => JSON.stringify(e.payload));
    expect(statuses.length).toBeGreaterThan(0);
    for (let i = 1; i < statuses.length; i++) expect(statuses[i]).not.toBe(statuses[i - 1]);
  });

  it('sells a weighed item from a price-embedded scale label', async () => {
    const look = await ok(core.handle('catalog.lookup', { code: withCheckDigit('200001000950') }));
    expect(look).toMatchObject({ product: { description: 'Pão Francês' }, labelTotalCents: 950 });
    const sold = await ok(
      core.handle('sales.finalize', {
        clientId: clientId(),
        items: [{ productId: look!.product.id, qtyE4: look!.qtyE4!, unitPriceCents: look!.product.priceCents }],
        payments: [{ method: '17', amountCents: 950 }],
      }),
    );
    expect(sold.emission.state).toBe('authorized');
  });

  it('needs a manager PIN for a discount above the limit', async () => {
    const p = (await ok(core.handle('catalog.search', { query: 'azeite', limit: 1 })))[0]!.product;
    const base = {
      items: [{ productId: p.id, qtyE4: 10_000, unitPriceCents: p.priceCents, discountCents: Math.floor(p.priceCents / 2) }],
      payments: [{ method: '01', amountCents: p.priceCents }],
    };
    const noPin = await core.handle('sales.finalize', { ...base, clientId: clientId() });
    expect(noPin).toMatchObject({ ok: false, error: { code: 'discount_needs_manager' } });
    const cashierPin = await core.handle('sales.finalize', { ...base, clientId: clientId(), managerPin: '1234' });
    expect(cashierPin.ok).toBe(false);
    const managed = await ok(core.handle('sales.finalize', { ...base, clientId: clientId(), managerPin: '9999' }));
    expect(managed.emission.state).toBe('authorized');
  });

  it('refuses an invalid CPF and a changed price, in Portuguese, and records nothing', async () => {
    const before = (await ok(core.handle('sales.list', {}))).length;
    const p = (await ok(core.handle('catalog.lookup', { code: '1001' })))!.product;
    const badCpf = await core.handle('sales.finalize', {
      clientId: clientId(),
      customer: { document: '12345678900' },
      items: [{ productId: p.id, qtyE4: 10_000, unitPriceCents: p.priceCents }],
      payments: [{ method: '01', amountCents: p.priceCents }],
    });
    expect(badCpf).toMatchObject({ ok: false, error: { message: expect.stringMatching(/CPF inválido/) } });
    const badPrice = await core.handle('sales.finalize', {
      clientId: clientId(),
      items: [{ productId: p.id, qtyE4: 10_000, unitPriceCents: 1 }],
      payments: [{ method: '01', amountCents: 100 }],
    });
    expect(badPrice).toMatchObject({ ok: false, error: { message: expect.stringMatching(/diferente do cadastro/) } });
    expect((await ok(core.handle('sales.list', {}))).length).toBe(before);
  });

  it('cancels only with a manager', async () => {
    const [last] = await ok(core.handle('sales.list', { limit: 1 }));
    const justificativa = 'Cliente desistiu da compra no caixa';
    const r = await core.handle('sales.cancel', { saleId: last!.id, justificativa });
    expect(r).toMatchObject({ ok: false, error: { code: 'manager_required' } });
    const view = await ok(core.handle('sales.cancel', { saleId: last!.id, justificativa, managerPin: '9999' }));
    expect(view.state).toBe('cancelled');
  });

  it('keeps settings behind the manager PIN and validates them', async () => {
    const wrong = await core.handle('settings.update', { managerPin: '1234', patch: { serie: '2' } });
    expect(wrong.ok).toBe(false);
    const invalid = await core.handle('settings.update', { managerPin: '9999', patch: { serie: 'dois' } });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const s = await ok(core.handle('settings.update', { managerPin: '9999', patch: { discountLimitBp: 500, scaleLabel: 'weight' } }));
    expect(s).toMatchObject({ discountLimitBp: 500, scaleLabel: 'weight', serie: '1' });
    const look = await ok(core.handle('catalog.lookup', { code: withCheckDigit('200001000512') }));
    expect(look?.qtyE4).toBe(5_120);
    await ok(core.handle('settings.update', { managerPin: '9999', patch: { scaleLabel: 'price' } }));
  });

  it('keeps demo a separate profile: no real token is stored from it', async () => {
    const token = 'ProducaoTokenSecreto0123456789';
    const r = await core.handle('settings.setToken', { managerPin: '9999', environment: 'producao', token });
    expect(r).toMatchObject({ ok: false, error: { code: 'demo_profile' } });
    expect(readdirSync(join(dir, 'secrets')).filter((f) => f.startsWith('focus-token'))).toEqual([]);
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).not.toContain(token);
    expect(core.info().demo).toBe(true);
  });

  it('contingency channels answer from the offline flow', async () => {
    expect(await ok(core.handle('contingency.list', {}))).toEqual([]);
    const cert = await core.handle('settings.importCertificate', {
      managerPin: '9999',
      pfxBase64: Buffer.from('not a certificate at all').toString('base64'),
      password: 'x',
    });
    expect(cert.ok).toBe(false);
    if (!cert.ok) expect(cert.error.message).toMatch(/[a-zà-ú]/i);
  });

  it('survives a restart: sales stay, the session does not', async () => {
    const before = await ok(core.handle('sales.list', {}));
    await core.close();
    core = await open();
    expect((await ok(core.handle('status.get', {}))).operator).toBeNull();
    expect(await core.handle('sales.list', {})).toMatchObject({ ok: false, error: { code: 'login_required' } });
    await ok(core.handle('auth.login', { operatorId: 'gerente', pin: '9999' }));
    expect(await ok(core.handle('sales.list', {}))).toEqual(before);
    const detail = await ok(core.handle('sales.get', { saleId: before[before.length - 1]!.id }));
    expect(detail.sale.items.length).toBeGreaterThan(0);
    const missing = await core.handle('sales.get', { saleId: 999_999 });
    expect(missing).toMatchObject({ ok: false, error: { message: expect.stringMatching(/não encontrada/) } });
  });

  it('rejects unknown channels and garbage payloads without throwing', async () => {
    expect(await core.handle('constructor', {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(await core.handle('sales.finalize', 'lixo')).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await core.handle('catalog.search', { query: 'x'.repeat(500) })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
