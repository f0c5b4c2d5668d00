// PIX charges in the journal file (scope 'pix'): the charge row is committed before the PSP hears
// of it, and every state change is its own commit, checked against shared/pix/charge.ts.
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { canMovePix, PIX_OPEN_STATES, PIX_STATE_LABELS, type PixChargeState, type PixChargeView, type PixKind } from '../../shared/pix/charge.ts';
import type { Migration } from '../db/migrations.ts';

export const PIX_MIGRATIONS: readonly Migration[] = [
  {
    scope: 'pix',
    version: 1,
    description: 'PIX charges',
    up: (db) => {
      db.exec(`CREATE TABLE pix_charges (
        txid TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('dynamic', 'static')),
        amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
        state TEXT NOT NULL,
        br_code TEXT,
        expires_at INTEGER,
        e2e_id TEXT,
        paid_cents INTEGER,
        paid_at TEXT,
        sale_id INTEGER,
        refund_id TEXT,
        problem_code TEXT,
        confirmed INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (client_id, seq)
      ) STRICT`);
      db.exec('CREATE INDEX pix_charges_state ON pix_charges(state)');
      db.exec('CREATE INDEX pix_charges_client ON pix_charges(client_id)');
    },
  },
];

export interface PixChargeRow {
  txid: string;
  clientId: string;
  seq: number;
  kind: PixKind;
  amountCents: number;
  state: PixChargeState;
  brCode: string | null;
  expiresAt: number | null;
  e2eId: string | null;
  paidCents: number | null;
  paidAt: string | null;
  saleId: number | null;
  refundId: string | null;
  problemCode: string | null;
  confirmed: boolean;
  createdAt: number;
  updatedAt: number;
}

export class PixTransitionError extends Error {
  readonly code = 'pix_transition';
  constructor(from: PixChargeState, to: PixChargeState) {
    super(`transição de cobrança Pix não permitida: ${from} → ${to}`);
    this.name = 'PixTransitionError';
  }
}

export interface PixPatch {
  brCode?: string | null;
  expiresAt?: number | null;
  e2eId?: string | null;
  paidCents?: number | null;
  paidAt?: string | null;
  saleId?: number | null;
  refundId?: string | null;
  problemCode?: string | null;
  confirmed?: boolean;
}

const COLUMNS: Record<keyof PixPatch, string> = {
  brCode: 'br_code',
  expiresAt: 'expires_at',
  e2eId: 'e2e_id',
  paidCents: 'paid_cents',
  paidAt: 'paid_at',
  saleId: 'sale_id',
  refundId: 'refund_id',
  problemCode: 'problem_code',
  confirmed: 'confirmed',
};

