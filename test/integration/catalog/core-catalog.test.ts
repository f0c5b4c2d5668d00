// The catalog through the core, as the register screen drives it: real catalog and journal SQLite
// files, real CSV/XLSX/XML files generated here, the manager's PIN on every write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createCore, type Core } from '../../../main/core/core.ts';
import { realCoreDeps } from '../../../main/core/wiring.ts';
import { LAYOUT } from '../../../main/core/layout.ts';
import { demoStore } from '../../fixtures/demo-store.ts';
import { FileVault } from '../../../main/secrets/file-vault.ts';
import { TRANSFER_CHUNK_BYTES } from '../../../shared/catalog/transfer.ts';
import type { ColumnMapping } from '../../../shared/catalog/columns.ts';
import type { ImportProgress } from '../../../shared/catalog/transfer.ts';
import { csvBytes, HEADER, nfeItems, nfeXml, shopRows, xlsxBytes } from './files.ts';
import { TEST_PIN_COST } from '../../fixtures/core-rig.ts';
import { useTimeZone } from '../../fixtures/time-zone.ts';

// The shop is in Brasília and its clock reads 23:30 on 30/11 while the test runs (UTC is already
// 01/12 then): the export's file name carries the shop's day.
useTimeZone('America/Sao_Paulo');
const SHOP_START = Date.parse('2026-11-30T23:30:00-03:00');
const startedAt = Date.now();
const shopClock = () => SHOP_START + (Date.now() - startedAt);

let dir: string;
let core: Core;
const progress: ImportProgress[] = [];
const PIN = '9999';

type R<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
async function ok<T>(p: Promise<R<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}
async function fails<T>(p: Promise<R<T>>): Promise<{ code: string; message: string }> {
  const r = await p;
  if (r.ok) throw new Error('expected a failure');
  return r.error;
}

let uploads = 0;
async function upload(bytes: Buffer): Promise<string> {
  const uploadId = `upload-${++uploads}-${Date.now()}`;
  for (let seq = 0; seq * TRANSFER_CHUNK_BYTES < bytes.length; seq++) {
    await ok(
      core.handle('catalog.upload', { uploadId, seq, data: bytes.subarray(seq * TRANSFER_CHUNK_BYTES, (seq + 1) * TRANSFER_CHUNK_BYTES).toString('base64') }),
    );
  }
  return uploadId;
}

async function importFile(fileName: string, bytes: Buffer, mode: 'valid' | 'all' = 'valid', mapping?: ColumnMapping) {
  const preview = await ok(core.handle('catalog.importOpen', { uploadId: await upload(bytes), fileName }));
  const m = mapping ?? preview.suggested;
  const check = await ok(core.handle('catalog.importCheck', { importId: preview.importId, mapping: m }));
  const commit = await core.handle('catalog.importCommit', { importId: preview.importId, mapping: m, mode, managerPin: PIN });
  return { preview, check, commit };
}

