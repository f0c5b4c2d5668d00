import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Journal } from '../../../../main/db/journal.ts';
import { JournalError } from '../../../../main/db/errors.ts';
import type { Migration } from '../../../../main/db/migrations.ts';
import { saleFor } from '../../../integration/emission/fixtures.ts';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'balcao-journal-'));
  path = join(dir, 'vendas.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('opening the journal', () => {
  it('creates the file in WAL mode with synchronous=FULL and the journal schema version', () => {
    const j = Journal.open({ path });
    expect(j.db.prepare('PRAGMA journal_mode').get()?.journal_mode).toBe('wal');
    expect(Number(j.db.prepare('PRAGMA synchronous').get()?.synchronous)).toBe(2);
    expect(Number(j.db.prepare("SELECT version FROM schema_versions WHERE scope = 'journal'").get()?.version)).toBe(3);
    expect(j.tag).toMatch(/^[a-z0-9]{6}$/);
    j.close();
    // Re-opening keeps the file's identity but starts a new ref generation: refs already stored
    // stay as they are, new ones can never repeat a ref a copy of this file handed out.
    const again = Journal.open({ path });
    expect(again.journalId).toBe(j.journalId);
    expect(again.tag).not.toBe(j.tag);
    again.close();
  });

  it('refuses a file written by a newer app with a Portuguese message and leaves it byte-for-byte untouched', () => {
    Journal.open({ path }).close();
    const raw = new DatabaseSync(path);
    raw.exec("UPDATE schema_versions SET version = 99 WHERE scope = 'journal'");
    raw.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    raw.close();
    for (const s of ['-wal', '-shm']) rmSync(path + s, { force: true });
    const before = readFileSync(path);
    let err: unknown;
    try {
      Journal.open({ path });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(JournalError);
    expect((err as JournalError).code).toBe('journal_newer');
    expect((err as Error).message).toMatch(/versão mais nova do Balcão/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(path + '-wal')).toBe(false);
  });

  it('refuses a file that is not a database, without changing it', () => {
    writeFileSync(path, 'isto não é um banco de dados '.repeat(100));
    const before = readFileSync(path);
    expect(() => Journal.open({ path })).toThrow(/danificado|não é um arquivo do Balcão/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('applies extra migrations of another scope (catalog) once, versioned on their own', () => {
    const catalog: Migration[] = [
      { scope: 'catalog', version: 1, description: 'produtos', up: (db) => db.exec('CREATE TABLE products (id TEXT PRIMARY KEY, data TEXT) STRICT') },
    ];
    Journal.open({ path, extraMigrations: catalog }).close();
    const v2: Migration[] = [
      ...catalog,
      { scope: 'catalog', version: 2, description: 'preço', up: (db) => db.exec('ALTER TABLE products ADD COLUMN price INTEGER') },
    ];
    const j = Journal.open({ path, extraMigrations: v2 });
    j.db.prepare('INSERT INTO products(id, data, price) VALUES (?, ?, ?)').run('a', '{}', 1);
    expect(Number(j.db.prepare("SELECT version FROM schema_versions WHERE scope = 'catalog'").get()?.version)).toBe(2);
    j.close();
    // An older build that knows catalog v1 only must refuse the file.
    expect(() => Journal.open({ path, extraMigrations: catalog })).toThrow(JournalError);
    // A build that does not know the catalog at all may still open the journal.
    Journal.open({ path }).close();
  });

  it('rolls a failing migration back and says so in Portuguese', () => {
    const bad: Migration[] = [{ scope: 'catalog', version: 1, description: 'quebrada', up: (db) => db.exec('CREATE TABLE x (a); SELECT * FROM nao_existe') }];
    expect(() => Journal.open({ path, extraMigrations: bad })).toThrow(/Não foi possível atualizar o arquivo de vendas/);
    const j = Journal.open({ path });
    expect(j.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'x'").get()).toBeUndefined();
    j.close();
  });
});

describe('committing sales', () => {
  it('commits sale, items, payments and a pending first emission with a safe unique ref', async () => {
    const j = Journal.open({ path });
    const input = await saleFor(2, 'cli_aaaaaaaa');
    const r = j.sales.commitSale(input, { environment: 'homologacao' });
    expect(r.created).toBe(true);
    expect(r.sale.items).toEqual(input.items);
    expect(r.sale.payments).toEqual(input.payments);
    expect(r.sale.totalCents).toBe(input.totalCents);
    expect(r.emission).toMatchObject({ saleId: r.sale.id, attempt: 1, state: 'pending', environment: 'homologacao' });
    expect(r.emission.ref).toMatch(/^[A-Za-z0-9_]{1,50}$/);
    expect(r.emission.ref).toBe(`PDV01_${j.tag}_${r.sale.id}_1`);
    j.close();
  });

  it('is idempotent on clientId: a resent finalize returns the stored sale and writes nothing', async () => {
    const j = Journal.open({ path });
    const input = await saleFor(1, 'cli_bbbbbbbb');
    const a = j.sales.commitSale(input, { environment: 'homologacao' });
    const b = j.sales.commitSale({ ...input, totalCents: 1 }, { environment: 'homologacao' });
    expect(b.created).toBe(false);
    expect(b.sale.id).toBe(a.sale.id);
    expect(b.sale.totalCents).toBe(a.sale.totalCents);
    expect(b.emission.ref).toBe(a.emission.ref);
    expect(j.sales.count()).toBe(1);
    j.close();
  });

  it('writes nothing when any part of the sale fails (one transaction)', async () => {
    const j = Journal.open({ path });
    const input = await saleFor(2, 'cli_cccccccc');
    const broken = { ...input, items: [...input.items, { ...(input.items[0] as NonNullable<(typeof input.items)[0]>) }] }; // duplicate seq
    expect(() => j.sales.commitSale(broken, { environment: 'homologacao' })).toThrow();
    expect(j.sales.count()).toBe(0);
    expect(j.db.prepare('SELECT COUNT(*) AS n FROM sale_items').get()?.n).toBe(0);
    expect(j.db.prepare('SELECT COUNT(*) AS n FROM emissions').get()?.n).toBe(0);
    j.close();
  });

  it('keeps the sale after a reopen (durable commit)', async () => {
    const j = Journal.open({ path });
    const r = j.sales.commitSale(await saleFor(3, 'cli_dddddddd'), { environment: 'producao' });
    j.close();
    const k = Journal.open({ path });
    expect(k.sales.get(r.sale.id)).toEqual(r.sale);
    expect(k.emissions.listOpen().map((e) => e.ref)).toEqual([r.emission.ref]);
    k.close();
  });
});

describe('emission transitions', () => {
  it('moves state only from the expected previous state and records the answer with it', async () => {
    const j = Journal.open({ path });
    const { emission } = j.sales.commitSale(await saleFor(1, 'cli_eeeeeeee'), { environment: 'homologacao' });
    const sending = j.emissions.transition(emission.id, 'pending', 'sending', { emittedMs: 123, incrementPosts: true });
    expect(sending).toMatchObject({ state: 'sending', emittedMs: 123, posts: 1 });
    // A stale worker that still believes it is pending loses the race.
    expect(j.emissions.transition(emission.id, 'pending', 'sending')).toBeNull();
    const done = j.emissions.transition(
      emission.id,
      ['sending', 'unknown'],
      'authorized',
      { numero: '7', serie: '1', chave: '4'.repeat(44), contingenciaOffline: false },
      { operation: 'emit', kind: 'ok', httpStatus: 201, body: '{"status":"autorizado"}' },
    );
    expect(done).toMatchObject({ state: 'authorized', numero: '7', chave: '4'.repeat(44) });
    expect(j.emissions.answers(emission.id)).toEqual([
      expect.objectContaining({ operation: 'emit', kind: 'ok', httpStatus: 201, body: '{"status":"autorizado"}' }),
    ]);
    expect(j.emissions.listOpen()).toEqual([]);
    j.close();
  });

  it('refuses a move the state machine does not allow, and changes nothing', async () => {
    const j = Journal.open({ path });
    const { emission } = j.sales.commitSale(await saleFor(1, 'cli_forbid01'), { environment: 'homologacao' });
    j.emissions.transition(emission.id, 'pending', 'sending');
    j.emissions.transition(emission.id, 'sending', 'denied');
    for (const to of ['pending', 'authorized', 'sending', 'contingency'] as const) {
      expect(() => j.emissions.transition(emission.id, 'denied', to)).toThrow(expect.objectContaining({ code: 'forbidden_transition' }));
    }
    // A list of origins is checked pair by pair, even when the row is in an allowed one.
    expect(() => j.emissions.transition(emission.id, ['rejected', 'authorized'], 'pending')).toThrow(/não permitida/);
    expect(() => j.emissions.transition(emission.id, 'authorized', 'rejected')).toThrow(JournalError);
    expect(j.emissions.get(emission.id)?.state).toBe('denied');
    j.close();
  });

  it('migrates a v1 journal: problems written before block_reason get their code from the title they showed', async () => {
    const j = Journal.open({ path });
    const a = j.sales.commitSale(await saleFor(1, 'cli_migr0001'), { environment: 'homologacao' });
    const b = j.sales.commitSale(await saleFor(2, 'cli_migr0002'), { environment: 'homologacao' });
    j.db.exec('ALTER TABLE emissions DROP COLUMN block_reason');
    j.db.prepare("UPDATE schema_versions SET version = 1 WHERE scope = 'journal'").run();
    j.db.prepare("UPDATE emissions SET state = 'blocked', problem_title = 'Emissão offline indisponível' WHERE id = ?").run(a.emission.id);
    j.db.prepare("UPDATE emissions SET state = 'rejected', problem_title = 'NCM inexistente' WHERE id = ?").run(b.emission.id);
    j.close();
    const k = Journal.open({ path });
    expect(k.emissions.get(a.emission.id)?.blockReason).toBe('contingency_no_certificate');
    expect(k.emissions.get(b.emission.id)?.blockReason).toBe('rejected');
    expect(k.emissions.latestForSale(a.sale.id)?.blockReason).toBe('contingency_no_certificate');
    k.close();
  });

  it('lists the unarchived notes and forgets them once archived', async () => {
    const j = Journal.open({ path });
    const { emission } = j.sales.commitSale(await saleFor(1, 'cli_ffffffff'), { environment: 'homologacao' });
    j.emissions.transition(emission.id, 'pending', 'authorized', { caminhoXml: '/x.xml', chave: '1'.repeat(44) });
    expect(j.emissions.listUnarchived().map((r) => r.id)).toEqual([emission.id]);
    j.emissions.update(emission.id, { xmlArchivedMs: 1 });
    expect(j.emissions.listUnarchived()).toEqual([]);
    j.close();
  });
});

describe('listing and searching sales', () => {
  it('lists a day newest first and finds by date range, numero and total', async () => {
    const j = Journal.open({ path });
    const day1 = Date.UTC(2026, 2, 10, 15, 0, 0);
    const day2 = Date.UTC(2026, 2, 11, 15, 0, 0);
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) {
      const when = i < 3 ? day1 + i * 60_000 : day2 + i * 60_000;
      const s = await saleFor(i, `cli_list_${i}`, { now: () => when });
      const r = j.sales.commitSale(s, { environment: 'homologacao' });
      j.emissions.transition(r.emission.id, 'pending', 'authorized', { numero: String(100 + i), serie: '1' });
      ids.push(r.sale.id);
    }
    const day = j.sales.listDay('2026-03-11');
    expect(day.map((s) => s.id)).toEqual([ids[5], ids[4], ids[3]]);
    expect(day[0]).toMatchObject({ state: 'authorized', numero: '105', serie: '1', operatorId: 'op1' });
    expect(j.sales.list({ from: '2026-03-10', to: '2026-03-10' }).length).toBe(3);
    expect(j.sales.list({ numero: '000102' }).map((s) => s.id)).toEqual([ids[2]]);
    const target = j.sales.get(ids[1] as number)!;
    expect(j.sales.list({ totalCents: target.totalCents }).map((s) => s.id)).toContain(ids[1]);
    j.close();
  });

  it('uses indexes for every search', () => {
    const j = Journal.open({ path });
    const plan = (sql: string) =>
      j.db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all()
        .map((r) => String(r.detail))
        .join(' | ');
    expect(plan("SELECT id FROM sales WHERE local_day >= '2026-01-01' AND local_day <= '2026-01-02'")).toMatch(/USING (COVERING )?INDEX sales_by_day/);
    expect(plan('SELECT id FROM sales WHERE total_cents = 100')).toMatch(/INDEX sales_by_total/);
    expect(plan("SELECT sale_id FROM emissions WHERE numero = '5'")).toMatch(/INDEX emissions_by_numero/);
    j.close();
  });
});

describe('audit log', () => {
  it('records who did what, per sale and in order', async () => {
    const j = Journal.open({ path });
    const r = j.sales.commitSale(await saleFor(1, 'cli_audit_1'), {
      environment: 'homologacao',
      audit: [{ actor: 'gerente1', action: 'discount_override', details: { discountBp: 1500 } }],
    });
    j.audit.add({ actor: 'gerente1', action: 'cancel', saleId: r.sale.id, details: { justificativa: 'cliente desistiu da compra' } });
    j.audit.add({ actor: 'gerente1', action: 'settings_change', details: { field: 'serie' } });
    expect(j.audit.forSale(r.sale.id).map((e) => [e.actor, e.action])).toEqual([
      ['gerente1', 'discount_override'],
      ['gerente1', 'cancel'],
    ]);
    expect(j.audit.recent(1)[0]).toMatchObject({ action: 'settings_change', saleId: null, details: { field: 'serie' } });
    j.close();
  });
});

describe('PIS/COFINS per item', () => {
  it('keeps each item’s CST and the CST 01 rates fixed at the sale; a fiscal refresh changes the CST, not the rates', async () => {
    const j = Journal.open({ path });
    const input = await saleFor(2, 'cli_pis00001');
    const items = input.items.map((it, i) => (i === 0 ? { ...it, pisCofinsCst: '01', pisRateBp: 165, cofinsRateBp: 760 } : { ...it, pisCofinsCst: '49' }));
    const r = j.sales.commitSale({ ...input, items }, { environment: 'homologacao' });
    expect(r.sale.items).toEqual(items);
    j.sales.updateItemFiscal(r.sale.id, 1, { ...items[0]!, pisCofinsCst: '02' });
    expect(j.sales.require(r.sale.id).items[0]).toMatchObject({ pisCofinsCst: '02', pisRateBp: 165, cofinsRateBp: 760 });
    j.close();
  });
});
