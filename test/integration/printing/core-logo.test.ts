// The receipt logo through the core, as the settings screen drives it: a manager sets it, the
// preview and the printed DANFCe carry it, a bad file changes nothing, clearing brings back the
// receipt without logo. The file lives in the data dir, never in settings.json.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGO_FILE } from '../../../main/printing/logo.ts';
import { LAYOUT } from '../../../main/core/layout.ts';
import { DEMO_CASHIER, DEMO_MANAGER, call, demoRig } from '../../fixtures/core-rig.ts';
import { TEST_LOGO } from '../../fixtures/receipt/scenarios.ts';

let rig: Awaited<ReturnType<typeof demoRig>>;
const source = readFileSync(join(import.meta.dirname, '../../fixtures/receipt/logo-source.png')).toString('base64');

beforeAll(async () => {
  rig = await demoRig('balcao-logo-');
});
afterAll(async () => {
  await rig?.close();
});

async function sellOne(): Promise<number> {
  const look = await call(rig.core, 'catalog.lookup', { code: '7891000000014' });
  const price = look!.product.priceCents;
  const r = await call(rig.core, 'sales.finalize', {
    clientId: `logo-${process.pid}-${Date.now()}`,
    items: [{ productId: look!.product.id, qtyE4: 10_000, unitPriceCents: price }],
    payments: [{ method: '01', amountCents: price }],
  });
  return r.saleId;
}

describe('receipt logo', () => {
  it('a cashier cannot set it; a manager sets, previews and clears it; a bad file changes nothing', async () => {
    await call(rig.core, 'auth.login', DEMO_CASHIER);
    expect(await call(rig.core, 'settings.receiptLogo', {})).toBeNull();
    const refused = await rig.core.handle('settings.setReceiptLogo', { imageBase64: source });
    expect(refused).toMatchObject({ ok: false, error: { code: 'manager_required' } });

    await call(rig.core, 'register.open', { amountText: '100,00' }).catch(() => null);
    const saleId = await sellOne();
    const before = await call(rig.core, 'receipt.get', { saleId });
    expect(before.html).not.toContain('<img');

    const set = await call(rig.core, 'settings.setReceiptLogo', { managerPin: DEMO_MANAGER.pin, imageBase64: source });
    expect(set).toEqual(TEST_LOGO);
    expect(existsSync(join(rig.dir, LOGO_FILE))).toBe(true);
    expect(readFileSync(join(rig.dir, `${LAYOUT.settingsName}.json`), 'utf8')).not.toContain(TEST_LOGO.pngBase64.slice(0, 40));
    expect(await call(rig.core, 'settings.receiptLogo', {})).toEqual(TEST_LOGO);
    const after = await call(rig.core, 'receipt.get', { saleId });
    expect(after.html).toContain(`data:image/png;base64,${TEST_LOGO.pngBase64}`);

    const bad = await rig.core.handle('settings.setReceiptLogo', {
      managerPin: DEMO_MANAGER.pin,
      imageBase64: Buffer.from('GIF89a não é PNG').toString('base64'),
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'logo_format', message: expect.stringMatching(/PNG ou JPEG/) } });
    expect(await call(rig.core, 'settings.receiptLogo', {})).toEqual(TEST_LOGO);

    expect(await call(rig.core, 'settings.clearReceiptLogo', { managerPin: DEMO_MANAGER.pin })).toBeNull();
    expect(existsSync(join(rig.dir, LOGO_FILE))).toBe(false);
    expect((await call(rig.core, 'receipt.get', { saleId })).html).not.toContain('<img');
  });
});
