// Emission attempts and their answers. State changes are compare-and-set on the previous state,
// so two workers (or a stale one after a restart) can never both move the same emission.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import {
  canTransition,
  ENGINE_OPEN_STATES,
  FINAL_STATES,
  ARCHIVABLE_STATES,
  isBlockReason,
  sqlList,
  STATE_LABEL_PT,
  type EmissionState,
} from '../../shared/emission.ts';
import type { Environment } from '../../shared/sale.ts';
import { JournalError } from './errors.ts';
import { nn, transaction } from './sqlite.ts';
import type { AnswerRecord, EmissionPatch, EmissionRow } from './types.ts';
import { appendOutbox } from './outbox.ts';

const REPORTED_STATES: ReadonlySet<EmissionState> = new Set(['authorized', 'cancelled', 'contingency', 'contingency_focus', 'rejected', 'denied', 'blocked']);

const COLUMNS: Record<string, string> = {
  environment: 'environment',
  emittedMs: 'emitted_ms',
  numero: 'numero',
  serie: 'serie',
  chave: 'chave',
  protocolo: 'protocolo',
  authorizedAt: 'authorized_at',
  qrcodeUrl: 'qrcode_url',
  urlConsulta: 'url_consulta',
  caminhoXml: 'caminho_xml',
  caminhoDanfe: 'caminho_danfe',
  caminhoXmlCancel: 'caminho_xml_cancel',
  xmlArchivedMs: 'xml_archived_ms',
  canArchivedMs: 'can_archived_ms',
  statusSefaz: 'status_sefaz',
  mensagemSefaz: 'mensagem_sefaz',
  codigoApi: 'codigo_api',
  blockReason: 'block_reason',
  problemTitle: 'problem_title',
  problemFix: 'problem_fix',
  contingenciaOffline: 'contingencia_offline',
  contingenciaEfetivada: 'contingencia_efetivada',
  tpEmis: 'tp_emis',
  cnf: 'cnf',
  dhCont: 'dh_cont',
  xJust: 'x_just',
  offlineQr: 'offline_qr',
  payloadJson: 'payload_json',
};

/** A SQLite text column; numbers stored by older rows read back as text. */
const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : null);
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function toEmissionRow(r: Record<string, unknown>): EmissionRow {
  return {
    id: Number(r.id),
    saleId: Number(r.sale_id),
    attempt: Number(r.attempt),
    ref: String(r.ref),
    environment: String(r.environment) as Environment,
    state: String(r.state) as EmissionState,
    createdMs: Number(r.created_ms),
    updatedMs: Number(r.updated_ms),
    posts: Number(r.posts),
    emittedMs: num(r.emitted_ms),
    numero: str(r.numero),
    serie: str(r.serie),
    chave: str(r.chave),
    protocolo: str(r.protocolo),
    authorizedAt: str(r.authorized_at),
    qrcodeUrl: str(r.qrcode_url),
    urlConsulta: str(r.url_consulta),
    caminhoXml: str(r.caminho_xml),
    caminhoDanfe: str(r.caminho_danfe),
    caminhoXmlCancel: str(r.caminho_xml_cancel),
    xmlArchivedMs: num(r.xml_archived_ms),
    canArchivedMs: num(r.can_archived_ms),
    statusSefaz: str(r.status_sefaz),
    mensagemSefaz: str(r.mensagem_sefaz),
    codigoApi: str(r.codigo_api),
    blockReason: isBlockReason(r.block_reason) ? r.block_reason : null,
    problemTitle: str(r.problem_title),
    problemFix: str(r.problem_fix),
    contingenciaOffline: Number(r.contingencia_offline) === 1,
    contingenciaEfetivada: Number(r.contingencia_efetivada) === 1,
    tpEmis: str(r.tp_emis),
    cnf: str(r.cnf),
    dhCont: str(r.dh_cont),
    xJust: str(r.x_just),
    offlineQr: str(r.offline_qr),
    payloadJson: str(r.payload_json),
  };
}

function patchAssignments(patch: EmissionPatch): { sql: string[]; values: (string | number | null)[] } {
  const sql: string[] = [];
  const values: (string | number | null)[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'incrementPosts') continue;
    const col = COLUMNS[key];
    if (!col || value === undefined) continue;
    sql.push(`${col} = ?`);
    values.push(typeof value === 'boolean' ? (value ? 1 : 0) : value);
  }
  if (patch.incrementPosts) sql.push('posts = posts + 1');
  return { sql, values };
}

