// A journal written before inutilização and ECONF used the shared side_effects table: on upgrade
// every existing row gets its side effect (answered ones settled, open ones pending, so the next
// start still resolves them), and nothing else changes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/sqlite.ts';
import { JOURNAL_MIGRATIONS } from '../../../main/db/schema.ts';
import { EXTRAS_MIGRATIONS } from '../../../main/db/schema-extras.ts';
import { REGISTER_MIGRATIONS } from '../../../main/register/schema.ts';
import { Journal } from '../../../main/db/journal.ts';
import { openRegisterDb } from '../../../main/register/db.ts';

const root = mkdtempSync(join(tmpdir(), 'balcao-se-migration-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('side_effects migration', () => {
  it('links every inutilização and ECONF row of an older journal to a side effect in the matching state', () => {
    const path = join(root, 'old.sqlite');
    const old = openDatabase(path, { migrations: [...JOURNAL_MIGRATIONS, EXTRAS_MIGRATIONS[0]!, REGISTER_MIGRATIONS[0]!], nowIso: new Date().toISOString() });
    old.exec('PRAGMA foreign_keys = OFF');
    const inut = old.prepare(
      "INSERT INTO inutilizacoes(cnpj, environment, serie, numero_inicial, numero_final, justificativa, actor, state, created_ms, updated_ms) VALUES ('12345678000195', 'homologacao', '1', ?, ?, 'Falha no sistema durante a emissão', 'gerente', ?, 1, 2)",
    );
    inut.run(2, 3, 'pending');
    inut.run(5, 6, 'authorized');
    inut.run(8, 8, 'rejected');
    const econf = old.prepare(
      "INSERT INTO econf_events(sale_id, emission_id, ref, state, actor, request_json, created_ms, updated_ms) VALUES (1, 1, ?, ?, 'gerente', '[]', 1, 2)",
    );
    for (const [ref, state] of [
      ['r_pending', 'pending'],
      ['r_sending', 'sending'],
      ['r_unknown', 'unknown'],
      ['r_ok', 'authorized'],
      ['r_bad', 'rejected'],
    ])
      econf.run(ref!, state!);
    old.close();

    const j = Journal.open({ path, markPath: null });
    const reg = openRegisterDb(path, Date.now());
    try {
      const inutStates = reg
        .prepare(
          'SELECT i.state AS row, s.state AS effect, s.kind, s.payload FROM inutilizacoes i JOIN side_effects s ON s.id = i.side_effect_id ORDER BY i.id',
        )
        .all();
      expect(inutStates.map((r) => [r.row, r.effect, r.kind])).toEqual([
        ['pending', 'pending', 'inutilizacao'],
        ['authorized', 'done', 'inutilizacao'],
        ['rejected', 'failed', 'inutilizacao'],
      ]);
      expect(JSON.parse(String(inutStates[0]!.payload))).toMatchObject({ serie: '1', numero_inicial: '2', numero_final: '3', cnpj: '12345678000195' });
      const econfStates = j.db
        .prepare('SELECT e.ref, s.state AS effect, s.kind, s.ref AS effectRef FROM econf_events e JOIN side_effects s ON s.id = e.side_effect_id ORDER BY e.id')
        .all();
      expect(econfStates.map((r) => [r.ref, r.effect, r.effectRef])).toEqual([
        ['r_pending', 'pending', 'r_pending'],
        ['r_sending', 'pending', 'r_sending'],
        ['r_unknown', 'pending', 'r_unknown'],
        ['r_ok', 'done', 'r_ok'],
        ['r_bad', 'failed', 'r_bad'],
      ]);
      expect(
        j.sideEffects
          .listPending()
          .map((e) => e.kind)
          .sort(),
      ).toEqual(['econf', 'econf', 'econf', 'inutilizacao']);
    } finally {
      reg.close();
      j.close();
    }
  });
});
