// The journal's own tables. Never edit a shipped migration: add a new version instead.
import type { Migration } from './migrations.ts';
import type { BlockReason } from '../../shared/emission.ts';

const V1 = `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE sales (
  id INTEGER PRIMARY KEY,
  client_id TEXT NOT NULL UNIQUE,
  terminal_id TEXT NOT NULL,
  operator_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  local_day TEXT NOT NULL,
  customer_document TEXT,
  customer_name TEXT,
  customer_email TEXT,
  gross_cents INTEGER NOT NULL,
  discount_cents INTEGER NOT NULL,
  total_cents INTEGER NOT NULL,
  paid_cents INTEGER NOT NULL,
  change_cents INTEGER NOT NULL,
  approx_tax_cents INTEGER NOT NULL
) STRICT;
CREATE INDEX sales_by_day ON sales(local_day, id);
CREATE INDEX sales_by_total ON sales(total_cents, id);

CREATE TABLE sale_items (
  sale_id INTEGER NOT NULL REFERENCES sales(id),
  seq INTEGER NOT NULL,
  product_id TEXT NOT NULL,
  code TEXT NOT NULL,
  gtin TEXT,
  description TEXT NOT NULL,
  unit TEXT NOT NULL,
  ncm TEXT NOT NULL,
  cfop TEXT NOT NULL,
  cest TEXT,
  origin TEXT NOT NULL,
  icms TEXT NOT NULL,
  icms_rate_bp INTEGER NOT NULL,
  approx_tax_bp INTEGER NOT NULL,
  qty_e4 INTEGER NOT NULL,
  unit_price_cents INTEGER NOT NULL,
  gross_cents INTEGER NOT NULL,
  discount_cents INTEGER NOT NULL,
  total_cents INTEGER NOT NULL,
  approx_tax_cents INTEGER NOT NULL,
  PRIMARY KEY (sale_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE payments (
  sale_id INTEGER NOT NULL REFERENCES sales(id),
  seq INTEGER NOT NULL,
  method TEXT NOT NULL,
  amount_cents INTEGER NOT NULL,
  card_json TEXT,
  description TEXT,
  PRIMARY KEY (sale_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE emissions (
  id INTEGER PRIMARY KEY,
  sale_id INTEGER NOT NULL REFERENCES sales(id),
  attempt INTEGER NOT NULL,
  ref TEXT NOT NULL UNIQUE,
  environment TEXT NOT NULL,
  state TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  posts INTEGER NOT NULL DEFAULT 0,
  emitted_ms INTEGER,
  numero TEXT,
  serie TEXT,
  chave TEXT,
  protocolo TEXT,
  authorized_at TEXT,
  qrcode_url TEXT,
  url_consulta TEXT,
  caminho_xml TEXT,
  caminho_danfe TEXT,
  caminho_xml_cancel TEXT,
  xml_archived_ms INTEGER,
  can_archived_ms INTEGER,
  status_sefaz TEXT,
  mensagem_sefaz TEXT,
  codigo_api TEXT,
  problem_title TEXT,
  problem_fix TEXT,
  contingencia_offline INTEGER NOT NULL DEFAULT 0,
  contingencia_efetivada INTEGER NOT NULL DEFAULT 0,
  -- Manual offline contingency (owned by the offline flow; nullable for online notes).
  tp_emis TEXT,
  cnf TEXT,
  dh_cont TEXT,
  x_just TEXT,
  offline_qr TEXT,
  payload_json TEXT,
  UNIQUE (sale_id, attempt)
) STRICT;
-- Only unfinished work is indexed by state: the startup scan stays small however old the journal is.
CREATE INDEX emissions_open ON emissions(state, id)
  WHERE state NOT IN ('authorized', 'rejected', 'denied', 'cancelled', 'superseded');
CREATE INDEX emissions_by_numero ON emissions(numero, serie) WHERE numero IS NOT NULL;
CREATE INDEX emissions_unarchived ON emissions(id)
  WHERE (state IN ('authorized', 'denied', 'cancelled', 'contingency_focus') AND xml_archived_ms IS NULL AND caminho_xml IS NOT NULL)
     OR (state = 'cancelled' AND can_archived_ms IS NULL AND caminho_xml_cancel IS NOT NULL);

CREATE TABLE emission_answers (
  id INTEGER PRIMARY KEY,
  emission_id INTEGER NOT NULL REFERENCES emissions(id),
  at_ms INTEGER NOT NULL,
  operation TEXT NOT NULL,
  kind TEXT NOT NULL,
  http_status INTEGER,
  body TEXT
) STRICT;
CREATE INDEX emission_answers_by_emission ON emission_answers(emission_id, id);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at_ms INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  sale_id INTEGER,
  details TEXT NOT NULL
) STRICT;
CREATE INDEX audit_by_sale ON audit_log(sale_id, id) WHERE sale_id IS NOT NULL;
CREATE INDEX audit_by_time ON audit_log(at_ms);

CREATE TABLE contingency_counters (
  cnpj TEXT NOT NULL,
  environment TEXT NOT NULL,
  serie TEXT NOT NULL,
  next_numero INTEGER NOT NULL,
  PRIMARY KEY (cnpj, environment, serie)
) STRICT, WITHOUT ROWID;
`;