function toRow(r: Record<string, SQLInputValue>): PixChargeRow {
  const n = (v: SQLInputValue) => (v === null ? null : Number(v));
  const s = (v: SQLInputValue) => (v === null ? null : String(v));
  return {
    txid: String(r.txid),
    clientId: String(r.client_id),
    seq: Number(r.seq),
    kind: String(r.kind) as PixKind,
    amountCents: Number(r.amount_cents),
    state: String(r.state) as PixChargeState,
    brCode: s(r.br_code ?? null),
    expiresAt: n(r.expires_at ?? null),
    e2eId: s(r.e2e_id ?? null),
    paidCents: n(r.paid_cents ?? null),
    paidAt: s(r.paid_at ?? null),
    saleId: n(r.sale_id ?? null),
    refundId: s(r.refund_id ?? null),
    problemCode: s(r.problem_code ?? null),
    confirmed: Number(r.confirmed) === 1,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export class PixChargesRepo {
  readonly #db: DatabaseSync;
  readonly #now: () => number;

  constructor(db: DatabaseSync, now: () => number) {
    this.#db = db;
    this.#now = now;
  }

  insert(row: {
    txid: string;
    clientId: string;
    seq: number;
    kind: PixKind;
    amountCents: number;
    state: PixChargeState;
    brCode?: string | null;
    confirmed?: boolean;
  }): PixChargeRow {
    const now = this.#now();
    this.#db
      .prepare(
        `INSERT INTO pix_charges (txid, client_id, seq, kind, amount_cents, state, br_code, confirmed, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(row.txid, row.clientId, row.seq, row.kind, row.amountCents, row.state, row.brCode ?? null, row.confirmed === false ? 0 : 1, now, now);
    return this.require(row.txid);
  }

  get(txid: string): PixChargeRow | null {
    const r = this.#db.prepare('SELECT * FROM pix_charges WHERE txid = ?').get(txid);
    return r ? toRow(r) : null;
  }

  require(txid: string): PixChargeRow {
    const r = this.get(txid);
    if (!r) throw new Error(`cobrança Pix ${txid} não encontrada`);
    return r;
  }

  forClient(clientId: string): PixChargeRow[] {
    return this.#db
      .prepare('SELECT * FROM pix_charges WHERE client_id = ? ORDER BY seq')
      .all(clientId)
      .map((r) => toRow(r as Record<string, SQLInputValue>));
  }

  nextSeq(clientId: string): number {
    const r = this.#db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM pix_charges WHERE client_id = ?').get(clientId);
    return Number(r?.n ?? 1);
  }

  inStates(states: readonly PixChargeState[]): PixChargeRow[] {
    const marks = states.map(() => '?').join(', ');
    return this.#db
      .prepare(`SELECT * FROM pix_charges WHERE state IN (${marks}) ORDER BY created_at`)
      .all(...states)
      .map((r) => toRow(r as Record<string, SQLInputValue>));
  }

  open(): PixChargeRow[] {
    return this.inStates(PIX_OPEN_STATES);
  }

  /** Static charges not yet seen in the PSP's statement. */
  unconfirmed(): PixChargeRow[] {
    return this.#db
      .prepare("SELECT * FROM pix_charges WHERE kind = 'static' AND confirmed = 0 ORDER BY created_at")
      .all()
      .map((r) => toRow(r as Record<string, SQLInputValue>));
  }

  between(fromMs: number, toMs: number): PixChargeRow[] {
    return this.#db
      .prepare('SELECT * FROM pix_charges WHERE created_at >= ? AND created_at < ? ORDER BY created_at')
      .all(fromMs, toMs)
      .map((r) => toRow(r as Record<string, SQLInputValue>));
  }

  /** Moves a charge (checked against the state machine) and applies the patch, in one statement. */
  move(txid: string, to: PixChargeState, patch: PixPatch = {}): PixChargeRow {
    const cur = this.require(txid);
    if (cur.state !== to && !canMovePix(cur.state, to)) throw new PixTransitionError(cur.state, to);
    this.patch(txid, patch, to);
    return this.require(txid);
  }

  patch(txid: string, patch: PixPatch, state?: PixChargeState): void {
    const sets: string[] = ['updated_at = ?'];
    const values: SQLInputValue[] = [this.#now()];
    if (state) {
      sets.push('state = ?');
      values.push(state);
    }
    for (const [k, v] of Object.entries(patch) as [keyof PixPatch, PixPatch[keyof PixPatch]][]) {
      if (v === undefined) continue;
      sets.push(`${COLUMNS[k]} = ?`);
      values.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
    }
    this.#db.prepare(`UPDATE pix_charges SET ${sets.join(', ')} WHERE txid = ?`).run(...values, txid);
  }
}

export function chargeView(r: PixChargeRow, problem: (code: string) => string): PixChargeView {
  return {
    txid: r.txid,
    clientId: r.clientId,
    kind: r.kind,
    amountCents: r.amountCents,
    state: r.state,
    label: PIX_STATE_LABELS[r.state],
    brCode: r.brCode,
    expiresAt: r.expiresAt === null ? null : new Date(r.expiresAt).toISOString(),
    endToEndId: r.e2eId,
    paidCents: r.paidCents,
    saleId: r.saleId,
    createdAt: new Date(r.createdAt).toISOString(),
    unconfirmed: r.kind === 'static' && !r.confirmed,
    problem: r.problemCode ? { code: r.problemCode, message: problem(r.problemCode) } : null,
  };
}
