// The cash register of one terminal, kept in the profile's journal file: the open session, its
// sangrias and suprimentos, the X and Z reports. Every movement is committed (WAL, synchronous
// FULL) with its audit entry before anything is printed, so a crash loses none, and a retried call
// with the same clientId returns the first movement instead of a second one.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { AuditRepo } from '../db/audit-repo.ts';
import { transaction } from '../db/sqlite.ts';
import { appendOutbox } from '../db/outbox.ts';
import { localDayOf } from '../../shared/datetime.ts';
import { formatBRL } from '../../shared/money.ts';
import { countTotalCents, type DenominationCounts } from '../../shared/register/denominations.ts';
import { groupOf, type DeclaredGroup } from '../../shared/register/methods.ts';
import { compareDeclaration, type ClosingLine, type Declaration, type MovementView, type RegisterReport } from '../../shared/register/report.ts';
import { addDayMovement, sessionSource } from '../reports/aggregates.ts';
import { byOperator, cancelledCarts, scopeTotals } from '../reports/figures.ts';
import { RegisterError } from './errors.ts';

export interface SessionRow {
  id: number;
  terminalId: string;
  state: 'open' | 'closed';
  openedMs: number;
  openedBy: string;
  openingCents: number;
  openingCounts: DenominationCounts | null;
  closedMs: number | null;
  zNumber: number | null;
}

export interface RegisterDeps {
  db: DatabaseSync;
  clock: () => number;
}

export interface MovementInput {
  clientId: string;
  terminalId: string;
  kind: 'sangria' | 'suprimento';
  amountCents: number;
  reason: string;
  operatorId: string;
  managerId: string;
  /** Builds the voucher text from the committed movement (id, time). */
  voucher: (m: MovementView) => string;
}

export class Register {
  /** The register's connection (reports read the journal's tables through it). */
  readonly db: DatabaseSync;
  readonly #db: DatabaseSync;
  readonly #clock: () => number;
  readonly #audit: AuditRepo;
  readonly #open: StatementSync;
  readonly #movements: StatementSync;

  constructor(deps: RegisterDeps) {
    this.db = deps.db;
    this.#db = deps.db;
    this.#clock = deps.clock;
    this.#audit = new AuditRepo(deps.db, deps.clock);
    this.#open = deps.db.prepare("SELECT * FROM register_sessions WHERE terminal_id = ? AND state = 'open'");
    this.#movements = deps.db.prepare('SELECT * FROM register_movements WHERE session_id = ? ORDER BY id');
  }

  current(terminalId: string): SessionRow | null {
    const r = this.#open.get(terminalId);
    return r ? toSession(r) : null;
  }

  requireOpen(terminalId: string): SessionRow {
    const s = this.current(terminalId);
    if (!s) throw new RegisterError('register_closed', 'O caixa está fechado. Faça a abertura na tela Caixa informando o fundo de troco antes de vender.');
    return s;
  }

  session(id: number): SessionRow {
    const r = this.#db.prepare('SELECT * FROM register_sessions WHERE id = ?').get(id);
    if (!r) throw new RegisterError('register_session_unknown', `Sessão de caixa ${id} não encontrada.`);
    return toSession(r);
  }

