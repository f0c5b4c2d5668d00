// The register's tables, in the profile's journal file (scope 'register', versioned on its own):
// sessions per terminal, their cash movements, and inutilizações (journaled before sending).
import type { Migration } from '../db/migrations.ts';
import { AGGREGATES_DDL } from '../reports/aggregates-schema.ts';
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
];
