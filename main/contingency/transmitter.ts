// Transmission of the manual contingency backlog once the link is back (focus-nfce-api §6.2):
// POST /v2/nfce?ref=…&forma_emissao=offline with the PDV's numero, série and codigo_unico (cNF)
// and the ORIGINAL data_emissao, oldest first, through the shared scheduler so the backlog never
// meets a 429 nor takes the credits a sale at the counter needs. Each note is followed to
// authorized; Focus must return the chave that was printed, or the mismatch becomes a visible
// problem. A rejection keeps numero, série and chave (the manager fixes the data and it is resent);
// a contingency number is never inutilized.
import type { FocusApi, FocusOutcome } from '../focus/types.ts';
import type { FocusScheduler, Lane } from '../emission/scheduler.ts';
import { answerOf, decideEmit, decideQuery, type Decision } from '../emission/outcomes.ts';
import type { CatalogPort } from '../emission/types.ts';
import type { AnswerRecord, EmissionPatch, EmissionRow } from '../db/types.ts';
import type { LinkState } from '../../shared/contract.ts';
import { buildNfceRequest, NfcePayloadError } from '../../shared/nfce/payload.ts';
import { formatChave } from '../../shared/fiscal/chave.ts';
import type { ContingencyConfig } from './issuer.ts';
import type { ContingencyStore } from './store.ts';
import { NO_PROBLEM, problemPatch } from '../emission/problem.ts';

export type TransmitResult = 'authorized' | 'rejected' | 'denied' | 'unknown' | 'unreachable' | 'setup' | 'other';

export interface DrainReport {
  attempted: number;
  authorized: number;
  rejected: number;
  unknown: number;
  /** Why the drain stopped early, if it did. */
  stopped: 'offline' | 'unreachable' | 'setup' | 'closed' | null;
}

export interface TransmitterDeps {
  store: ContingencyStore;
  api: FocusApi;
  /** The engine's FocusScheduler (only run() is used). */
  scheduler: Pick<FocusScheduler, 'run'>;
  config: () => ContingencyConfig;
  linkState: () => LinkState;
  now?: () => number;
  /** Scheduler lane: 'resolve' by default — ahead of archive work, behind every sale at the counter. */
  lane?: Lane;
  /** Notes in flight at once (order is kept by dispatching oldest first). */
  concurrency?: number;
  emitDeadlineMs?: number;
  queryDeadlineMs?: number;
  catalog?: CatalogPort;
  onChange?: (row: EmissionRow) => void;
}

export const CHAVE_MISMATCH_TITLE = 'Chave autorizada diferente da impressa';

export class ContingencyTransmitter {
  private readonly d: TransmitterDeps;
  private readonly now: () => number;
  private closed = false;
  private running: Promise<DrainReport> | null = null;

  constructor(deps: TransmitterDeps) {
    this.d = deps;
    this.now = deps.now ?? Date.now;
  }

  close(): void {
    this.closed = true;
  }