  open(o: { terminalId: string; operatorId: string; openingCents: number; counts: DenominationCounts | null }): SessionRow {
    return transaction(this.#db, () => {
      const existing = this.current(o.terminalId);
      if (existing) {
        throw new RegisterError(
          'register_already_open',
          `O caixa ${o.terminalId} já está aberto desde ${new Date(existing.openedMs).toLocaleString('pt-BR')}. Feche-o antes de abrir outro.`,
        );
      }
      if (o.counts && countTotalCents(o.counts) !== o.openingCents) {
        throw new RegisterError(
          'opening_count_mismatch',
          `A contagem por cédulas e moedas soma ${formatBRL(countTotalCents(o.counts))}, diferente do fundo informado (${formatBRL(o.openingCents)}). Confira a contagem.`,
        );
      }
      const now = this.#clock();
      const { lastInsertRowid } = this.#db
        .prepare("INSERT INTO register_sessions(terminal_id, state, opened_ms, opened_by, opening_cents, opening_counts) VALUES (?, 'open', ?, ?, ?, ?)")
        .run(o.terminalId, now, o.operatorId, o.openingCents, o.counts ? JSON.stringify(o.counts) : null);
      this.#audit.add({
        actor: o.operatorId,
        action: 'register_open',
        details: { terminalId: o.terminalId, sessionId: Number(lastInsertRowid), openingCents: o.openingCents },
      });
      const sessionId = Number(lastInsertRowid);
      appendOutbox(this.#db, 'register_session', sessionPayload(this.session(sessionId)), now);
      return this.session(sessionId);
    });
  }

  /** Sangria or suprimento; a sangria larger than the cash the drawer should hold is refused. */
  movement(m: MovementInput): { movement: MovementView; voucherText: string; created: boolean } {
    return transaction(this.#db, () => {
      const seen = this.#db.prepare('SELECT * FROM register_movements WHERE client_id = ?').get(m.clientId);
      if (seen) return { movement: toMovement(seen), voucherText: String(seen.voucher_text), created: false };
      const session = this.requireOpen(m.terminalId);
      if (m.kind === 'sangria') {
        const cash = this.#expected(session).cash;
        if (m.amountCents > cash) {
          throw new RegisterError(
            'sangria_exceeds_cash',
            `A sangria de ${formatBRL(m.amountCents)} é maior que o dinheiro no caixa (${formatBRL(Math.max(0, cash))}). Confira o valor; nada foi registrado.`,
          );
        }
      }
      const at = this.#clock();
      const { lastInsertRowid } = this.#db
        .prepare(
          'INSERT INTO register_movements(session_id, client_id, kind, amount_cents, reason, operator_id, manager_id, at_ms, voucher_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(session.id, m.clientId, m.kind, m.amountCents, m.reason, m.operatorId, m.managerId, at, '');
      const movement: MovementView = {
        id: Number(lastInsertRowid),
        kind: m.kind,
        amountCents: m.amountCents,
        reason: m.reason,
        operatorId: m.operatorId,
        managerId: m.managerId,
        atMs: at,
      };
      addDayMovement(this.#db, { atMs: at, terminalId: m.terminalId, kind: m.kind, cents: m.amountCents });
      const text = m.voucher(movement);
      this.#db.prepare('UPDATE register_movements SET voucher_text = ? WHERE id = ?').run(text, movement.id);
      this.#audit.add({
        actor: m.managerId,
        action: m.kind,
        atMs: at,
        details: {
          terminalId: m.terminalId,
          sessionId: session.id,
          movementId: movement.id,
          amountCents: m.amountCents,
          reason: m.reason,
          operatorId: m.operatorId,
        },
      });
      appendOutbox(
        this.#db,
        'register_movement',
        {
          movementId: movement.id,
          sessionId: session.id,
          day: localDayOf(at),
          kind: m.kind,
          amountCents: m.amountCents,
          reason: m.reason,
          operatorId: m.operatorId,
          managerId: m.managerId,
          atMs: at,
        },
        at,
      );
      return { movement, voucherText: text, created: true };
    });
  }

  movements(sessionId: number): MovementView[] {
    return this.#movements.all(sessionId).map(toMovement);
  }

  /** X report of the open session (or the kept Z of a closed one). */
  report(session: SessionRow, names: (id: string) => string): RegisterReport {
    if (session.state === 'closed') {
      const r = this.#db.prepare('SELECT z_json FROM register_sessions WHERE id = ?').get(session.id);
      return JSON.parse(String(r!.z_json)) as RegisterReport;
    }
    return this.#build(session, 'X', null, this.#clock(), names);
  }

  /**
   * Blind closing: the declaration is compared with what the journal expects, the Z is computed,
   * numbered and kept with the session in one transaction. Refused while notes are still sending.
   */
  close(o: {
    names: (id: string) => string;
    terminalId: string;
    declaration: Declaration;
    operatorId: string;
    managerId: string;
    zText: (r: RegisterReport, lines: ClosingLine[]) => string;
  }): { report: RegisterReport; lines: ClosingLine[]; zText: string } {
    return transaction(this.#db, () => {
      const session = this.requireOpen(o.terminalId);
      const now = this.#clock();
      const zNumber = Number(this.#db.prepare('SELECT COALESCE(MAX(z_number), 0) + 1 AS n FROM register_sessions WHERE terminal_id = ?').get(o.terminalId)!.n);
      const report = this.#build(session, 'Z', zNumber, now, o.names);
      if (report.notesInFlight > 0) {
        throw new RegisterError(
          'register_notes_sending',
          `Ainda há ${report.notesInFlight} nota(s) sendo enviada(s) ou verificada(s). Aguarde o envio terminar (veja Vendas, F8) e feche o caixa de novo; a contagem continua na tela.`,
        );
      }
      const lines = compareDeclaration(report.expected, o.declaration);
      const zText = o.zText(report, lines);
      this.#db
        .prepare(
          "UPDATE register_sessions SET state = 'closed', closed_ms = ?, closed_by = ?, approved_by = ?, declared_json = ?, z_number = ?, z_json = ?, z_text = ? WHERE id = ? AND state = 'open'",
        )
        .run(now, o.operatorId, o.managerId, JSON.stringify(o.declaration), zNumber, JSON.stringify(report), zText, session.id);
      this.#audit.add({
        actor: o.managerId,
        action: 'register_close',
        atMs: now,
        details: { terminalId: o.terminalId, sessionId: session.id, zNumber, lines },
      });
      appendOutbox(this.#db, 'register_session', sessionPayload(this.session(session.id)), now);
      return { report, lines, zText };
    });
  }

  /** Closed sessions of a terminal, newest first (kept Z reports). */
  closings(terminalId: string, limit = 30): { sessionId: number; zNumber: number; openedMs: number; closedMs: number; totalCents: number }[] {
    return this.#db
      .prepare("SELECT id, z_number, opened_ms, closed_ms, z_json FROM register_sessions WHERE terminal_id = ? AND state = 'closed' ORDER BY id DESC LIMIT ?")
      .all(terminalId, limit)
      .map((r) => ({
        sessionId: Number(r.id),
        zNumber: Number(r.z_number),
        openedMs: Number(r.opened_ms),
        closedMs: Number(r.closed_ms),
        totalCents: (JSON.parse(String(r.z_json)) as RegisterReport).sales.cents,
      }));
  }

  /** A closed session's kept Z with its declaration and the declared-vs-expected lines; null while open. */
  closing(sessionId: number): { report: RegisterReport; declaration: Declaration; lines: ClosingLine[] } | null {
    const session = this.session(sessionId);
    if (session.state !== 'closed') return null;
    const r = this.#db.prepare('SELECT z_json, declared_json FROM register_sessions WHERE id = ?').get(sessionId)!;
    const report = JSON.parse(String(r.z_json)) as RegisterReport;
    const declaration = JSON.parse(String(r.declared_json)) as Declaration;
    return { report, declaration, lines: compareDeclaration(report.expected, declaration) };
  }

  zText(sessionId: number): string | null {
    const r = this.#db.prepare('SELECT z_text FROM register_sessions WHERE id = ?').get(sessionId);
    return r?.z_text == null ? null : String(r.z_text);
  }

  #expected(session: SessionRow): Record<DeclaredGroup, number> {
    return this.#build(session, 'X', null, this.#clock(), String).expected;
  }

  #build(session: SessionRow, kind: 'X' | 'Z', zNumber: number | null, now: number, names: (id: string) => string): RegisterReport {
    const toMs = now + 1;
    // The session's own aggregates, kept by the journal's triggers as the sales change.
    const src = sessionSource(this.#db, session.id);
    const rows = src.cube();
    const totals = scopeTotals(rows);
    const methods = src.methods(totals.sales.changeCents);
    const movements = this.movements(session.id);
    const sum = (k: MovementView['kind']) =>
      movements.filter((m) => m.kind === k).reduce((a, m) => ({ count: a.count + 1, cents: a.cents + m.amountCents }), { count: 0, cents: 0 });
    const suprimentos = sum('suprimento');
    const sangrias = sum('sangria');
    const expected: Record<DeclaredGroup, number> = { cash: session.openingCents + suprimentos.cents - sangrias.cents, card: 0, pix: 0, other: 0 };
    for (const m of methods) expected[groupOf(m.method)] += m.amountCents;
    return {
      kind,
      zNumber,
      terminalId: session.terminalId,
      sessionId: session.id,
      openedMs: session.openedMs,
      openedBy: session.openedBy,
      closedMs: kind === 'Z' ? now : null,
      generatedMs: now,
      openingCents: session.openingCents,
      suprimentos,
      sangrias,
      sales: totals.sales,
      byMethod: methods,
      byOperator: byOperator(rows, names),
      discounts: totals.discounts,
      cancelledItems: src.extra('item_cancel'),
      cancelledSales: cancelledCarts(this.#db, { terminalId: session.terminalId, fromMs: session.openedMs, toMs }),
      cancelledNotes: totals.cancelledNotes,
      contingencyPending: totals.contingencyPending,
      notesInFlight: totals.notesInFlight,
      numbering: src.numbering(),
      expected,
      movements,
    };
  }
}