// v3: the journal's lineage id (checked against its high-water mark, main/db/mark.ts) and the
// intent log of Focus side effects other than emission (cancel, inutilização, e-mail, ECONF…).
const V3 = `
CREATE TABLE IF NOT EXISTS side_effects (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  sale_id INTEGER,
  emission_id INTEGER,
  ref TEXT,
  -- pending: journaled, the request may have left; done / failed: Focus's answer is known.
  state TEXT NOT NULL,
  actor TEXT NOT NULL,
  payload TEXT NOT NULL,
  result TEXT,
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS side_effects_open ON side_effects(state, id) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS side_effects_by_sale ON side_effects(sale_id, id) WHERE sale_id IS NOT NULL;
`;

export const JOURNAL_MIGRATIONS: readonly Migration[] = [
  {
    scope: 'journal',
    version: 1,
    description: 'vendas, itens, pagamentos, emissões, respostas, auditoria, contingência',
    up: (db) => {
      db.exec(V1);
      // A random tag per journal file goes into every Focus ref, so a reinstalled or replaced journal
      // (sale ids starting at 1 again) can never collide with refs already used under the same token.
      const tag = Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');
      db.prepare("INSERT INTO meta(key, value) VALUES ('journal_tag', ?)").run(tag);
    },
  },
  {
    scope: 'journal',
    version: 2,
    description: 'código estável do motivo de cada problema de emissão (block_reason)',
    up: (db) => {
      db.exec('ALTER TABLE emissions ADD COLUMN block_reason TEXT');
      // Rows written before the code existed carry only the title they showed: map the titles this
      // build's predecessors wrote, once, here. From now on decisions read block_reason only.
      const byTitle: [string, BlockReason][] = [
        ['Emissão offline indisponível', 'contingency_no_certificate'],
        ['Contingência off-line não permitida nesta UF', 'contingency_uf_forbidden'],
        ['Série de contingência inválida', 'contingency_bad_serie'],
        ['Dados da venda impedem a nota', 'contingency_invalid_sale'],
        ['Cancelamento por substituição necessário', 'substitution_needed'],
        ['Chave autorizada diferente da impressa', 'chave_mismatch'],
        ['Dados da venda inválidos para a NFC-e', 'invalid_sale_data'],
      ];
      const set = db.prepare('UPDATE emissions SET block_reason = ? WHERE problem_title = ? AND block_reason IS NULL');
      for (const [title, code] of byTitle) set.run(code, title);
      db.exec(`UPDATE emissions SET block_reason = CASE
          WHEN state = 'contingency' THEN 'contingency_rejected'
          WHEN state = 'denied' THEN 'denied'
          WHEN state = 'rejected' THEN 'rejected'
          ELSE 'focus_setup' END
        WHERE problem_title IS NOT NULL AND block_reason IS NULL`);
    },
  },
  {
    scope: 'journal',
    version: 3,
    description: 'identidade do arquivo (marca d’água) e intenções de cancelamento, inutilização e e-mail',
    up: (db) => {
      db.exec(V3);
      db.prepare("INSERT OR IGNORE INTO meta(key, value) VALUES ('journal_id', ?)").run(crypto.randomUUID());
    },
  },
];

/** [a-z0-9]{n} from the CSPRNG: the random part of refs (Focus allows [A-Za-z0-9_], ≤ 50 chars). */
export function randomTag(n = 6): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');
}