export class EmissionsRepo {
  readonly #db: DatabaseSync;
  readonly #now: () => number;
  readonly #byId: StatementSync;
  readonly #byRef: StatementSync;
  readonly #latest: StatementSync;
  readonly #attempts: StatementSync;
  readonly #open: StatementSync;
  readonly #insert: StatementSync;
  readonly #answer: StatementSync;
  readonly #answers: StatementSync;
  readonly #unarchived: StatementSync;
  readonly #updates = new Map<string, StatementSync>();
  /** Called with every row written (inside its transaction); the journal raises its mark from it. */
  onCommitted: ((row: EmissionRow) => void) | null = null;

  constructor(db: DatabaseSync, now: () => number) {
    this.#db = db;
    this.#now = now;
    this.#byId = db.prepare('SELECT * FROM emissions WHERE id = ?');
    this.#byRef = db.prepare('SELECT * FROM emissions WHERE ref = ?');
    this.#latest = db.prepare('SELECT * FROM emissions WHERE sale_id = ? ORDER BY attempt DESC LIMIT 1');
    this.#attempts = db.prepare('SELECT * FROM emissions WHERE sale_id = ? ORDER BY attempt');
    this.#open = db.prepare(
      `SELECT * FROM emissions WHERE state NOT IN ${sqlList(FINAL_STATES)}
       AND state IN (SELECT value FROM json_each(?)) ORDER BY id`,
    );
    this.#insert = db.prepare(
      `INSERT INTO emissions(sale_id, attempt, ref, environment, state, created_ms, updated_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#answer = db.prepare('INSERT INTO emission_answers(emission_id, at_ms, operation, kind, http_status, body) VALUES (?, ?, ?, ?, ?, ?)');
    this.#answers = db.prepare('SELECT * FROM emission_answers WHERE emission_id = ? ORDER BY id');
    this.#unarchived = db.prepare(
      `SELECT * FROM emissions INDEXED BY emissions_unarchived
       WHERE ((state IN ${sqlList(ARCHIVABLE_STATES)} AND xml_archived_ms IS NULL AND caminho_xml IS NOT NULL)
          OR (state = 'cancelled' AND can_archived_ms IS NULL AND caminho_xml_cancel IS NOT NULL))
       ORDER BY id LIMIT ?`,
    );
  }

  /**
   * The updates are built from the patch's columns (a few dozen shapes): each shape is prepared
   * once, because preparing a write also compiles the journal's triggers (report aggregates).
   */
  #stmt(sql: string): StatementSync {
    let st = this.#updates.get(sql);
    if (!st) {
      st = this.#db.prepare(sql);
      this.#updates.set(sql, st);
    }
    return st;
  }

  get(id: number): EmissionRow | null {
    const r = this.#byId.get(id);
    return r ? toEmissionRow(r) : null;
  }

  require(id: number): EmissionRow {
    const row = this.get(id);
    if (!row) throw new JournalError('emission_not_found', `Emissão ${id} não encontrada no arquivo de vendas.`);
    return row;
  }

  getByRef(ref: string): EmissionRow | null {
    const r = this.#byRef.get(ref);
    return r ? toEmissionRow(r) : null;
  }

  /** The attempt that speaks for the sale (the highest attempt number). */
  latestForSale(saleId: number): EmissionRow | null {
    const r = this.#latest.get(saleId);
    return r ? toEmissionRow(r) : null;
  }

  attemptsForSale(saleId: number): EmissionRow[] {
    return this.#attempts.all(saleId).map(toEmissionRow);
  }

  /** Emissions in any of the given non-final states (default: the engine's open states). */
  listOpen(states: readonly EmissionState[] = ENGINE_OPEN_STATES): EmissionRow[] {
    return this.#open.all(JSON.stringify(states)).map(toEmissionRow);
  }

  /** Authorized/cancelled notes whose XML is not archived locally yet. */
  listUnarchived(limit = 100): EmissionRow[] {
    return this.#unarchived.all(limit).map(toEmissionRow);
  }

  /** Inserts the first attempt of a sale (used inside commitSale's transaction). */
  insertAttempt(saleId: number, attempt: number, ref: string, environment: Environment, state: EmissionState, patch: EmissionPatch = {}): EmissionRow {
    return transaction(this.#db, () => {
      const now = this.#now();
      const { lastInsertRowid } = this.#insert.run(saleId, attempt, ref, environment, state, now, now);
      const id = Number(lastInsertRowid);
      const { sql, values } = patchAssignments(patch);
      if (sql.length) this.#stmt(`UPDATE emissions SET ${sql.join(', ')} WHERE id = ?`).run(...values, id);
      const row = this.require(id);
      this.#report(row);
      return this.#written(row);
    });
  }

  /**
   * Moves an emission from one of `from` to `to`, applying `patch` and recording `answer`, in one
   * transaction. Returns the new row, or null when the emission was no longer in an expected state.
   * Throws when a from→to pair is not in the state machine (shared/emission.ts TRANSITIONS).
   */
  transition(
    id: number,
    from: EmissionState | readonly EmissionState[],
    to: EmissionState,
    patch: EmissionPatch = {},
    answer?: AnswerRecord,
  ): EmissionRow | null {
    const froms = typeof from === 'string' ? [from] : [...from];
    for (const f of froms) {
      if (!canTransition(f, to)) {
        throw new JournalError(
          'forbidden_transition',
          `Mudança de estado não permitida: "${STATE_LABEL_PT[f]}" para "${STATE_LABEL_PT[to]}". Nenhuma nota foi alterada.`,
        );
      }
    }
    return transaction(this.#db, () => {
      const { sql, values } = patchAssignments(patch);
      const sets = ['state = ?', 'updated_ms = ?', ...sql];
      const placeholders = froms.map(() => '?').join(', ');
      const res = this.#stmt(`UPDATE emissions SET ${sets.join(', ')} WHERE id = ? AND state IN (${placeholders})`).run(
        to,
        this.#now(),
        ...values,
        id,
        ...froms,
      );
      if (Number(res.changes) !== 1) return null;
      if (answer) this.recordAnswer(id, answer);
      const row = this.require(id);
      this.#report(row);
      return patch.numero !== undefined ? this.#written(row) : row;
    });
  }

  /** Updates non-state columns (archive timestamps, contingency data). */
  update(id: number, patch: EmissionPatch): EmissionRow {
    const { sql, values } = patchAssignments(patch);
    if (sql.length) {
      this.#stmt(`UPDATE emissions SET ${[...sql, 'updated_ms = ?'].join(', ')} WHERE id = ?`).run(...values, this.#now(), id);
    }
    const row = this.require(id);
    return patch.numero !== undefined ? this.#written(row) : row;
  }

  /**
   * Tells the store (same transaction) when a note reaches a state its reports count: authorized,
   * cancelled, issued in contingency, or a problem (rejected, denied, blocked). Intermediate states
   * (sending, unknown) stay local.
   */
  #report(row: EmissionRow): void {
    if (!REPORTED_STATES.has(row.state)) return;
    const clientId = String(this.#db.prepare('SELECT client_id FROM sales WHERE id = ?').get(row.saleId)?.client_id ?? '');
    const now = this.#now();
    const serie = row.serie === null ? null : Number(row.serie);
    const number = row.numero === null ? null : Number(row.numero);
    appendOutbox(this.#db, 'sale_emission', { saleId: clientId, state: row.state, serie, number, atMs: now }, now);
    if (row.state === 'rejected' || row.state === 'denied' || row.state === 'blocked') {
      appendOutbox(
        this.#db,
        'problem',
        { saleId: clientId, attempt: row.attempt, state: row.state, blockReason: row.blockReason, title: row.problemTitle, atMs: now },
        now,
      );
    }
  }

  #written(row: EmissionRow): EmissionRow {
    this.onCommitted?.(row);
    return row;
  }

  recordAnswer(emissionId: number, a: AnswerRecord): void {
    this.#answer.run(emissionId, a.atMs ?? this.#now(), a.operation, a.kind, nn(a.httpStatus ?? undefined), nn(a.body ?? undefined));
  }

  answers(emissionId: number): { id: number; atMs: number; operation: string; kind: string; httpStatus: number | null; body: string | null }[] {
    return this.#answers.all(emissionId).map((r) => ({
      id: Number(r.id),
      atMs: Number(r.at_ms),
      operation: String(r.operation),
      kind: String(r.kind),
      httpStatus: num(r.http_status),
      body: str(r.body),
    }));
  }
}