function toSession(r: Record<string, unknown>): SessionRow {
  return {
    id: Number(r.id),
    terminalId: String(r.terminal_id),
    state: String(r.state) as SessionRow['state'],
    openedMs: Number(r.opened_ms),
    openedBy: String(r.opened_by),
    openingCents: Number(r.opening_cents),
    openingCounts: r.opening_counts == null ? null : (JSON.parse(String(r.opening_counts)) as DenominationCounts),
    closedMs: r.closed_ms == null ? null : Number(r.closed_ms),
    zNumber: r.z_number == null ? null : Number(r.z_number),
  };
}

function toMovement(r: Record<string, unknown>): MovementView {
  return {
    id: Number(r.id),
    kind: String(r.kind) as MovementView['kind'],
    amountCents: Number(r.amount_cents),
    reason: String(r.reason),
    operatorId: String(r.operator_id),
    managerId: String(r.manager_id),
    atMs: Number(r.at_ms),
  };
}

/** The store's view of a session (shared/store/protocol.ts RegisterSessionPayload); sent at opening and closing. */
function sessionPayload(s: SessionRow) {
  return {
    sessionId: s.id,
    day: localDayOf(s.openedMs),
    openedMs: s.openedMs,
    openedBy: s.openedBy,
    openingCents: s.openingCents,
    closedMs: s.closedMs,
    zNumber: s.zNumber,
  };
}
