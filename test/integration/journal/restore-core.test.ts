// The manager's journal tools through the core (both shells' entry point), on a real journal and the
// built-in Focus sandbox: the full check on demand, and the guided restore of a hot backup — a
// damaged copy is refused and changes nothing; a sound one replaces the file (kept aside), the sales
// made after the copy come back from Focus, and the restore is audited. A damaged journal opens on
// the restore phase instead of refusing every call.
import { copyFileSync, existsSync, mkdtempSync, openSync, closeSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from '../../../main/core/core.ts';
import { realCoreDeps } from '../../../main/core/wiring.ts';
import { LAYOUT } from '../../../main/core/layout.ts';
import { demoStore } from '../../fixtures/demo-store.ts';
import { FileVault } from '../../../main/secrets/file-vault.ts';
import { Journal } from '../../../main/db/journal.ts';
import { backupJournal, restoreJournal } from '../../../main/db/backup.ts';
import { saleFor } from '../emission/fixtures.ts';
import { TEST_PIN_COST } from '../../fixtures/core-rig.ts';

let dir: string;
let backupDir: string;
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
async function sell(): Promise<number> {
  const p = (await ok(core.handle('catalog.search', { query: 'arroz', limit: 1 })))[0]!.product;
  const r = await ok(
    core.handle('sales.finalize', {
      clientId: `restore-${Date.now()}-${++n}`,
      items: [{ productId: p.id, qtyE4: 10_000, unitPriceCents: p.priceCents }],
      payments: [{ method: '01', amountCents: p.priceCents }],
    }),
  );
  expect(r.emission.state).toBe('authorized');
  return r.saleId;
}

async function loginManager(): Promise<void> {
  await ok(core.handle('auth.login', { operatorId: 'gerente', pin: '9999' }));
  const st = await ok(core.handle('register.state', {}));
  if (!st.session) await ok(core.handle('register.open', { amountText: '100,00' }));
}

const journalPath = () => LAYOUT.journal(dir, 'demo');
const salesCount = async () => (await ok(core.handle('sales.list', { limit: 100 }))).length;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'balcao-restore-'));
  backupDir = join(dir, 'pendrive');
  core = await open();
  await loginManager();
  await ok(core.handle('settings.update', { patch: { backupDir } }));
  for (let i = 0; i < 3; i++) await sell();
  // Closing takes the verified closing backup (3 sales).
  await core.close();
  core = await open();
  await loginManager();
});
afterAll(async () => {
  await core?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('full check on demand', () => {
  it('a sound journal passes every item; a broken invariant is named in Portuguese and audited', async () => {
    const good = await ok(core.handle('journal.check', {}));
    expect(good.ok).toBe(true);
    expect(good.sales).toBe(3);
    expect(good.items.map((i) => i.code)).toEqual(
      expect.arrayContaining([
        'integrity',
        'foreign_keys',
        'sale_without_note',
        'two_live_notes',
        'chave_twice',
        'numero_twice',
        'sale_totals',
        'high_water_mark',
      ]),
    );
    expect(good.items.every((i) => i.ok && i.detail === null)).toBe(true);

    // A sale whose total no longer matches its items (a file edited by hand).
    const db = new DatabaseSync(journalPath());
    db.exec('PRAGMA busy_timeout = 5000');
    db.prepare('UPDATE sales SET total_cents = total_cents + 1 WHERE id = 2').run();
    try {
      const bad = await ok(core.handle('journal.check', {}));
      expect(bad.ok).toBe(false);
      const item = bad.items.find((i) => i.code === 'sale_totals')!;
      expect(item.ok).toBe(false);
      expect(item.detail).toBe('vendas cujo total não confere: 2');
      expect(bad.items.filter((i) => !i.ok).map((i) => i.code)).toEqual(['sale_totals']);
    } finally {
      db.prepare('UPDATE sales SET total_cents = total_cents - 1 WHERE id = 2').run();
      db.close();
    }
    const audit = await ok(core.handle('audit.list', { action: 'integrity_check', limit: 5 }));
    expect(audit[0]?.details).toMatchObject({ ok: false, onDemand: true, problems: ['sale_totals'] });
  });

  it('needs a manager', async () => {
    await ok(core.handle('auth.logout', {}));
    await ok(core.handle('auth.login', { operatorId: 'caixa-1', pin: '1234' }));
    await refused(core.handle('journal.check', {}), 'manager_required');
    await ok(core.handle('auth.logout', {}));
    await loginManager();
  });
});

describe('guided restore', () => {
  it('lists the backups with date, size and verification; a damaged one is refused and nothing changes', async () => {
    for (let i = 0; i < 2; i++) await sell();
    expect(await salesCount()).toBe(5);
    const list = await ok(core.handle('journal.backups', {}));
    expect(list.dir).toBe(backupDir);
    expect(list.explanation.join(' ')).toMatch(/cópia danificada, ou de outro caixa ou loja, é recusada.*Focus NFe/);
    const sound = list.backups.filter((b) => b.ok);
    expect(sound.length).toBeGreaterThanOrEqual(1);
    expect(sound[0]).toMatchObject({ sales: 3, problem: null });
    expect(sound[0]!.bytes).toBeGreaterThan(0);
    expect(sound[0]!.takenAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    // A newer copy, damaged on the USB disk.
    const damaged = 'demo-29991231-235959Z.sqlite';
    copyFileSync(join(backupDir, sound[0]!.file), join(backupDir, damaged));
    const fd = openSync(join(backupDir, damaged), 'r+');
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, 4096);
    closeSync(fd);
    const again = await ok(core.handle('journal.backups', {}));
    expect(again.backups[0]).toMatchObject({ file: damaged, ok: false, sales: null });
    expect(again.backups[0]!.problem).toMatch(/não passou na verificação/);

    const before = statSync(journalPath()).mtimeMs;
    const msg = await refused(core.handle('journal.restore', { file: damaged }), 'backup_invalid');
    expect(msg).toMatch(/não passou na verificação e não será usada/);
    expect(statSync(journalPath()).mtimeMs).toBe(before);
    expect(readdirSync(dir + '/journal').filter((f) => f.includes('.replaced-') || f.endsWith('.incoming'))).toEqual([]);
    expect(await salesCount()).toBe(5);
    // Still selling.
    await sell();
    expect(await salesCount()).toBe(6);
    await refused(core.handle('journal.restore', { file: 'demo-20000101-000000Z.sqlite' }), 'backup_unknown');
  });

  it('a copy of another journal (another till or shop) is listed as unusable and refused; nothing changes', async () => {
    // Another till's journal, backed up under this profile's name into this till's folder (a USB disk
    // passed around the shop): sound, newer than every copy of this till, but not this journal.
    const other = Journal.open({ path: join(dir, 'other-till.sqlite'), markPath: null });
    other.sales.commitSale(await saleFor(1, 'other-till-1'), { environment: 'homologacao' });
    const foreign = await backupJournal(other.db, backupDir, 'demo', { now: () => Date.parse('2999-12-30T00:00:00Z') });
    other.close();
    const foreignFile = basename(foreign.path);
    const list = await ok(core.handle('journal.backups', {}));
    const entry = list.backups.find((b) => b.file === foreignFile)!;
    expect(entry).toMatchObject({ ok: false, sales: 1 });
    expect(entry.problem).toMatch(/de outro arquivo de vendas \(de outro caixa ou de outra loja\).*Nada foi alterado/);

    const count = await salesCount();
    const before = statSync(journalPath()).mtimeMs;
    const msg = await refused(core.handle('journal.restore', { file: foreignFile }), 'backup_foreign');
    expect(msg).toMatch(/não pode substituir as vendas deste caixa\. Nada foi alterado/);
    expect(statSync(journalPath()).mtimeMs).toBe(before);
    expect(readdirSync(dir + '/journal').filter((f) => f.includes('.replaced-') || f.endsWith('.incoming'))).toEqual([]);
    expect(await salesCount()).toBe(count);
    // The lower level refuses it too, before touching the file.
    expect(() => restoreJournal(foreign.path, journalPath())).toThrow(expect.objectContaining({ code: 'backup_foreign' }));
    expect(statSync(journalPath()).mtimeMs).toBe(before);
    expect((await ok(core.handle('session.bootstrap', {}))).phase).toBe('ready');
    const audit = await ok(core.handle('audit.list', { action: 'journal_restored', limit: 5 }));
    expect(audit).toEqual([]);
  });

  it('a sound copy replaces the journal (kept aside); the later sales come back from Focus; audited', async () => {
    const list = await ok(core.handle('journal.backups', {}));
    const pick = list.backups.find((b) => b.ok && b.sales === 3)!;
    const r = await ok(core.handle('journal.restore', { file: pick.file }));
    expect(r).toMatchObject({ restored: pick.file, sales: 3 });
    expect(r.kept).toMatch(/demo\.sqlite\.replaced-/);
    expect(existsSync(r.kept!)).toBe(true);
    // The sales made after the copy are re-learned from the sandbox before selling resumes.
    await vi.waitFor(
      async () => {
        const st = await ok(core.handle('status.get', {}));
        expect(st.journal ?? null).toBeNull();
      },
      { timeout: 20_000, interval: 100 },
    );
    await loginManager();
    expect(await salesCount()).toBe(6);
    await sell();
    expect(await salesCount()).toBe(7);
    const audit = await ok(core.handle('audit.list', { action: 'journal_restored', limit: 5 }));
    expect(audit[0]?.details).toMatchObject({ backup: pick.file, sales: 3 });
    const check = await ok(core.handle('journal.check', {}));
    expect(check.ok).toBe(true);
  });
});

describe('a damaged journal at start', () => {
  it('opens on the restore phase: only the manager with a PIN can restore, then the till sells again', async () => {
    await core.close();
    const path = journalPath();
    const pages = Math.floor(statSync(path).size / 4096);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, Math.max(1, Math.floor(pages / 2)) * 4096);
    closeSync(fd);

    core = await open();
    const boot = await ok(core.handle('session.bootstrap', {}));
    expect(boot.phase).toBe('journal');
    expect(boot.journal?.code).toBe('journal_damaged');
    expect(boot.journal?.message).toMatch(/arquivo de vendas deste caixa está danificado/);
    await refused(core.handle('auth.login', { operatorId: 'gerente', pin: '9999' }), 'phase_journal');
    await refused(core.handle('journal.backups', {}), 'manager_required');
    await refused(core.handle('journal.backups', { managerPin: '1234' }), 'not_manager');
    const list = await ok(core.handle('journal.backups', { managerPin: '9999' }));
    // The damaged file's lineage is still known (its mark): the other till's copy stays refused here too.
    const foreign = list.backups.find((b) => !b.ok && b.sales === 1)!;
    expect(foreign.problem).toMatch(/de outro arquivo de vendas/);
    await refused(core.handle('journal.restore', { file: foreign.file, managerPin: '9999' }), 'backup_foreign');
    expect((await ok(core.handle('session.bootstrap', {}))).phase).toBe('journal');
    const pick = list.backups.find((b) => b.ok)!;
    const r = await ok(core.handle('journal.restore', { file: pick.file, managerPin: '9999' }));
    expect(r.restored).toBe(pick.file);
    expect(existsSync(r.kept!)).toBe(true);
    expect((await ok(core.handle('session.bootstrap', {}))).phase).toBe('ready');
    await vi.waitFor(
      async () => {
        const st = await ok(core.handle('status.get', {}));
        expect(st.journal ?? null).toBeNull();
      },
      { timeout: 20_000, interval: 100 },
    );
    await loginManager();
    expect(await salesCount()).toBe(7);
  });
});
