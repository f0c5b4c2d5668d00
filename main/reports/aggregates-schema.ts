// Report aggregates kept inside the journal file: per local day (and terminal) for the period
// reports, per open register session for the X/Z. SQLite triggers maintain them, so every writer
// (the sale's commit, the engine's transitions, a cancel, a contingency attempt, the journal's
// recovery) updates them in the very transaction that changes the raw rows — no code path can
// forget them and a crash can never leave them behind the sales.
//
// What counts follows the raw-row reports (scope.ts): a sale counts once it has an emission, in the
// state of its latest attempt; it is "valid" (money kept) unless that state is 'cancelled'. Payments
// and items count for valid sales only; item cancellations and números count for every sale.
//
// The triggers never fail on their own (no constraint can refuse their upserts), so they cannot
// refuse a sale.

/** How a grain names its bucket from a sale row `s` (and, for sessions, the open session `r`). */
interface Grain {
  prefix: string;
  keyCols: string[];
  keyExprs: string[];
  /** FROM clause giving `s` (and `r`) for the sale whose id is `saleId`. */
  from: (saleId: string) => string;
  /** Whether sale `s2` falls in the same bucket as `s`. */
  sameBucket: string;
}

/** The session a sale belongs to: the open session of its terminal, opened before the sale. */
const openSession = `JOIN register_sessions r ON r.terminal_id = s.terminal_id AND r.state = 'open' AND r.opened_ms <= s.created_ms`;

const DAY: Grain = {
  prefix: 'agg_day',
  keyCols: ['day', 'terminal_id'],
  keyExprs: ['s.local_day', 's.terminal_id'],
  from: (id) => `sales s WHERE s.id = ${id}`,
  sameBucket: 's2.local_day = s.local_day AND s2.terminal_id = s.terminal_id',
};

const SESSION: Grain = {
  prefix: 'agg_session',
  keyCols: ['session_id'],
  keyExprs: ['r.id'],
  from: (id) => `sales s ${openSession} WHERE s.id = ${id}`,
  sameBucket: 's2.terminal_id = s.terminal_id AND s2.created_ms >= r.opened_ms',
};

/** The sale's bucket rows, then (CROSS JOIN: in this order, by the sale's id) the sale's own lines. */
const joined = (g: Grain, lines: string) => g.from('NEW.sale_id').replace(' WHERE ', ` CROSS JOIN ${lines} WHERE `);

const HOUR = `CAST(substr(s.created_at, 12, 2) AS INTEGER)`;
const validExpr = (state: string) => `(${state} IS NOT NULL AND ${state} <> 'cancelled')`;
/** +1 when a move makes the sale valid, −1 when it stops being valid, 0 otherwise. */
const VALID_DELTA = `(${validExpr('NEW.to_state')} - ${validExpr('NEW.from_state')})`;
/** Whether the sale (by id expression) is valid now, 0/1. */
const validNow = (saleId: string) =>
  `COALESCE((SELECT e.state <> 'cancelled' FROM emissions e WHERE e.sale_id = ${saleId} ORDER BY e.attempt DESC LIMIT 1), 0)`;
const hasEmission = (saleId: string) => `EXISTS (SELECT 1 FROM emissions e WHERE e.sale_id = ${saleId})`;

const add = (cols: string[]) => cols.map((c) => `${c} = ${c} + excluded.${c}`).join(', ');

function tables(g: Grain): string {
  const k = g.keyCols.map((c) => `${c} ${c === 'session_id' ? 'INTEGER' : 'TEXT'} NOT NULL`).join(', ');
  const pk = g.keyCols.join(', ');
  const hour = g === DAY ? 'hour INTEGER NOT NULL, ' : '';
  return `
CREATE TABLE ${g.prefix}_sales (${k}, ${hour}operator_id TEXT NOT NULL, state TEXT NOT NULL,
  n INTEGER NOT NULL, total INTEGER NOT NULL, gross INTEGER NOT NULL, change INTEGER NOT NULL, discount INTEGER NOT NULL, discounted INTEGER NOT NULL,
  PRIMARY KEY (${pk}, ${g === DAY ? 'hour, ' : ''}operator_id, state)) STRICT, WITHOUT ROWID;
CREATE TABLE ${g.prefix}_methods (${k}, method TEXT NOT NULL, n INTEGER NOT NULL, amount INTEGER NOT NULL,
  PRIMARY KEY (${pk}, method)) STRICT, WITHOUT ROWID;
-- n: distinct números of the série in the bucket; first/last are NULL when it has none left.
CREATE TABLE ${g.prefix}_numbers (${k}, serie TEXT NOT NULL, first INTEGER, last INTEGER, n INTEGER NOT NULL,
  PRIMARY KEY (${pk}, serie)) STRICT, WITHOUT ROWID;
-- item_cancel (both grains); sangria / suprimento (day grain, written by the register).
CREATE TABLE ${g.prefix}_extra (${k}, kind TEXT NOT NULL, n INTEGER NOT NULL, cents INTEGER NOT NULL,
  PRIMARY KEY (${pk}, kind)) STRICT, WITHOUT ROWID;`;
}

