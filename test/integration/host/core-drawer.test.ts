// The cash drawer through the core, with the real printing path to a fake ESC/POS printer on a
// loopback TCP socket: it opens on the first print of a cash sale and on the manager's "abrir
// gaveta", never on a reprint nor for a sale without cash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../../main/core/core.ts';
import { realCoreDeps } from '../../../main/core/wiring.ts';
import { LAYOUT } from '../../../main/core/layout.ts';
import { openFileStore } from '../../../main/settings/file-store.ts';
import { SettingsService } from '../../../main/settings/settings.ts';
import { FileVault } from '../../../main/secrets/file-vault.ts';
import { decodeEscPos, startFakePrinter, type FakePrinter } from '../../fixtures/fake-printer.ts';

/** A terminal whose first-run setup chose the demo shop. */
function demoStore(d: string) {
  const kv = openFileStore(d, LAYOUT.settingsName);
  const s = new SettingsService(kv);
  if (s.get().mode === 'unset') s.update({ mode: 'demo', setupComplete: true });
  return kv;
}

let dir: string;
let core: Core;
let printer: FakePrinter;

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'balcao-drawer-'));
  printer = await startFakePrinter();
  core = createCore(
    await realCoreDeps({
      dataDir: dir,
      kv: demoStore(dir),
      vault: new FileVault(LAYOUT.secrets(dir), join(dir, 'test-vault.key')),
      sandboxLatencyMs: 0,
      engine: { archive: false },
      log: () => {},
    }),
  );
  await core.start();
  await ok(core.handle('auth.login', { operatorId: 'gerente', pin: '9999' }));
  await ok(core.handle('settings.update', {
    managerPin: '9999',
    patch: { printer: { kind: 'network', host: printer.host, port: printer.port, width: 48, codePage: 'cp860', nativeQr: true, summary: false } },
  }));
  await ok(core.handle('auth.logout', {}));
  await ok(core.handle('auth.login', { operatorId: 'caixa-1', pin: '1234' }));
});
afterAll(async () => {
  await core?.close();
  await printer?.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
async function sell(method: string, amountCents: number): Promise<number> {
  const look = await ok(core.handle('catalog.lookup', { code: '7891000000014' }));
  const sold = await ok(core.handle('sales.finalize', {
    clientId: `drawer-${Date.now()}-${++n}`,
    items: [{ productId: look!.product.id, qtyE4: look!.qtyE4 ?? 10_000, unitPriceCents: look!.product.priceCents }],
    payments: [{ method, amountCents }],
  }));
  expect(sold.emission.state).toBe('authorized');
  return sold.saleId;
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
  it('opens on the first print of a cash sale, never on its reprint', async () => {
    const saleId = await sell('01', 100_000);
    const first = await jobOf(async () => expect((await ok(core.handle('receipt.print', { saleId }))).ok).toBe(true));
    expect(first.pulses).toBe(1);
    expect(first.lines.some((l) => l.includes('DANFE NFC-e'))).toBe(true);
    expect((await jobOf(() => ok(core.handle('receipt.print', { saleId })))).pulses).toBe(0);
  });

  it('stays shut for a sale without cash', async () => {
    const look = await ok(core.handle('catalog.lookup', { code: '7891000000014' }));
    const saleId = await sell('04', look!.product.priceCents);
    expect((await jobOf(() => ok(core.handle('receipt.print', { saleId })))).pulses).toBe(0);
  });

  it('opens on the manager\'s "abrir gaveta" with the PIN, and a cashier without it is refused', async () => {
    const refused = await core.handle('printer.openDrawer', {});
    expect(refused.ok).toBe(false);
    const wrong = await core.handle('printer.openDrawer', { managerPin: '1234' });
    expect(wrong.ok).toBe(false);
    const before = printer.jobs.length;
    const kick = await jobOf(async () => expect(await ok(core.handle('printer.openDrawer', { managerPin: '9999' }))).toEqual({ ok: true, message: 'Gaveta aberta.' }));
    expect(kick.pulses).toBe(1);
    expect(kick.lines.filter((l) => l.trim() !== '')).toEqual([]);
    expect(printer.jobs.length).toBe(before + 1);
  });
});