  /** Sends the waiting notes; one drain at a time (a second call joins the running one). */
  drain(opts: { includeProblems?: boolean } = {}): Promise<DrainReport> {
    this.running ??= this.runDrain(opts).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /**
   * "Enviar agora": notes held by a problem (a rejection) get the products' current fiscal data
   * (the manager's fix) and their problem cleared, then everything is sent.
   */
  async sendNow(): Promise<{ queued: number }> {
    const journal = this.d.store.journal;
    const held = this.d.store.backlog({ includeProblems: true }).filter((r) => r.blockReason !== null);
    for (const row of held) {
      journal.transaction(() => {
        if (this.d.catalog) {
          const sale = journal.sales.require(row.saleId);
          for (const it of sale.items) {
            const p = this.d.catalog.getProduct(it.productId);
            if (!p) continue;
            journal.sales.updateItemFiscal(row.saleId, it.seq, p);
            journal.sales.updateItemTax(row.saleId, it.seq, p.ibsCbsCst ?? null, p.cClassTrib ?? null);
          }
        }
        journal.emissions.update(row.id, { ...NO_PROBLEM, codigoApi: null });
        journal.audit.add({
          actor: 'manager',
          action: 'resend',
          saleId: row.saleId,
          details: { ref: row.ref, contingency: true, statusSefaz: row.statusSefaz },
        });
      });
    }
    const queued = this.d.store.backlog().length;
    void this.drain().catch(() => undefined);
    return { queued };
  }

  private async runDrain(opts: { includeProblems?: boolean }): Promise<DrainReport> {
    const report: DrainReport = { attempted: 0, authorized: 0, rejected: 0, unknown: 0, stopped: null };
    const queue = this.d.store.backlog({ includeProblems: opts.includeProblems === true });
    let next = 0;
    const worker = async () => {
      while (next < queue.length && report.stopped === null) {
        if (this.closed) {
          report.stopped = 'closed';
          return;
        }
        if (this.d.linkState() === 'offline') {
          report.stopped = 'offline';
          return;
        }
        const row = queue[next++] as EmissionRow;
        report.attempted++;
        const r = await this.transmitOne(row.id);
        if (r === 'authorized') report.authorized++;
        else if (r === 'rejected' || r === 'denied') report.rejected++;
        else if (r === 'unknown') report.unknown++;
        else if (r === 'unreachable') report.stopped ??= 'unreachable';
        else if (r === 'setup') report.stopped ??= 'setup';
      }
    };
    const n = Math.max(1, Math.min(this.d.concurrency ?? 2, 8));
    await Promise.all(Array.from({ length: n }, worker));
    return report;
  }

  /** Sends (or, after an unanswered earlier POST, first looks up) one contingency note. */
  async transmitOne(emissionId: number): Promise<TransmitResult> {
    const journal = this.d.store.journal;
    const row = journal.emissions.get(emissionId);
    if (!row || row.state !== 'contingency' || row.tpEmis !== '9') return 'other';
    const lane = this.d.lane ?? 'resolve';

    if (row.posts > 0) {
      // An earlier POST may have been processed (crash, timeout): ask before sending again.
      const q = await this.run(lane, () => this.d.api.query(row.ref, { deadlineMs: this.d.queryDeadlineMs ?? 15_000, completa: true }));
      if (q === null) return 'other';
      const decision = decideQuery(q);
      // A known rejection frees the ref (focus-nfce-api §1.5): resend with the data as it is now.
      const rejected = decision.kind === 'adopt' && decision.to === 'rejected';
      if (decision.kind === 'adopt' && !rejected) return this.apply(row, decision, answerOf('query', q, this.now()));
      journal.emissions.recordAnswer(row.id, answerOf('query', q, this.now()));
      if (decision.kind !== 'resend' && !rejected) return q.kind === 'never-sent' ? 'unreachable' : 'unknown';
      // 404 (the POST never arrived) or erro_autorizacao: send it now.
    }

    const sale = journal.sales.require(row.saleId);
    const cfg = this.d.config();
    let body: ReturnType<typeof buildNfceRequest>;
    try {
      body = buildNfceRequest({
        sale,
        emitter: cfg.emitter,
        environment: row.environment,
        offline: { numero: Number(row.numero), serie: Number(row.serie), codigoUnico: String(row.cnf) },
        ...(cfg.taxReform ? { taxReform: cfg.taxReform } : {}),
      });
    } catch (err) {
      if (!(err instanceof NfcePayloadError)) throw err;
      const updated = journal.emissions.update(
        row.id,
        problemPatch(
          'invalid_sale_data',
          'Dados da venda inválidos para a NFC-e',
          `${err.message} Corrija o cadastro do produto e use "Enviar agora" no painel de contingência.`,
        ),
      );
      this.d.onChange?.(updated);
      return 'rejected';
    }
    journal.emissions.update(row.id, { incrementPosts: true });
    const outcome = await this.run(lane, () => this.d.api.emit(row.ref, body, { offline: true, deadlineMs: this.d.emitDeadlineMs ?? 60_000, completa: true }));
    if (outcome === null) return 'other';
    return this.apply(row, decideEmit(outcome), answerOf('emit', outcome, this.now()));
  }

  private async run<T>(lane: Lane, fn: () => Promise<FocusOutcome<T>>): Promise<FocusOutcome<T> | null> {
    try {
      return await this.d.scheduler.run(lane, fn);
    } catch {
      return null; // scheduler closed
    }
  }

  private apply(row: EmissionRow, d: Decision, answer: AnswerRecord): TransmitResult {
    const em = this.d.store.journal.emissions;
    const publish = (r: EmissionRow | null) => {
      if (r) this.d.onChange?.(r);
    };
    switch (d.kind) {
      case 'adopt': {
        if (d.to === 'authorized' || d.to === 'contingency_focus') {
          const patch: EmissionPatch = { ...d.patch };
          const focusChave = patch.chave ?? null;
          if (focusChave && row.chave && focusChave !== row.chave) {
            patch.blockReason = 'chave_mismatch';
            patch.problemTitle = CHAVE_MISMATCH_TITLE;
            patch.problemFix =
              `O cupom entregue ao cliente traz a chave ${formatChave(row.chave)}, mas a nota foi autorizada com a chave ` +
              `${formatChave(focusChave)}. Reimprima o DANFCe da nota autorizada, guarde as duas vias e avise o contador.`;
          }
          if (d.to === 'authorized') {
            patch.contingenciaEfetivada = true;
            // The 30-minute cancel window of an offline note starts at its authorization (nfce-rules §4.1).
            patch.emittedMs = this.now();
          }
          publish(em.transition(row.id, 'contingency', d.to, patch, answer));
          return 'authorized';
        }
        if (d.to === 'rejected' || d.to === 'blocked') {
          // Stays 'contingency': same numero, série and chave; only the data is fixed, then resent.
          em.recordAnswer(row.id, answer);
          const fix = d.to === 'rejected' ? ' Depois de corrigir, use "Enviar agora" no painel de contingência (mesmo número e chave).' : '';
          publish(
            em.update(row.id, {
              blockReason: d.to === 'rejected' ? 'contingency_rejected' : (d.patch.blockReason ?? 'focus_setup'),
              problemTitle: d.patch.problemTitle ?? 'Nota em contingência rejeitada',
              problemFix: `${d.patch.problemFix ?? ''}${fix}`.trim(),
              statusSefaz: d.patch.statusSefaz ?? null,
              mensagemSefaz: d.patch.mensagemSefaz ?? null,
              codigoApi: d.patch.codigoApi ?? null,
            }),
          );
          return d.to === 'rejected' ? 'rejected' : 'setup';
        }
        publish(em.transition(row.id, 'contingency', d.to, d.patch, answer));
        return d.to === 'denied' ? 'denied' : 'other';
      }
      case 'resend':
        em.recordAnswer(row.id, answer);
        return 'unreachable';
      case 'unknown':
        em.recordAnswer(row.id, answer);
        return 'unknown';
      case 'ask-again':
        em.recordAnswer(row.id, answer);
        return 'unknown';
    }
  }
}