/** Statements applying a move of sale NEW.sale_id from NEW.from_state to NEW.to_state to a grain. */
function moveStatements(g: Grain): string {
  const keys = g.keyCols.join(', ');
  const kx = g.keyExprs.join(', ');
  const hourCol = g === DAY ? 'hour, ' : '';
  const hourExpr = g === DAY ? `${HOUR}, ` : '';
  const cube = (state: string, sign: string) => `
  INSERT INTO ${g.prefix}_sales(${keys}, ${hourCol}operator_id, state, n, total, gross, change, discount, discounted)
  SELECT ${kx}, ${hourExpr}s.operator_id, ${state}, ${sign}, ${sign} * s.total_cents, ${sign} * s.gross_cents, ${sign} * s.change_cents,
    ${sign} * s.discount_cents, ${sign} * (s.discount_cents > 0)
  FROM ${g.from('NEW.sale_id')} AND ${state} IS NOT NULL
  ON CONFLICT DO UPDATE SET ${add(['n', 'total', 'gross', 'change', 'discount', 'discounted'])};`;
  const methods = `
  INSERT INTO ${g.prefix}_methods(${keys}, method, n, amount)
  SELECT ${kx}, p.method, ${VALID_DELTA} * COUNT(*), ${VALID_DELTA} * SUM(p.amount_cents)
  FROM ${joined(g, 'payments p')} AND ${VALID_DELTA} <> 0 AND p.sale_id = NEW.sale_id GROUP BY p.method
  ON CONFLICT DO UPDATE SET ${add(['n', 'amount'])};`;
  const products =
    g === DAY
      ? `
  INSERT INTO agg_day_products(day, terminal_id, product_id, lines, qty, total, last_sale_id, last_seq, description)
  SELECT s.local_day, s.terminal_id, i.product_id, ${VALID_DELTA} * COUNT(*), ${VALID_DELTA} * SUM(i.qty_e4), ${VALID_DELTA} * SUM(i.total_cents),
    MAX(i.sale_id), MAX(i.seq), MAX(i.description)
  FROM ${joined(g, 'sale_items i')} AND ${VALID_DELTA} <> 0 AND i.sale_id = NEW.sale_id GROUP BY i.product_id
  ON CONFLICT DO UPDATE SET ${add(['lines', 'qty', 'total'])};`
      : '';
  // The sale's item cancellations count from the moment it enters the reports (its first attempt).
  const itemCancels = `
  INSERT INTO ${g.prefix}_extra(${keys}, kind, n, cents)
  SELECT ${kx}, 'item_cancel', COUNT(*), COALESCE(SUM(json_extract(a.details, '$.totalCents')), 0)
  FROM ${joined(g, 'audit_log a')} AND NEW.from_state IS NULL AND a.sale_id = NEW.sale_id AND a.action = 'item_cancel' GROUP BY ${kx}
  ON CONFLICT DO UPDATE SET ${add(['n', 'cents'])};`;
  return cube('NEW.from_state', '-1') + cube('NEW.to_state', '1') + methods + products + itemCancels;
}

