// The register's tables, in the profile's journal file (scope 'register', versioned on its own):
// sessions per terminal, their cash movements, and inutilizações (journaled before sending).
import type { DatabaseSync } from 'node:sqlite';
import type { Migration } from '../db/migrations.ts';
import { AGGREGATES_DDL, SPLITS_DDL } from '../reports/aggregates-schema.ts';
import { backfillDayMovements } from '../reports/aggregates.ts';

const V1 = `
CREATE TABLE register_sessions (
  id INTEGER PRIMARY KEY,
  terminal_id TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
  opened_ms INTEGER NOT NULL,
  opened_by TEXT NOT NULL,
  opening_cents INTEGER NOT NULL CHECK (opening_cents >= 0),
  opening_counts TEXT,
  closed_ms INTEGER,
  closed_by TEXT,
  approved_by TEXT,
  declared_json TEXT,
  z_number INTEGER,
  z_json TEXT,
  z_text TEXT
) STRICT;
-- At most one open session per terminal, enforced by the file itself.
CREATE UNIQUE INDEX register_one_open ON register_sessions(terminal_id) WHERE state = 'open';
CREATE INDEX register_sessions_by_terminal ON register_sessions(terminal_id, id);

CREATE TABLE register_movements (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES register_sessions(id),
  client_id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('sangria', 'suprimento')),
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  reason TEXT NOT NULL,
  operator_id TEXT NOT NULL,
  manager_id TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  voucher_text TEXT NOT NULL
) STRICT;
CREATE INDEX register_movements_by_session ON register_movements(session_id, id);

-- Sales of a session are found by terminal and time.
CREATE INDEX IF NOT EXISTS sales_by_terminal_time ON sales(terminal_id, created_ms);

CREATE TABLE inutilizacoes (
  id INTEGER PRIMARY KEY,
  cnpj TEXT NOT NULL,
  environment TEXT NOT NULL,
  serie TEXT NOT NULL,
  numero_inicial INTEGER NOT NULL,
  numero_final INTEGER NOT NULL,
  justificativa TEXT NOT NULL,
  actor TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'authorized', 'rejected')),
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  status_sefaz TEXT,
  mensagem_sefaz TEXT,
  caminho_xml TEXT,
  xml_path TEXT
) STRICT;
CREATE INDEX inutilizacoes_by_serie ON inutilizacoes(serie, numero_inicial);
`;

// v3: every inutilização is also a row of the shared side_effects table (kind 'inutilizacao'),
// committed with it before the request and settled with Focus's answer; earlier rows get theirs here.
function v3(db: DatabaseSync): void {
  db.exec('ALTER TABLE inutilizacoes ADD COLUMN side_effect_id INTEGER');
  const rows = db.prepare('SELECT * FROM inutilizacoes ORDER BY id').all();
  const insert = db.prepare(
    "INSERT INTO side_effects(kind, sale_id, emission_id, ref, state, actor, payload, result, created_ms, updated_ms) VALUES ('inutilizacao', NULL, NULL, NULL, ?, ?, ?, ?, ?, ?)",
  );
  const link = db.prepare('UPDATE inutilizacoes SET side_effect_id = ? WHERE id = ?');
  for (const r of rows) {
    const st = String(r.state);
    const state = st === 'authorized' ? 'done' : st === 'rejected' ? 'failed' : 'pending';
    const { lastInsertRowid } = insert.run(
      state,
      String(r.actor),
      JSON.stringify(inutilizacaoPayload(r)),
      state === 'pending' ? null : JSON.stringify({ state: st, migrated: true }),
      Number(r.created_ms),
      Number(r.updated_ms),
    );
    link.run(lastInsertRowid, Number(r.id));
  }
}

/** What the side effect of an inutilização carries: the request itself (and its row). */
export function inutilizacaoPayload(r: Record<string, unknown>): Record<string, unknown> {
  return {
    inutId: Number(r.id),
    cnpj: String(r.cnpj),
    environment: String(r.environment),
    serie: String(r.serie),
    numero_inicial: String(r.numero_inicial),
    numero_final: String(r.numero_final),
    justificativa: String(r.justificativa),
  };
}

export const REGISTER_MIGRATIONS: readonly Migration[] = [
  { scope: 'register', version: 1, description: 'sessões de caixa, sangrias e suprimentos, inutilizações', up: (db) => db.exec(V1) },
  {
    scope: 'register',
    version: 2,
    description: 'totais por dia e por sessão de caixa para os relatórios (calculados a partir das vendas já gravadas)',
    up: (db) => {
      db.exec(AGGREGATES_DDL);
      backfillDayMovements(db);
    },
  },
  { scope: 'register', version: 3, description: 'inutilizações na tabela comum de efeitos na Focus (side_effects)', up: v3 },
  {
    scope: 'register',
    version: 4,
    description: 'índice dos carrinhos abandonados com o caixa e o valor (relatórios sem ler cada registro)',
    // Covering: figures.ts cancelledCarts reads the terminal and the total from the index's own
    // expressions, never the row's JSON (a month of a busy shop holds thousands of them).
    up: (db) =>
      db.exec(`CREATE INDEX audit_cart_cancel_cover ON audit_log(at_ms, json_extract(details, '$.terminalId'), json_extract(details, '$.totalCents'))
                 WHERE action = 'cart_cancel';
               DROP INDEX IF EXISTS audit_cart_cancel;`),
  },
  {
    scope: 'register',
    version: 5,
    description: 'totais do dia por situação, por hora e por operador, à parte (relatório do período sem agrupar cada hora × operador)',
    up: (db) => db.exec(SPLITS_DDL),
  },
];
