// Tables kept next to the journal's core ones, in their own migration scope so they evolve apart:
// IBS/CBS codes per item, ECONF intents, and which sales already opened the cash drawer.
import type { Migration } from './migrations.ts';

const V1 = `
-- IBS/CBS codes an item had at the sale (absent row: the store default applies).
CREATE TABLE sale_item_tax (
  sale_id INTEGER NOT NULL REFERENCES sales(id),
  seq INTEGER NOT NULL,
  ibs_cbs_cst TEXT,
  c_class_trib TEXT,
  PRIMARY KEY (sale_id, seq)
) STRICT, WITHOUT ROWID;

-- ECONF (Evento de Conciliação Financeira): the intent is committed 'pending' before the POST
-- leaves, so a crash never leaves an event Balcão does not know about (resolved at start).
CREATE TABLE econf_events (
  id INTEGER PRIMARY KEY,
  sale_id INTEGER NOT NULL REFERENCES sales(id),
  emission_id INTEGER NOT NULL,
  ref TEXT NOT NULL,
  state TEXT NOT NULL,
  actor TEXT NOT NULL,
  request_json TEXT NOT NULL,
  numero INTEGER,
  protocolo TEXT,
  caminho_xml TEXT,
  status_sefaz TEXT,
  mensagem_sefaz TEXT,
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX econf_by_sale ON econf_events(sale_id, id);
CREATE INDEX econf_open ON econf_events(state, id) WHERE state IN ('pending', 'sending', 'unknown');

-- A sale's one cash-drawer opening (at the sale, or its first print); reprints find the row.
CREATE TABLE drawer_claims (
  sale_id INTEGER PRIMARY KEY REFERENCES sales(id),
  first_ms INTEGER NOT NULL
) STRICT;
`;

// PIS/COFINS of an item at the sale: its CST and, for CST 01, the regime's rates (null otherwise; its own scope, so
// it evolves apart from the tables above).
const PIS_V1 = `
CREATE TABLE sale_item_pis (
  sale_id INTEGER NOT NULL REFERENCES sales(id),
  seq INTEGER NOT NULL,
  cst TEXT NOT NULL,
  pis_rate_bp INTEGER,
  cofins_rate_bp INTEGER,
  PRIMARY KEY (sale_id, seq)
) STRICT, WITHOUT ROWID;
`;

export const EXTRAS_MIGRATIONS: readonly Migration[] = [
  { scope: 'sale_extras', version: 1, description: 'códigos IBS/CBS por item, eventos ECONF, abertura da gaveta por venda', up: (db) => db.exec(V1) },
  { scope: 'sale_pis_cofins', version: 1, description: 'CST e alíquotas de PIS/COFINS por item', up: (db) => db.exec(PIS_V1) },
];