/** Statements adding (sign 1) or removing (sign −1) one emission's (série, número) to a grain. */
function numberStatements(g: Grain): string {
  const keys = g.keyCols.join(', ');
  const kx = g.keyExprs.join(', ');
  const where = g.keyCols.map((c, i) => `${g.prefix}_numbers.${c} = ${g.keyExprs[i]!}`).join(' AND ');
  // CROSS JOIN keeps the número's index as the outer loop: the planner would otherwise walk the
  // whole day (or session) of sales for every note that gets a número.
  const othersHold = `EXISTS (SELECT 1 FROM emissions e2 CROSS JOIN sales s2 ON s2.id = e2.sale_id
      WHERE e2.numero = NEW.numero AND e2.serie = NEW.serie AND e2.id <> NEW.emission_id AND ${g.sameBucket})`;
  const bound = (fn: 'MIN' | 'MAX') => `(SELECT ${fn}(CAST(e2.numero AS INTEGER)) FROM emissions e2 JOIN sales s2 ON s2.id = e2.sale_id
      WHERE e2.serie = NEW.serie AND e2.numero IS NOT NULL AND ${g.sameBucket})`;
  return `
  INSERT INTO ${g.prefix}_numbers(${keys}, serie, first, last, n)
  SELECT ${kx}, NEW.serie, CAST(NEW.numero AS INTEGER), CAST(NEW.numero AS INTEGER), NOT ${othersHold}
  FROM ${g.from('NEW.sale_id')} AND NEW.sign = 1
  ON CONFLICT DO UPDATE SET first = MIN(COALESCE(first, excluded.first), excluded.first), last = MAX(COALESCE(last, excluded.last), excluded.last), n = n + excluded.n;
  UPDATE ${g.prefix}_numbers SET n = n - 1, first = ${bound('MIN')}, last = ${bound('MAX')}
  FROM ${g.from('NEW.sale_id')} AND NEW.sign = -1 AND ${where} AND ${g.prefix}_numbers.serie = NEW.serie AND NOT ${othersHold};`;
}

/** Rebuilds a grain's figures from the raw rows (the migration's backfill; a session's opening). */
function backfill(g: Grain, filter: string, from = 'sales s'): string {
  const keys = g.keyCols.join(', ');
  const kx = g.keyExprs.join(', ');
  const hourCol = g === DAY ? 'hour, ' : '';
  const hourExpr = g === DAY ? `${HOUR}, ` : '';
  const latest = `JOIN emissions l ON l.sale_id = s.id AND l.attempt = (SELECT MAX(attempt) FROM emissions WHERE sale_id = s.id)`;
  return `
  INSERT INTO ${g.prefix}_sales(${keys}, ${hourCol}operator_id, state, n, total, gross, change, discount, discounted)
  SELECT ${kx}, ${hourExpr}s.operator_id, l.state, COUNT(*), SUM(s.total_cents), SUM(s.gross_cents), SUM(s.change_cents), SUM(s.discount_cents), SUM(s.discount_cents > 0)
  FROM ${from} ${latest} WHERE ${filter} GROUP BY ${kx}, ${hourExpr}s.operator_id, l.state;
  INSERT INTO ${g.prefix}_methods(${keys}, method, n, amount)
  SELECT ${kx}, p.method, COUNT(*), SUM(p.amount_cents)
  FROM ${from} ${latest} JOIN payments p ON p.sale_id = s.id WHERE ${filter} AND l.state <> 'cancelled' GROUP BY ${kx}, p.method;
  INSERT INTO ${g.prefix}_numbers(${keys}, serie, first, last, n)
  SELECT ${kx}, e.serie, MIN(CAST(e.numero AS INTEGER)), MAX(CAST(e.numero AS INTEGER)), COUNT(DISTINCT e.numero)
  FROM ${from} JOIN emissions e ON e.sale_id = s.id WHERE ${filter} AND e.numero IS NOT NULL AND e.serie IS NOT NULL GROUP BY ${kx}, e.serie;
  INSERT INTO ${g.prefix}_extra(${keys}, kind, n, cents)
  SELECT ${kx}, 'item_cancel', COUNT(*), COALESCE(SUM(json_extract(a.details, '$.totalCents')), 0)
  FROM ${from} JOIN audit_log a ON a.sale_id = s.id WHERE ${filter} AND a.action = 'item_cancel' AND ${hasEmission('s.id')} GROUP BY ${kx};`;
}

