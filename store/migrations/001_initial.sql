-- The store's first schema (issue #16). Times are epoch milliseconds (bigint): the store's clock is
-- injected (tests pass a fake one), and lanes speak milliseconds too.

CREATE TABLE store_meta (
  key text PRIMARY KEY,
  value text NOT NULL
);

-- A paired lane. The credential is a 256-bit random token: a SHA-256 of it is enough to store.
CREATE TABLE lanes (
  id text PRIMARY KEY,
  name text NOT NULL,
  credential_hash text NOT NULL UNIQUE,
  terminal_id text NOT NULL UNIQUE,
  contingency_serie integer NOT NULL UNIQUE CHECK (contingency_serie BETWEEN 1 AND 999),
  paired_ms bigint NOT NULL,
  acked_seq bigint NOT NULL DEFAULT 0,
  last_push_ms bigint,
  backlog integer,
  last_pull_ms bigint,
  last_pull_cursor bigint,
  clock_skew_ms bigint,
  bad_events integer NOT NULL DEFAULT 0,
  revoked boolean NOT NULL DEFAULT false
);

CREATE TABLE pairing_codes (
  code text PRIMARY KEY,
  created_ms bigint NOT NULL,
  expires_ms bigint NOT NULL,
  used_ms bigint,
  lane_id text REFERENCES lanes (id)
);

CREATE TABLE admin_tokens (
  token_hash text PRIMARY KEY,
  label text NOT NULL,
  created_ms bigint NOT NULL
);

CREATE TABLE manager_sessions (
  token_hash text PRIMARY KEY,
  operator_id text NOT NULL,
  lane_id text NOT NULL REFERENCES lanes (id),
  expires_ms bigint NOT NULL
);

-- Every outbox event, in seq order per lane, once (id unique).
CREATE TABLE events (
  lane_id text NOT NULL REFERENCES lanes (id),
  seq bigint NOT NULL,
  id uuid NOT NULL UNIQUE,
  kind text NOT NULL,
  at_ms bigint NOT NULL,
  payload jsonb NOT NULL,
  received_ms bigint NOT NULL,
  projection_error text,
  PRIMARY KEY (lane_id, seq)
);

-- Projections for the reports, written in the same transaction as the event that feeds them.
CREATE TABLE sales (
  lane_id text NOT NULL REFERENCES lanes (id),
  sale_id text NOT NULL,
  day date NOT NULL,
  at_ms bigint NOT NULL,
  operator_id text NOT NULL,
  session_id bigint,
  gross_cents bigint NOT NULL,
  discount_cents bigint NOT NULL,
  total_cents bigint NOT NULL,
  change_cents bigint NOT NULL,
  state text NOT NULL,
  serie integer,
  number integer,
  PRIMARY KEY (lane_id, sale_id)
);
CREATE INDEX sales_day ON sales (day);

CREATE TABLE sale_payments (
  lane_id text NOT NULL,
  sale_id text NOT NULL,
  idx integer NOT NULL,
  method text NOT NULL,
  amount_cents bigint NOT NULL,
  PRIMARY KEY (lane_id, sale_id, idx),
  FOREIGN KEY (lane_id, sale_id) REFERENCES sales (lane_id, sale_id)
);

CREATE TABLE sale_items (
  lane_id text NOT NULL,
  sale_id text NOT NULL,
  idx integer NOT NULL,
  product_id text NOT NULL,
  cfop text NOT NULL,
  qty_e4 bigint NOT NULL,
  total_cents bigint NOT NULL,
  PRIMARY KEY (lane_id, sale_id, idx),
  FOREIGN KEY (lane_id, sale_id) REFERENCES sales (lane_id, sale_id)
);

CREATE TABLE register_sessions (
  lane_id text NOT NULL REFERENCES lanes (id),
  session_id bigint NOT NULL,
  day date NOT NULL,
  opened_ms bigint NOT NULL,
  opened_by text NOT NULL,
  opening_cents bigint NOT NULL,
  closed_ms bigint,
  z_number integer,
  PRIMARY KEY (lane_id, session_id)
);

CREATE TABLE register_movements (
  lane_id text NOT NULL REFERENCES lanes (id),
  movement_id bigint NOT NULL,
  session_id bigint NOT NULL,
  day date NOT NULL,
  kind text NOT NULL CHECK (kind IN ('sangria', 'suprimento')),
  amount_cents bigint NOT NULL,
  reason text NOT NULL,
  operator_id text NOT NULL,
  manager_id text NOT NULL,
  at_ms bigint NOT NULL,
  PRIMARY KEY (lane_id, movement_id)
);

-- Catalog, tax profiles, operators and settings: one row per record, the latest version wins; a
-- deletion keeps its row with data NULL so the pull cursor can carry it. Writers take an advisory
-- lock, so versions commit in order and a cursor never skips a late commit.
CREATE SEQUENCE record_version;
CREATE TABLE records (
  entity text NOT NULL,
  key text NOT NULL,
  version bigint NOT NULL UNIQUE,
  data jsonb,
  updated_ms bigint NOT NULL,
  PRIMARY KEY (entity, key)
);

-- Focus request credits leased to lanes, per token (tokenKey is a hash the lane derives).
CREATE TABLE credit_leases (
  id uuid PRIMARY KEY,
  token_key text NOT NULL,
  lane_id text NOT NULL REFERENCES lanes (id),
  purpose text NOT NULL,
  granted integer NOT NULL,
  used integer,
  granted_ms bigint NOT NULL,
  expires_ms bigint NOT NULL,
  ended_ms bigint
);
CREATE INDEX credit_leases_token ON credit_leases (token_key, expires_ms);
