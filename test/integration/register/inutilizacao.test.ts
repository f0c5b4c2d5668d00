// Numbering gaps from a real journal, and their inutilização against the Focus sandbox: journaled
// before sending, a crash before the request and a lost answer both resolved at start, never twice.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from '../../../main/db/journal.ts';
import { openRegisterDb } from '../../../main/register/db.ts';
import { Inutilizacoes } from '../../../main/register/inutilizacao.ts';
import { findGaps } from '../../../main/reports/gaps.ts';
import { SideEffectsRepo } from '../../../main/db/side-effects-repo.ts';
import { saleFor } from '../emission/fixtures.ts';
import { clientFor, sandbox, useCleanup } from '../focus/sandbox-helpers.ts';

const cleanup = useCleanup();
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function journalWithNumbers(numbers: [string, number][]): Promise<{ path: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'balcao-inut-'));
  dirs.push(dir);
  const path = join(dir, 'journal.sqlite');
  const j = Journal.open({ path });
  let i = 0;
  for (const [serie, numero] of numbers) {
    const { emission } = j.sales.commitSale(await saleFor(i++, `gap_${i}_${numero}_${serie}`), { environment: 'homologacao' });
    j.emissions.update(emission.id, { numero: String(numero), serie });
  }
  j.close();
  return { path, dir };
}

describe('numbering gaps', () => {
  it('lists every hole per série between the first and the last number used', async () => {
    const { path } = await journalWithNumbers([
      ['1', 1],
      ['1', 2],
      ['1', 5],
      ['1', 9],
      ['900', 1],
      ['900', 3],
      ['1', 10],
    ]);
    const db = openRegisterDb(path, Date.now());
    cleanup(() => db.close());
    expect(findGaps(db, 'homologacao')).toEqual([
      { serie: '1', from: 3, to: 4, status: 'open' },
      { serie: '1', from: 6, to: 8, status: 'open' },
      { serie: '900', from: 2, to: 2, status: 'open' },
    ]);
    expect(findGaps(db, 'producao')).toEqual([]);
  });
});

describe('inutilização', () => {
  const JUST = 'Falha no sistema durante a emissão';

  it('voids a gap at SEFAZ through Focus, keeps the XML, and refuses a range that is not a gap', async () => {
    const sb = await sandbox();
    const { path, dir } = await journalWithNumbers([
      ['1', 1],
      ['1', 4],
    ]);
    const db = openRegisterDb(path, Date.now());
    cleanup(() => db.close());
    const inut = new Inutilizacoes({ db, api: clientFor(sb), clock: Date.now, environment: 'homologacao', cnpj: () => sb.emitter.cnpj, archiveDir: dir });
    await expect(inut.request({ serie: '1', from: 1, to: 2, justificativa: JUST, actor: 'gerente' })).rejects.toMatchObject({ code: 'gap_invalid' });
    const done = await inut.request({ serie: '1', from: 2, to: 3, justificativa: JUST, actor: 'gerente' });
    expect(done).toMatchObject({ state: 'authorized', serie: '1', from: 2, to: 3 });
    expect(findGaps(db, 'homologacao')).toEqual([{ serie: '1', from: 2, to: 3, status: 'voided' }]);
    const xml = db.prepare('SELECT xml_path FROM inutilizacoes WHERE id = ?').get(done.id)!.xml_path as string;
    expect(existsSync(xml)).toBe(true);
    expect(readFileSync(xml, 'utf8')).toMatch(/inutNFe|procInutNFe/);
    await expect(inut.request({ serie: '1', from: 2, to: 3, justificativa: JUST, actor: 'gerente' })).rejects.toMatchObject({ code: 'gap_in_progress' });
    // Journaled on the shared side_effects table, settled by the answer.
    expect(db.prepare("SELECT state, actor FROM side_effects WHERE kind = 'inutilizacao'").all()).toEqual([{ state: 'done', actor: 'gerente' }]);
    // The audit log has the request, with who asked.
    expect(db.prepare("SELECT actor FROM audit_log WHERE action = 'inutilizacao'").all()).toEqual([{ actor: 'gerente' }]);
  });

  it('a request journaled but never sent (crash) is sent at start; one whose answer was lost is found, not sent again', async () => {
    const sb = await sandbox();
    const { path, dir } = await journalWithNumbers([
      ['1', 1],
      ['1', 4],
      ['1', 7],
    ]);
    const db = openRegisterDb(path, Date.now());
    cleanup(() => db.close());
    const api = clientFor(sb);
    const now = Date.now();
    const effects = new SideEffectsRepo(db, Date.now);
    // What request() commits before sending: the row and its pending side effect.
    const insert = (from: number, to: number) => {
      const { lastInsertRowid } = db
        .prepare(
          "INSERT INTO inutilizacoes(cnpj, environment, serie, numero_inicial, numero_final, justificativa, actor, state, created_ms, updated_ms) VALUES (?, 'homologacao', '1', ?, ?, ?, 'gerente', 'pending', ?, ?)",
        )
        .run(sb.emitter.cnpj, from, to, JUST, now, now);
      const e = effects.begin({ kind: 'inutilizacao', actor: 'gerente', payload: { inutId: Number(lastInsertRowid) } });
      db.prepare('UPDATE inutilizacoes SET side_effect_id = ? WHERE id = ?').run(e.id, Number(lastInsertRowid));
    };
    // Crash right after the commit: nothing went out.
    insert(2, 3);
    // Lost answer: SEFAZ voided 5–6, the till never heard back.
    insert(5, 6);
    const sent = await api.inutilize({ cnpj: sb.emitter.cnpj, serie: '1', numero_inicial: '5', numero_final: '6', justificativa: JUST });
    expect(sent.kind).toBe('ok');
    const inut = new Inutilizacoes({ db, api, clock: Date.now, environment: 'homologacao', cnpj: () => sb.emitter.cnpj, archiveDir: dir });
    expect(await inut.resolvePending()).toBe(2);
    expect(
      inut
        .list()
        .map((i) => [i.from, i.state])
        .sort(),
    ).toEqual([
      [2, 'authorized'],
      [5, 'authorized'],
    ]);
    const atSefaz = await api.listInutilizacoes({ cnpj: sb.emitter.cnpj });
    expect(atSefaz.kind === 'ok' && atSefaz.body.length).toBe(2);
    // Both side effects are settled: nothing is left for the next start.
    expect(effects.listPending()).toEqual([]);
    expect(await inut.resolvePending()).toBe(0);
  });
});