const DAY_PRODUCTS_BACKFILL = `
INSERT INTO agg_day_products(day, terminal_id, product_id, lines, qty, total, last_sale_id, last_seq, description)
SELECT g.day, g.terminal_id, g.product_id, g.lines, g.qty, g.total, g.k / 1000000, g.k % 1000000,
  (SELECT d.description FROM sale_items d WHERE d.sale_id = g.k / 1000000 AND d.seq = g.k % 1000000)
FROM (SELECT s.local_day AS day, s.terminal_id, i.product_id, SUM(v.valid) AS lines, SUM(v.valid * i.qty_e4) AS qty, SUM(v.valid * i.total_cents) AS total,
        MAX(i.sale_id * 1000000 + i.seq) AS k
      FROM sales s JOIN sale_items i ON i.sale_id = s.id JOIN (SELECT s.id AS sale_id, ${validNow('s.id')} AS valid FROM sales s) v ON v.sale_id = s.id
      GROUP BY s.local_day, s.terminal_id, i.product_id) g;`;

/** The register's schema v2: tables, views, triggers and the backfill of the days already sold. */
export const AGGREGATES_DDL = `
${tables(DAY)}
${tables(SESSION)}
CREATE TABLE agg_day_products (day TEXT NOT NULL, terminal_id TEXT NOT NULL, product_id TEXT NOT NULL,
  lines INTEGER NOT NULL, qty INTEGER NOT NULL, total INTEGER NOT NULL,
  -- The latest item line of the product in the bucket names it (any state: a name, not a figure).
  last_sale_id INTEGER NOT NULL, last_seq INTEGER NOT NULL, description TEXT NOT NULL,
  PRIMARY KEY (day, terminal_id, product_id)) STRICT, WITHOUT ROWID;

-- Carts abandoned before payment are read from the audit log by time: this keeps it one range.
CREATE INDEX IF NOT EXISTS audit_cart_cancel ON audit_log(at_ms) WHERE action = 'cart_cancel';

-- Writing to these views applies a move; their INSTEAD OF triggers hold the arithmetic once.
CREATE VIEW agg_move(sale_id, from_state, to_state) AS SELECT NULL, NULL, NULL WHERE 0;
CREATE TRIGGER agg_move_apply INSTEAD OF INSERT ON agg_move BEGIN
${moveStatements(DAY)}
${moveStatements(SESSION)}
END;
CREATE VIEW agg_number(emission_id, sale_id, serie, numero, sign) AS SELECT NULL, NULL, NULL, NULL, NULL WHERE 0;
CREATE TRIGGER agg_number_apply INSTEAD OF INSERT ON agg_number BEGIN
${numberStatements(DAY)}
${numberStatements(SESSION)}
END;

-- The latest attempt speaks for the sale: a new attempt moves it from the previous one's state.
CREATE TRIGGER agg_emission_insert AFTER INSERT ON emissions
WHEN NOT EXISTS (SELECT 1 FROM emissions x WHERE x.sale_id = NEW.sale_id AND x.attempt > NEW.attempt) BEGIN
  INSERT INTO agg_move(sale_id, from_state, to_state)
  VALUES (NEW.sale_id, (SELECT x.state FROM emissions x WHERE x.sale_id = NEW.sale_id AND x.attempt < NEW.attempt ORDER BY x.attempt DESC LIMIT 1), NEW.state);
END;
CREATE TRIGGER agg_emission_state AFTER UPDATE OF state ON emissions
WHEN OLD.state IS NOT NEW.state AND NOT EXISTS (SELECT 1 FROM emissions x WHERE x.sale_id = NEW.sale_id AND x.attempt > NEW.attempt) BEGIN
  INSERT INTO agg_move(sale_id, from_state, to_state) VALUES (NEW.sale_id, OLD.state, NEW.state);
END;
CREATE TRIGGER agg_emission_number_insert AFTER INSERT ON emissions
WHEN NEW.numero IS NOT NULL AND NEW.serie IS NOT NULL BEGIN
  INSERT INTO agg_number VALUES (NEW.id, NEW.sale_id, NEW.serie, NEW.numero, 1);
END;
CREATE TRIGGER agg_emission_number_update AFTER UPDATE OF numero, serie ON emissions
WHEN OLD.numero IS NOT NEW.numero OR OLD.serie IS NOT NEW.serie BEGIN
  INSERT INTO agg_number SELECT OLD.id, OLD.sale_id, OLD.serie, OLD.numero, -1 WHERE OLD.numero IS NOT NULL AND OLD.serie IS NOT NULL;
  INSERT INTO agg_number SELECT NEW.id, NEW.sale_id, NEW.serie, NEW.numero, 1 WHERE NEW.numero IS NOT NULL AND NEW.serie IS NOT NULL;
END;

-- Lines and payments written after the sale already counts (the commit writes them before its
-- first attempt, so this is for any other writer).
CREATE TRIGGER agg_payment_insert AFTER INSERT ON payments BEGIN
  INSERT INTO agg_day_methods(day, terminal_id, method, n, amount)
  SELECT s.local_day, s.terminal_id, NEW.method, 1, NEW.amount_cents FROM sales s WHERE s.id = NEW.sale_id AND ${validNow('NEW.sale_id')} = 1
  ON CONFLICT DO UPDATE SET ${add(['n', 'amount'])};
  INSERT INTO agg_session_methods(session_id, method, n, amount)
  SELECT r.id, NEW.method, 1, NEW.amount_cents FROM sales s ${openSession} WHERE s.id = NEW.sale_id AND ${validNow('NEW.sale_id')} = 1
  ON CONFLICT DO UPDATE SET ${add(['n', 'amount'])};
END;
CREATE TRIGGER agg_item_insert AFTER INSERT ON sale_items BEGIN
  INSERT INTO agg_day_products(day, terminal_id, product_id, lines, qty, total, last_sale_id, last_seq, description)
  SELECT s.local_day, s.terminal_id, NEW.product_id, v.valid, v.valid * NEW.qty_e4, v.valid * NEW.total_cents, NEW.sale_id, NEW.seq, NEW.description
  FROM sales s, (SELECT ${validNow('NEW.sale_id')} AS valid) v WHERE s.id = NEW.sale_id
  ON CONFLICT DO UPDATE SET ${add(['lines', 'qty', 'total'])},
    description = CASE WHEN (excluded.last_sale_id, excluded.last_seq) > (last_sale_id, last_seq) THEN excluded.description ELSE description END,
    last_seq = CASE WHEN (excluded.last_sale_id, excluded.last_seq) > (last_sale_id, last_seq) THEN excluded.last_seq ELSE last_seq END,
    last_sale_id = MAX(last_sale_id, excluded.last_sale_id);
END;
-- A manager who fixes a product's data renames the line (updateItemFiscal): the name follows.
CREATE TRIGGER agg_item_rename AFTER UPDATE OF description ON sale_items WHEN OLD.description IS NOT NEW.description BEGIN
  UPDATE agg_day_products SET description = NEW.description
  FROM sales s WHERE s.id = NEW.sale_id AND agg_day_products.day = s.local_day AND agg_day_products.terminal_id = s.terminal_id
    AND agg_day_products.product_id = NEW.product_id AND last_sale_id = NEW.sale_id AND last_seq = NEW.seq;
END;
CREATE TRIGGER agg_item_cancel AFTER INSERT ON audit_log WHEN NEW.action = 'item_cancel' AND NEW.sale_id IS NOT NULL BEGIN
  INSERT INTO agg_day_extra(day, terminal_id, kind, n, cents)
  SELECT s.local_day, s.terminal_id, 'item_cancel', 1, COALESCE(json_extract(NEW.details, '$.totalCents'), 0)
  FROM sales s WHERE s.id = NEW.sale_id AND ${hasEmission('NEW.sale_id')}
  ON CONFLICT DO UPDATE SET ${add(['n', 'cents'])};
  INSERT INTO agg_session_extra(session_id, kind, n, cents)
  SELECT r.id, 'item_cancel', 1, COALESCE(json_extract(NEW.details, '$.totalCents'), 0)
  FROM sales s ${openSession} WHERE s.id = NEW.sale_id AND ${hasEmission('NEW.sale_id')}
  ON CONFLICT DO UPDATE SET ${add(['n', 'cents'])};
END;

-- A session's figures start from the sales it already covers (normally none: a session opens
-- before it sells), so they always equal the raw rows from its opening on.
CREATE TRIGGER agg_session_open AFTER INSERT ON register_sessions WHEN NEW.state = 'open' BEGIN
${backfill(SESSION, `s.terminal_id = NEW.terminal_id AND s.created_ms >= NEW.opened_ms`, `sales s JOIN register_sessions r ON r.id = NEW.id`)}
END;

${backfill(DAY, '1')}
${DAY_PRODUCTS_BACKFILL}
${backfill(SESSION, `r.state = 'open'`, `sales s ${openSession}`)}
`;

