// The cash drawer through the core, with the real printing path to a fake ESC/POS printer on a
// loopback TCP socket: one opening per cash sale (when the cash is taken; its receipt's first
// print does not open it again), the manager's "abrir gaveta", never a reprint nor a sale without cash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import type { Core } from '../../../main/core/core.ts';
import { ok, openDemoCore, tempDataDir } from '../../fixtures/core-rig.ts';
import { decodeEscPos, startFakePrinter, type FakePrinter } from '../../fixtures/fake-printer.ts';

let dir: string;
let core: Core;
let printer: FakePrinter;

beforeAll(async () => {
  dir = tempDataDir('balcao-drawer-');
  printer = await startFakePrinter();
  core = await openDemoCore(dir);
  await ok(core.handle('auth.login', { operatorId: 'gerente', pin: '9999' }));
  await ok(
    core.handle('settings.update', {
      managerPin: '9999',
      patch: {
        autoPrint: false,
        printer: { kind: 'network', host: printer.host, port: printer.port, width: 48, codePage: 'cp860', nativeQr: true, summary: false },
      },
    }),
  );
  await ok(core.handle('auth.logout', {}));
  await ok(core.handle('auth.login', { operatorId: 'caixa-1', pin: '1234' }));
  await ok(core.handle('register.open', { amountText: '100,00' }));
});
afterAll(async () => {
  await core?.close();
  await printer?.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
async function draft(method: string, amountCents: number) {
  const look = await ok(core.handle('catalog.lookup', { code: '7891000000014' }));
  return {
    clientId: `drawer-${Date.now()}-${++n}`,
    items: [{ productId: look!.product.id, qtyE4: look!.qtyE4 ?? 10_000, unitPriceCents: look!.product.priceCents }],
    payments: [{ method, amountCents }],
  };
}

/** Runs `action` and decodes the one job it sends to the printer. */
async function jobOf(action: () => Promise<unknown>) {
  const before = printer.jobs.length;
  await action();
  const jobs = await printer.waitForJobs(before + 1);
  expect(jobs).toHaveLength(before + 1);
  return decodeEscPos(jobs[before]!.bytes);
}

describe('cash drawer', () => {
  it('opens once for a cash sale: when the cash is taken; neither its first print nor a reprint opens it again', async () => {
    const d = await draft('01', 100_000);
    let saleId = 0;
    const atSale = await jobOf(async () => {
      const sold = await ok(core.handle('sales.finalize', d));
      expect(sold.emission.state).toBe('authorized');
      saleId = sold.saleId;
    });
    expect([atSale.pulses, atSale.lines.filter((l) => l.trim() !== '').length]).toEqual([1, 0]);
    const first = await jobOf(async () => expect((await ok(core.handle('receipt.print', { saleId }))).ok).toBe(true));
    expect(first.pulses).toBe(0);
    expect(first.lines.some((l) => l.includes('DANFE NFC-e'))).toBe(true);
    expect((await jobOf(() => ok(core.handle('receipt.print', { saleId })))).pulses).toBe(0);
    // The same clientId again (a resent finalize) is the same sale: no second opening.
    const before = printer.jobs.length;
    await ok(core.handle('sales.finalize', d));
    expect(printer.jobs.length).toBe(before);
  });

  it('stays shut for a sale without cash', async () => {
    const look = await ok(core.handle('catalog.lookup', { code: '7891000000014' }));
    const before = printer.jobs.length;
    const sold = await ok(core.handle('sales.finalize', await draft('04', look!.product.priceCents)));
    expect(printer.jobs.length).toBe(before);
    expect((await jobOf(() => ok(core.handle('receipt.print', { saleId: sold.saleId })))).pulses).toBe(0);
  });

  it('opens on the manager\'s "abrir gaveta" with the PIN, and a cashier without it is refused', async () => {
    const refused = await core.handle('printer.openDrawer', {});
    expect(refused.ok).toBe(false);
    const wrong = await core.handle('printer.openDrawer', { managerPin: '1234' });
    expect(wrong.ok).toBe(false);
    const before = printer.jobs.length;
    const kick = await jobOf(async () =>
      expect(await ok(core.handle('printer.openDrawer', { managerPin: '9999' }))).toEqual({ ok: true, message: 'Gaveta: comando enviado à impressora.' }),
    );
    expect(kick.pulses).toBe(1);
    expect(kick.lines.filter((l) => l.trim() !== '')).toEqual([]);
    expect(printer.jobs.length).toBe(before + 1);
  });
});
