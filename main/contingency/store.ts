// The offline flow's reads and writes on the sales journal. The one rule that matters: the
// contingency number is taken from contingency_counters and the emission row that uses it is
// inserted in the SAME transaction, so a crash either leaves both or neither — a number printed on
// paper is never handed out twice, and a number never printed is never skipped silently.
import type { Journal } from '../db/journal.ts';
import { makeRef } from '../db/sales-repo.ts';
import { toEmissionRow } from '../db/emissions-repo.ts';
import type { EmissionPatch, EmissionRow } from '../db/types.ts';
import { CONTINGENCY_BLOCKS, CONTINGENCY_STATES, ENGINE_OPEN_STATES, LIVE_STATES, sqlList, type EmissionState } from '../../shared/emission.ts';
import { NO_PROBLEM } from '../emission/problem.ts';
import type { Environment } from '../../shared/sale.ts';

export interface IssueAttemptArgs {
  saleId: number;
  environment: Environment;
  cnpj: string;
  serie: number;
  terminalId: string;
  /** Builds the columns of the new attempt once its number is known (chave, cNF, QR…). */
  build: (numero: number) => EmissionPatch;
  /** Earlier attempt that never left (pending/blocked): superseded in the same transaction, if still so. */
  supersede?: { id: number; from: readonly EmissionState[] };
}

export interface BacklogOptions {
  /** Also return notes that carry a problem (a rejection waiting for the manager's fix). */
  includeProblems?: boolean;
  limit?: number;
}

export class ContingencyStore {
  readonly journal: Journal;

  constructor(journal: Journal) {
    this.journal = journal;
  }

  /** The next number the counter would hand out (for display and tests). */
  peekNext(cnpj: string, environment: Environment, serie: number): number {
    const r = this.journal.db
      .prepare('SELECT next_numero FROM contingency_counters WHERE cnpj = ? AND environment = ? AND serie = ?')
      .get(cnpj, environment, String(serie));
    return r ? Number(r.next_numero) : this.seed(cnpj, environment, serie);
  }

  /** Highest number already used in this série + 1 (a counter row lost with an old file is rebuilt safely). */
  private seed(cnpj: string, environment: Environment, serie: number): number {
    const r = this.journal.db
      .prepare(
        `SELECT MAX(CAST(numero AS INTEGER)) AS n FROM emissions
         WHERE tp_emis = '9' AND serie = ? AND environment = ? AND numero IS NOT NULL`,
      )
      .get(String(serie), environment);
    void cnpj;
    return Number(r?.n ?? 0) + 1;
  }

  /**
   * Allocates the next contingency number and inserts the sale's new attempt (state 'contingency')
   * in one transaction. Idempotent per sale: a sale that already has a live contingency attempt
   * gets that one back, with no number spent.
   */
  issueAttempt(a: IssueAttemptArgs): { row: EmissionRow; created: boolean } {
    return this.journal.transaction(() => {
      const latest = this.journal.emissions.latestForSale(a.saleId);
      if (!latest) throw new Error(`venda ${a.saleId} sem emissão no arquivo de vendas`);
      if (latest.tpEmis === '9' && latest.state !== 'superseded') return { row: latest, created: false };

      const db = this.journal.db;
      const serieText = String(a.serie);
      let numero = this.peekNext(a.cnpj, a.environment, a.serie);
      // Belt and braces: never reuse a number already on a row of this série.
      const taken = db.prepare("SELECT 1 AS x FROM emissions WHERE tp_emis = '9' AND serie = ? AND environment = ? AND CAST(numero AS INTEGER) = ?");
      for (let guard = 0; taken.get(serieText, a.environment, numero) && guard < 1_000_000; guard++) numero++;

      const patch = a.build(numero);
      const attempt = latest.attempt + 1;
      const ref = makeRef(a.terminalId, this.journal.tag, a.saleId, attempt);
      const row = this.journal.emissions.insertAttempt(a.saleId, attempt, ref, a.environment, 'contingency', {
        ...patch,
        numero: String(numero),
        serie: serieText,
        tpEmis: '9',
      });
      db.prepare(
        `INSERT INTO contingency_counters(cnpj, environment, serie, next_numero) VALUES (?, ?, ?, ?)
         ON CONFLICT(cnpj, environment, serie) DO UPDATE SET next_numero = excluded.next_numero`,
      ).run(a.cnpj, a.environment, serieText, numero + 1);
      if (a.supersede) {
        // Compare-and-set: an attempt that started sending meanwhile is reconciled later instead.
        this.journal.emissions.transition(a.supersede.id, a.supersede.from, 'superseded', { ...NO_PROBLEM });
      }
      return { row, created: true };
    });
  }

  /** Manual contingency notes waiting for transmission, oldest number first. */
  backlog(opts: BacklogOptions = {}): EmissionRow[] {
    const rows = this.journal.db
      .prepare(
        `SELECT * FROM emissions WHERE state = 'contingency'
         ${opts.includeProblems ? '' : 'AND block_reason IS NULL'}
         ORDER BY created_ms, CAST(numero AS INTEGER), id LIMIT ?`,
      )
      .all(opts.limit ?? 10_000);
    return rows.map(toEmissionRow);
  }

  byState(states: readonly EmissionState[]): EmissionRow[] {
    return this.journal.emissions.listOpen(states);
  }

  /**
   * Earlier attempts of sales whose latest attempt is a manual contingency note and that are not
   * final-and-harmless yet: they may still become (or already be) a second valid note.
   */
  earlierAttempts(): { earlier: EmissionRow; substitute: EmissionRow }[] {
    const rows = this.journal.db
      .prepare(
        `SELECT e.*, s.id AS sub_id FROM emissions e
         JOIN emissions s ON s.sale_id = e.sale_id AND s.tp_emis = '9' AND s.attempt > e.attempt
           AND s.state NOT IN ${sqlList(['superseded', 'cancelled'])}
         WHERE e.state IN ${sqlList(LIVE_STATES)}
           AND (e.tp_emis IS NULL OR e.tp_emis <> '9')
         ORDER BY e.id`,
      )
      .all();
    return rows.map((r) => ({ earlier: toEmissionRow(r), substitute: this.journal.emissions.require(Number(r.sub_id)) }));
  }

  /**
   * Rows the contingency panel shows: waiting, Focus-contingency, blocked, and any offline-flow problem.
   * A sale whose POST was already out when the offline flow could not issue it keeps its state
   * (sending/unknown) with that block reason; it is listed too, or the manager would see fewer
   * rows than pending sales while the link is down.
   */
  panelRows(): EmissionRow[] {
    return this.journal.db
      .prepare(
        `SELECT e.* FROM emissions e
         WHERE e.state IN ${sqlList([...CONTINGENCY_STATES, 'blocked'])}
            OR (e.block_reason IS NOT NULL AND e.state IN ${sqlList(LIVE_STATES)}
                AND EXISTS (SELECT 1 FROM emissions c WHERE c.sale_id = e.sale_id AND c.tp_emis = '9'))
            OR (e.state IN ${sqlList(ENGINE_OPEN_STATES)} AND e.block_reason IN ${sqlList(CONTINGENCY_BLOCKS)})
         ORDER BY e.created_ms, e.id`,
      )
      .all()
      .map(toEmissionRow);
  }

  saleInfo(saleId: number): { createdAt: string; createdMs: number; totalCents: number } | null {
    const r = this.journal.db.prepare('SELECT created_at, created_ms, total_cents FROM sales WHERE id = ?').get(saleId);
    return r ? { createdAt: String(r.created_at), createdMs: Number(r.created_ms), totalCents: Number(r.total_cents) } : null;
  }
}