/**
 * The register's schema v5: the period report's three splits kept apart, each a few rows per day
 * (agg_day_sales holds day × hour × operator × state, ~200 rows a day: a month's report grouped
 * ~5,000 rows three times, most of its time). They follow agg_day_sales through its own triggers
 * (the upserts of the moves fire them), so they always equal its GROUP BY; the migration builds
 * them from it once.
 */
const SPLITS: { table: string; key: string; sums: string[] }[] = [
  { table: 'agg_day_state', key: 'state', sums: ['n', 'total', 'gross', 'change', 'discount', 'discounted'] },
  { table: 'agg_day_hour', key: 'hour, state', sums: ['n', 'total'] },
  { table: 'agg_day_operator', key: 'operator_id, state', sums: ['n', 'total'] },
];

/** Adds to each split the sums of `row`, less those of `minus` when given (an update's difference). */
function splitStatements(row: 'NEW' | 'OLD', sign: '' | '-', minus?: 'OLD'): string {
  return SPLITS.map((s) => {
    const keys = ['day', 'terminal_id', ...s.key.split(', ')];
    const sums = s.sums.map((c) => (minus ? `NEW.${c} - OLD.${c}` : `${sign}${row}.${c}`));
    return `
  INSERT INTO ${s.table}(${keys.join(', ')}, ${s.sums.join(', ')})
  VALUES (${keys.map((k) => `${row}.${k}`).join(', ')}, ${sums.join(', ')})
  ON CONFLICT DO UPDATE SET ${add(s.sums)};`;
  }).join('');
}

