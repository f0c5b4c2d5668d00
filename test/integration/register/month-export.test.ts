// The accountant's month through the core: real journal, engine (XML archive on), the sandbox. A
// note whose XML was lost locally is fetched from Focus; the zip holds every authorized and
// cancelled note, the cancellation event and the summary; the backup listing matches.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { createCore, type Core } from '../../../main/core/core.ts';
import { realCoreDeps } from '../../../main/core/wiring.ts';
import { LAYOUT } from '../../../main/core/layout.ts';
import { demoStore } from '../../fixtures/demo-store.ts';
import { FileVault } from '../../../main/secrets/file-vault.ts';
import { archivePath } from '../../../main/emission/archive.ts';
import { TEST_PIN_COST } from '../../fixtures/core-rig.ts';

let dir: string;
let core: Core;

type R<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
async function ok<T>(p: Promise<R<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'balcao-month-'));
  core = createCore(
    await realCoreDeps({
      dataDir: dir,
      kv: demoStore(dir),
      vault: new FileVault(LAYOUT.secrets(dir), join(dir, 'test-vault.key')),
      sandboxLatencyMs: 0,
      log: () => {},
      pinCost: TEST_PIN_COST,
    }),
  );
  await core.start();
});
afterAll(async () => {
  await core?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('month export', () => {
  it('zips every note, fetches the missing XML, and matches the Focus backup', async () => {
    await ok(core.handle('auth.login', { operatorId: 'gerente', pin: '9999' }));
    await ok(core.handle('register.open', { amountText: '0' }));
    const p = (await ok(core.handle('catalog.search', { query: 'arroz', limit: 1 })))[0]!.product;
    const sales = [];
    for (let i = 0; i < 4; i++) {
      sales.push(
        await ok(
          core.handle('sales.finalize', {
            clientId: `month-${i}-${Date.now()}`,
            items: [{ productId: p.id, qtyE4: 10_000, unitPriceCents: p.priceCents }],
            payments: [{ method: i % 2 ? '17' : '01', amountCents: p.priceCents }],
          }),
        ),
      );
    }
    await ok(core.handle('sales.cancel', { saleId: sales[0]!.saleId, justificativa: 'Cliente desistiu da compra' }));
    const archive = LAYOUT.archive(dir, 'demo');
    const chaves = sales.map((s) => s.emission.chave!);
    await vi.waitFor(
      () => {
        for (const c of chaves) expect(existsSync(archivePath(archive, c, 'nfe'))).toBe(true);
        expect(existsSync(archivePath(archive, chaves[0]!, 'can'))).toBe(true);
      },
      { timeout: 15_000 },
    );
    rmSync(archivePath(archive, chaves[2]!, 'nfe'));

    const progress: unknown[] = [];
    core.events.subscribe((event, payload) => {
      if (event === 'export.progress') progress.push(payload);
    });
    const month = new Date().toLocaleDateString('sv-SE').slice(0, 7);
    const r = await ok(core.handle('reports.monthExport', { month }));
    expect(r).toMatchObject({ authorized: 3, cancelled: 1, cancelEvents: 1, fetched: 1, missing: [] });
    expect(r.backup).toMatchObject({ available: true, onlyInBackup: [], onlyInExport: [] });
    expect(progress.length).toBeGreaterThan(0);
    const files = unzipSync(readFileSync(r.path));
    const names = Object.keys(files).sort();
    for (const c of chaves.slice(1)) expect(names).toContain(`autorizadas/${c}-nfe.xml`);
    expect(names).toContain(`canceladas/${chaves[0]}-nfe.xml`);
    expect(names).toContain(`cancelamentos/${chaves[0]}-can.xml`);
    expect(strFromU8(files[`autorizadas/${chaves[2]}-nfe.xml`]!)).toContain(chaves[2]);
    expect(strFromU8(files['resumo/resumo-por-dia.csv']!)).toContain(`${(3 * p.priceCents) / 100}`.replace('.', ','));
    expect(strFromU8(files['resumo/resumo.pdf']!.subarray(0, 5))).toBe('%PDF-');
    expect(strFromU8(files['LEIAME.txt']!)).toMatch(/conferem/);
    // The fetched XML is back in the local archive.
    expect(existsSync(archivePath(archive, chaves[2]!, 'nfe'))).toBe(true);
  });

  it('says in pt-BR when the zip cannot be written, leaves nothing behind, and works once the place is free', async () => {
    await ok(core.handle('auth.login', { operatorId: 'gerente', pin: '9999' }));
    const archive = LAYOUT.archive(dir, 'demo');
    const exports = join(archive, 'exports');
    rmSync(exports, { recursive: true, force: true });
    // A file where the exports folder goes: the folder cannot be made.
    writeFileSync(exports, 'não é uma pasta');
    const month = new Date().toLocaleDateString('sv-SE').slice(0, 7);
    const r = await core.handle('reports.monthExport', { month });
    expect(r).toMatchObject({ ok: false, error: { code: 'export_failed' } });
    expect(!r.ok && r.error.message).toMatch(/Não foi possível gravar o arquivo do mês/);
    expect(readFileSync(exports, 'utf8')).toBe('não é uma pasta');
    rmSync(exports);
    const again = await ok(core.handle('reports.monthExport', { month }));
    expect(readdirSync(exports)).toEqual([basename(again.path)]);
    expect(Object.keys(unzipSync(readFileSync(again.path)))).toContain('LEIAME.txt');
  });

  it('refuses a malformed month with a pt-BR message', async () => {
    const r = await core.handle('reports.monthExport', { month: '2026-13' });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(!r.ok && r.error.message).toMatch(/AAAA-MM/);
  });
});
