// Intent before action for Focus side effects other than emission. A side effect (cancel,
// inutilização, e-mail, ECONF…) is journaled 'pending' BEFORE its request leaves; its answer moves
// it to 'done' or 'failed'. At start, every 'pending' one is resolved by asking Focus what happened
// (GET), exactly like emissions left 'sending'.
//
// Plugging in a new kind (e.g. 'econf'): 1) pick a kind name and a JSON payload shape; 2) call
// journal.sideEffects.begin({ kind, ... }) before the request and finish()/fail() after its answer;
// 3) register a resolver for the kind with the SideEffectResolver (main/emission/side-effects.ts):
// given the pending row, it GETs Focus and returns 'done' (with the journal changes it implies),
// 'failed', or null when it cannot tell yet. Nothing else changes.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { transaction } from './sqlite.ts';

export type SideEffectState = 'pending' | 'done' | 'failed';

export interface SideEffectRow {
  id: number;
  kind: string;
  saleId: number | null;
  emissionId: number | null;
  ref: string | null;
  state: SideEffectState;
  actor: string;
  payload: Record<string, unknown>;
  result: Record<string, unknown> | null;
  createdMs: number;
  updatedMs: number;
}

function toRow(r: Record<string, unknown>): SideEffectRow {
  return {
    id: Number(r.id),
    kind: String(r.kind),
    saleId: r.sale_id === null ? null : Number(r.sale_id),
    emissionId: r.emission_id === null ? null : Number(r.emission_id),
    ref: r.ref === null ? null : String(r.ref),
    state: String(r.state) as SideEffectState,
    actor: String(r.actor),
    payload: JSON.parse(String(r.payload)) as Record<string, unknown>,
    result: r.result === null ? null : (JSON.parse(String(r.result)) as Record<string, unknown>),
    createdMs: Number(r.created_ms),
    updatedMs: Number(r.updated_ms),
  };
}

export class SideEffectsRepo {
  readonly #db: DatabaseSync;
  readonly #now: () => number;
  readonly #insert: StatementSync;
  readonly #settle: StatementSync;
  readonly #byId: StatementSync;
  readonly #open: StatementSync;

  constructor(db: DatabaseSync, now: () => number) {
    this.#db = db;
    this.#now = now;
    this.#insert = db.prepare(
      'INSERT INTO side_effects(kind, sale_id, emission_id, ref, state, actor, payload, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.#settle = db.prepare("UPDATE side_effects SET state = ?, result = ?, updated_ms = ? WHERE id = ? AND state = 'pending'");
    this.#byId = db.prepare('SELECT * FROM side_effects WHERE id = ?');
    this.#open = db.prepare("SELECT * FROM side_effects INDEXED BY side_effects_open WHERE state = 'pending' ORDER BY id");
  }

  /** Journals the intent (committed before the caller sends anything). */
  begin(e: {
    kind: string;
    saleId?: number | null;
    emissionId?: number | null;
    ref?: string | null;
    actor: string;
    payload: Record<string, unknown>;
  }): SideEffectRow {
    return transaction(this.#db, () => {
      const now = this.#now();
      const { lastInsertRowid } = this.#insert.run(
        e.kind,
        e.saleId ?? null,
        e.emissionId ?? null,
        e.ref ?? null,
        'pending',
        e.actor,
        JSON.stringify(e.payload),
        now,
        now,
      );
      return this.get(Number(lastInsertRowid))!;
    });
  }

  /** pending → done/failed (compare-and-set: a second resolver changes nothing). */
  settle(id: number, state: 'done' | 'failed', result: Record<string, unknown>): boolean {
    return Number(this.#settle.run(state, JSON.stringify(result), this.#now(), id).changes) === 1;
  }

  get(id: number): SideEffectRow | null {
    const r = this.#byId.get(id);
    return r ? toRow(r) : null;
  }

  listPending(): SideEffectRow[] {
    return this.#open.all().map(toRow);
  }
}