/** Whether an update of agg_day_sales kept the row's key (the moves' upserts only change sums). */
const SAME_KEY = ['day', 'terminal_id', 'hour', 'operator_id', 'state'].map((k) => `NEW.${k} IS OLD.${k}`).join(' AND ');

export const SPLITS_DDL = `
CREATE TABLE agg_day_state (day TEXT NOT NULL, terminal_id TEXT NOT NULL, state TEXT NOT NULL,
  n INTEGER NOT NULL, total INTEGER NOT NULL, gross INTEGER NOT NULL, change INTEGER NOT NULL, discount INTEGER NOT NULL, discounted INTEGER NOT NULL,
  PRIMARY KEY (day, terminal_id, state)) STRICT, WITHOUT ROWID;
CREATE TABLE agg_day_hour (day TEXT NOT NULL, terminal_id TEXT NOT NULL, hour INTEGER NOT NULL, state TEXT NOT NULL,
  n INTEGER NOT NULL, total INTEGER NOT NULL, PRIMARY KEY (day, terminal_id, hour, state)) STRICT, WITHOUT ROWID;
CREATE TABLE agg_day_operator (day TEXT NOT NULL, terminal_id TEXT NOT NULL, operator_id TEXT NOT NULL, state TEXT NOT NULL,
  n INTEGER NOT NULL, total INTEGER NOT NULL, PRIMARY KEY (day, terminal_id, operator_id, state)) STRICT, WITHOUT ROWID;
-- An upsert that updates fires the UPDATE trigger (not the INSERT one): each applies its difference.
CREATE TRIGGER agg_day_sales_insert AFTER INSERT ON agg_day_sales BEGIN${splitStatements('NEW', '')}
END;
CREATE TRIGGER agg_day_sales_delete AFTER DELETE ON agg_day_sales BEGIN${splitStatements('OLD', '-')}
END;
CREATE TRIGGER agg_day_sales_update AFTER UPDATE ON agg_day_sales WHEN ${SAME_KEY} BEGIN${splitStatements('NEW', '', 'OLD')}
END;
CREATE TRIGGER agg_day_sales_rekey AFTER UPDATE ON agg_day_sales WHEN NOT (${SAME_KEY}) BEGIN${splitStatements('OLD', '-')}${splitStatements('NEW', '')}
END;
${SPLITS.map(
  (s) =>
    `INSERT INTO ${s.table}(day, terminal_id, ${s.key}, ${s.sums.join(', ')})
SELECT day, terminal_id, ${s.key}, ${s.sums.map((c) => `SUM(${c})`).join(', ')} FROM agg_day_sales GROUP BY day, terminal_id, ${s.key};`,
).join('\n')}
`;