function auditRows(action: string): { details: string }[] {
  const db = new DatabaseSync(LAYOUT.journal(dir, 'demo'), { readOnly: true });
  try {
    return db.prepare('SELECT details FROM audit_log WHERE action = ? ORDER BY id').all(action) as { details: string }[];
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'balcao-catalog-'));
  core = createCore(
    await realCoreDeps({
      dataDir: dir,
      kv: demoStore(dir),
      vault: new FileVault(LAYOUT.secrets(dir), join(dir, 'test-vault.key')),
      sandboxLatencyMs: 0,
      engine: { archive: false },
      log: () => {},
      pinCost: TEST_PIN_COST,
      clock: shopClock,
    }),
  );
  core.events.subscribe((event, payload) => {
    if (event === 'catalog.progress') progress.push(payload as ImportProgress);
  });
  await core.start();
});
afterAll(async () => {
  await core?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('catalog register through the core', () => {
  it('refuses the register to a cashier', async () => {
    await ok(core.handle('auth.login', { operatorId: 'caixa-1', pin: '1234' }));
    expect(await fails(core.handle('catalog.list', {}))).toMatchObject({ code: 'manager_required' });
    await ok(core.handle('auth.logout', {}));
    await ok(core.handle('auth.login', { operatorId: 'gerente', pin: PIN }));
  });

  it('imports a Windows-1252 CSV with ; and decimal comma, then re-imports it without changes', async () => {
    const bytes = csvBytes(shopRows(50), 'windows-1252');
    const first = await importFile('produtos.csv', bytes);
    expect(first.preview).toMatchObject({ kind: 'csv', encoding: 'windows-1252', separator: ';', rowCount: 50 });
    expect(first.preview.header).toEqual(HEADER);
    expect(first.preview.sample[0]![2]).toBe('Pão de Queijo 0');
    expect(first.check).toMatchObject({ total: 50, created: 50, updated: 0, errorRows: 0 });
    expect(first.commit).toMatchObject({ ok: true, value: { saved: 50 } });
    expect(progress.some((p) => p.phase === 'save' && p.done === 50)).toBe(true);

    const look = await ok(core.handle('catalog.lookup', { code: '10001' }));
    expect(look?.product).toMatchObject({ description: 'Açúcar Cristal 1', priceCents: 201, ncm: '19059090', gtin: expect.stringMatching(/^789/) });
    expect((await ok(core.handle('catalog.lookup', { code: '10009' })))?.product.gtin).toBeNull();

    const again = await importFile('produtos.csv', bytes);
    expect(again.check).toMatchObject({ created: 0, updated: 0, unchanged: 50, errorRows: 0 });
    expect(again.commit).toMatchObject({ ok: true, value: { saved: 0 } });
  });

  it('reports bad rows by row, column and reason, and all-or-nothing changes nothing', async () => {
    const rows = shopRows(4, 100);
    rows[1]![4] = '-3,50'; // negative price (line 3)
    rows[2]![0] = rows[0]![0]!; // duplicate code (line 4)
    rows[3]![2] = '=HYPERLINK("http://x","y")'; // formula (line 5)
    const bytes = csvBytes(rows);
    const r = await importFile('ruim.csv', bytes, 'all');
    expect(r.check.errorRows).toBe(3);
    expect(r.check.errors).toEqual(
      expect.arrayContaining([
        { row: 3, column: 'Preço de venda', message: 'preço negativo' },
        { row: 4, column: 'Código', message: 'código repetido: já está na linha 2' },
        expect.objectContaining({ row: 5, column: 'Descrição', message: expect.stringContaining('fórmula') }),
      ]),
    );
    expect(r.commit).toMatchObject({ ok: false, error: { code: 'import_has_errors' } });
    expect(await ok(core.handle('catalog.lookup', { code: rows[0]![0]! }))).toBeNull();

    const valid = await importFile('ruim.csv', bytes, 'valid');
    expect(valid.commit).toMatchObject({ ok: true, value: { saved: 1, errorRows: 3 } });
    expect(await ok(core.handle('catalog.lookup', { code: rows[0]![0]! }))).not.toBeNull();
  });

  it('imports XLSX and refuses a truncated one, a binary CSV and 200,000 rows with nothing changed', async () => {
    const rows = shopRows(30, 200).map((r) => r.map((c, i) => (i === 4 ? Number(c.replace(',', '.')) : c)));
    const x = await importFile('planilha.xlsx', await xlsxBytes(rows));
    expect(x.preview.kind).toBe('xlsx');
    expect(x.commit).toMatchObject({ ok: true, value: { created: 30 } });
    expect((await ok(core.handle('catalog.lookup', { code: '10201' })))?.product.priceCents).toBe(2201);

    const before = (await ok(core.handle('catalog.list', { status: 'all', limit: 1 }))).total;
    const full = await xlsxBytes(shopRows(5, 400));
    const truncated = full.subarray(0, Math.floor(full.length / 2));
    expect(await fails(core.handle('catalog.importOpen', { uploadId: await upload(truncated), fileName: 'cortada.xlsx' }))).toMatchObject({
      code: 'xlsx_damaged',
    });
    const binary = Buffer.from([0x00, 0x01, 0x02, 0x03, 0x41, 0x00, 0x42]);
    expect(await fails(core.handle('catalog.importOpen', { uploadId: await upload(binary), fileName: 'x.csv' }))).toMatchObject({ code: 'import_encoding' });
    const huge = Buffer.from(['Código;Descrição', ...Array.from({ length: 200_000 }, (_, i) => `${i};Item ${i}`)].join('\n'));
    const e = await fails(core.handle('catalog.importOpen', { uploadId: await upload(huge), fileName: 'enorme.csv' }));
    expect(e.code).toBe('import_too_many_rows');
    expect(e.message).toContain('100.000');
    expect((await ok(core.handle('catalog.list', { status: 'all', limit: 1 }))).total).toBe(before);
  });

  it('exports CSV with formulas neutralised and the export re-imports unchanged', async () => {
    // The importer refuses formula-looking text, but the form may store it: the export must neutralise it.
    const created = (await ok(core.handle('catalog.list', { query: '10001', status: 'all' }))).rows[0]!.product;
    await ok(core.handle('catalog.update', { product: { ...created, description: '@SUM(A1) Açúcar' }, managerPin: PIN }));
    const exp = await ok(core.handle('catalog.export', { format: 'csv' }));
    expect(exp.fileName).toBe('produtos-2026-11-30.csv');
    const parts: Buffer[] = [];
    for (let seq = 0; seq < exp.chunks; seq++)
      parts.push(Buffer.from((await ok(core.handle('catalog.download', { exportId: exp.exportId, seq }))).data, 'base64'));
    const file = Buffer.concat(parts);
    const text = file.toString('utf8');
    expect(text.startsWith('\uFEFFCódigo;GTIN/EAN;Descrição')).toBe(true);
    expect(text).toContain(";'@SUM(A1) Açúcar;");
    expect(text).toContain('2,01');
    // Re-import: everything unchanged except the neutralised description, which the importer reads back as text.
    const re = await importFile(exp.fileName, file);
    expect(re.check.errorRows).toBe(0);
    expect(re.check.created).toBe(0);
    expect(re.check.updated).toBeLessThanOrEqual(1);
  });

  it('records price changes with before and after in the audit log', async () => {
    const p = (await ok(core.handle('catalog.list', { query: '10002', status: 'all' }))).rows[0]!.product;
    await ok(core.handle('catalog.update', { product: { ...p, priceCents: p.priceCents + 100 }, managerPin: PIN }));
    const last = JSON.parse(auditRows('catalog_update').at(-1)!.details) as { productId: string; changes: Record<string, [number, number]> };
    expect(last.productId).toBe(p.id);
    expect(last.changes.priceCents).toEqual([p.priceCents, p.priceCents + 100]);
    expect(auditRows('catalog_import').length).toBeGreaterThan(0);
  });

  it('deactivates: the till no longer finds it, the register still lists it', async () => {
    const p = (await ok(core.handle('catalog.list', { query: '10003' }))).rows[0]!.product;
    await ok(core.handle('catalog.setActive', { productId: p.id, active: false, managerPin: PIN }));
    expect(await ok(core.handle('catalog.lookup', { code: '10003' }))).toBeNull();
    expect((await ok(core.handle('catalog.search', { query: 'Feijão Carioca 3', limit: 10 }))).map((h) => h.product.id)).not.toContain(p.id);
    expect((await ok(core.handle('catalog.list', { query: '10003', status: 'inactive' }))).rows.map((r) => r.product.id)).toEqual([p.id]);
  });

  it('applies a tax profile from the next sale on, with the product overriding its own fields', async () => {
    const profiles = await ok(core.handle('catalog.addStarterProfiles', { managerPin: PIN }));
    const st = profiles.find((p) => p.id === 'revenda-st-simples')!;
    expect(st).toMatchObject({ cfop: '5405', icms: '500', ibsCbsCst: '000', cClassTrib: '000001' });
    const p = (await ok(core.handle('catalog.list', { query: '10004' }))).rows[0]!.product;
    await ok(core.handle('catalog.update', { product: { ...p, taxProfileId: st.id, overrides: ['approxTaxBp'], approxTaxBp: 1234 }, managerPin: PIN }));
    let look = (await ok(core.handle('catalog.lookup', { code: '10004' })))!.product;
    expect(look).toMatchObject({ cfop: '5405', icms: '500', approxTaxBp: 1234 });
    await ok(core.handle('catalog.saveProfile', { profile: { ...st, approxTaxBp: 999, pisCofinsCst: '99' }, managerPin: PIN }));
    look = (await ok(core.handle('catalog.lookup', { code: '10004' })))!.product;
    expect(look).toMatchObject({ pisCofinsCst: '99', approxTaxBp: 1234 });
    const filtered = await ok(core.handle('catalog.list', { taxProfileId: st.id }));
    expect(filtered.rows.map((r) => r.product.id)).toEqual([p.id]);
  });

  it('reads a supplier NF-e, maps items to new and existing products, and refuses an NFC-e or plain XML', async () => {
    const items = nfeItems(3);
    const preview = await ok(core.handle('catalog.nfeOpen', { uploadId: await upload(Buffer.from(nfeXml(items))) }));
    expect(preview.supplier).toEqual({ cnpj: '12345678000190', name: 'Distribuidora Exemplo Ltda' });
    expect(preview.items[0]).toMatchObject({
      n: 1,
      gtin: items[0]!.gtin,
      ncm: '22021000',
      cest: '0300700',
      cfop: '5405',
      saleCfop: '5405',
      unitCostCents: 455,
      qtyE4: 120_000,
      match: null,
    });
    expect(preview.items[1]).toMatchObject({ cfop: '5102', saleCfop: '5102' });
    const existing = (await ok(core.handle('catalog.list', { query: '10005' }))).rows[0]!.product;
    const applied = await ok(
      core.handle('catalog.nfeApply', {
        nfeId: preview.nfeId,
        managerPin: PIN,
        lines: [
          { n: 1, action: 'new', priceCents: 799, taxProfileId: 'revenda-st-simples' },
          { n: 2, action: 'link', productId: existing.id, priceCents: 650 },
          { n: 3, action: 'skip', priceCents: 0 },
        ],
      }),
    );
    expect(applied).toEqual({ created: 1, updated: 1 });
    expect((await ok(core.handle('catalog.lookup', { code: items[0]!.gtin! })))!.product).toMatchObject({ priceCents: 799, cfop: '5405', cest: '0300700' });
    expect((await ok(core.handle('catalog.lookup', { code: '10005' })))!.product.priceCents).toBe(650);

    expect(await fails(core.handle('catalog.nfeOpen', { uploadId: await upload(Buffer.from(nfeXml(items, { mod: '65' }))) }))).toMatchObject({
      code: 'nfe_model',
    });
    expect(await fails(core.handle('catalog.nfeOpen', { uploadId: await upload(Buffer.from('<html><body>oi</body></html>')) }))).toMatchObject({
      code: 'nfe_not_nfe',
    });
    expect(await fails(core.handle('catalog.nfeOpen', { uploadId: await upload(Buffer.from('<NFe><infNFe>')) }))).toMatchObject({ code: 'nfe_not_xml' });
  });
});
