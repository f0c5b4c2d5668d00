// PIX through the core, as both shells drive it: a charge for the draft, the PSP's confirmation,
// the sale finalized with the endToEndId on the note, and the manager's side (settings, refunds).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventName } from '../../../shared/contract.ts';
import type { PixChargeView } from '../../../shared/pix/charge.ts';
import { parseBrCode } from '../../../shared/pix/brcode.ts';
import { createCore, type Core } from '../../../main/core/core.ts';
import { realCoreDeps } from '../../../main/core/wiring.ts';
import { LAYOUT } from '../../../main/core/layout.ts';
import { demoStore } from '../../fixtures/demo-store.ts';
import { FileVault } from '../../../main/secrets/file-vault.ts';
import { startPspSandbox, type PspSandbox } from '../../../main/psp-sandbox/index.ts';
import { PSP_SANDBOX_CNPJ } from '../../../main/psp-sandbox/index.ts';
import { TEST_PIN_COST } from '../../fixtures/core-rig.ts';

let dir: string;
let core: Core;
let psp: PspSandbox;
const events: { event: EventName; payload: unknown }[] = [];
const MANAGER_PIN = '9999';

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'balcao-core-pix-'));
  psp = await startPspSandbox();
  core = createCore(
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
  core.events.subscribe((event, payload) => events.push({ event, payload }));
  await core.start();
  await ok(core.handle('auth.login', { operatorId: 'caixa-1', pin: '1234' }));
  await ok(core.handle('register.open', { amountText: '100,00' }));
});
afterAll(async () => {
  await core?.close();
  await psp?.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
const clientId = () => `pix-sale-${Date.now()}-${++n}`;

async function product() {
  const look = await ok(core.handle('catalog.lookup', { code: '1001' }));
  return look!.product;
}

describe('PIX at the till (demo profile: the built-in PSP simulator)', () => {
  it('charges, waits for the PSP, and finalizes with tPag 17, the endToEndId and the PSP CNPJ on the note', async () => {
    const p = await product();
    const id = clientId();
    const charge = await ok(core.handle('pix.charge', { clientId: id, amountCents: p.priceCents }));
    expect(charge.state).toBe('active');
    expect(parseBrCode(charge.brCode!).dynamic).toBe(true);
    const draft = {
      clientId: id,
      items: [{ productId: p.id, qtyE4: 10_000, unitPriceCents: p.priceCents }],
      payments: [{ method: '17', amountCents: p.priceCents, pixTxid: charge.txid }],
    };
    // Not paid yet: the sale is refused and nothing is recorded.
    expect(await core.handle('sales.finalize', draft)).toMatchObject({ ok: false, error: { code: 'pix_not_paid' } });
    expect(await ok(core.handle('pix.simulatePayment', { txid: charge.txid }))).toEqual({ ok: true });
    await vi.waitFor(
      () =>
        expect(
          events.some((e) => e.event === 'pix.changed' && (e.payload as PixChargeView).txid === charge.txid && (e.payload as PixChargeView).state === 'paid'),
        ).toBe(true),
      { timeout: 10_000 },
    );
    const sold = await ok(core.handle('sales.finalize', draft));
    expect(sold.emission.state).toBe('authorized');
    const detail = await ok(core.handle('sales.get', { saleId: sold.saleId }));
    const pay = detail.sale.payments[0]!;
    expect(pay).toMatchObject({ method: '17', card: { integration: '1', acquirerCnpj: PSP_SANDBOX_CNPJ } });
    expect(pay.card?.authorization).toMatch(/^E[0-9A-Za-z]{31}$/);
    const [after] = await ok(core.handle('pix.forDraft', { clientId: id }));
    expect(after).toMatchObject({ state: 'used', saleId: sold.saleId });
    // The sandbox received the card group with the endToEndId as numero_autorizacao.
    const note = core
      .info()
      .sandbox!.notes()
      .find((x) => x.ref === sold.emission.ref);
    expect(JSON.stringify(note?.request ?? note)).toContain(pay.card!.authorization!);
  });

  it('a charge the cashier cancels is removed; a payment that arrives anyway is refunded by the manager', async () => {
    const p = await product();
    const id = clientId();
    const charge = await ok(core.handle('pix.charge', { clientId: id, amountCents: p.priceCents }));
    await ok(core.handle('pix.simulatePayment', { txid: charge.txid }));
    const cancelled = await ok(core.handle('pix.cancel', { txid: charge.txid }));
    expect(cancelled.state).toBe('orphan');
    const attention = await ok(core.handle('pix.attention', {}));
    expect(attention.map((v) => v.txid)).toContain(charge.txid);
    expect(await core.handle('pix.refund', { txid: charge.txid, managerPin: '1234' })).toMatchObject({ ok: false });
    const refunded = await ok(core.handle('pix.refund', { txid: charge.txid, managerPin: MANAGER_PIN }));
    expect(refunded.state).toBe('refunded');
  });
});

describe('PIX settings (a real PSP: the simulator as a standalone server)', () => {
  it('stores the credentials in the vault only, and tests the connection', async () => {
    const creds = psp.register();
    const bad = await core.handle('settings.setPix', {
      managerPin: MANAGER_PIN,
      pix: {
        enabled: true,
        baseUrl: psp.url,
        tokenUrl: null,
        clientId: creds.clientId,
        key: 'pix@loja.com.br',
        pspCnpj: psp.cnpj,
        expirySeconds: 300,
        staticFallback: false,
      },
      credentials: { clientSecret: creds.clientSecret, certPem: creds.cert, keyPem: psp.register().key, caPem: psp.ca },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'pix_credentials_invalid' } });
    const settings = await ok(
      core.handle('settings.setPix', {
        managerPin: MANAGER_PIN,
        pix: {
          enabled: true,
          baseUrl: psp.url,
          tokenUrl: null,
          clientId: creds.clientId,
          key: 'pix@loja.com.br',
          pspCnpj: psp.cnpj,
          expirySeconds: 300,
          staticFallback: false,
        },
        credentials: { clientSecret: creds.clientSecret, certPem: creds.cert, keyPem: creds.key, caPem: psp.ca },
      }),
    );
    expect(settings.pix).toMatchObject({ enabled: true, clientId: creds.clientId, hasCredentials: true });
    expect(JSON.stringify(settings)).not.toContain(creds.clientSecret);
    expect(JSON.stringify(settings)).not.toContain('PRIVATE KEY');
    expect(await ok(core.handle('settings.testPix', { managerPin: MANAGER_PIN }))).toMatchObject({ ok: true });
    psp.state.clients.get(creds.clientId)!.clientSecret = 'revogado';
    expect(await core.handle('settings.testPix', { managerPin: MANAGER_PIN })).toMatchObject({
      ok: false,
      error: { code: 'pix_auth', message: expect.stringContaining('credenciais') },
    });
  });
});
