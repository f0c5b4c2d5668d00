// What happens to a note after the sale: cancellation within the 30-minute window and e-mail.
// Both go through the shared scheduler and keep every Focus answer in the journal.
import type { FocusApi } from '../focus/types.ts';
import type { Journal } from '../db/journal.ts';
import type { EmissionPatch, EmissionRow } from '../db/types.ts';
import { isCancellable, isEmailable, type EmissionView } from '../../shared/emission.ts';
import { explainRejection } from '../../shared/fiscal/rejections.ts';
import type { FocusScheduler } from './scheduler.ts';
import { answerOf, documentPatch } from './outcomes.ts';
import { cancelDeadlineOf, toEmissionView } from './views.ts';
import { EmissionError, type Clock } from './types.ts';
import { SIDE_EFFECT_RESOLVERS } from './side-effects.ts';

const EMAIL_RE = /^[^\s@<>(),;:"[\]]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,}$/;

export interface AfterSaleDeps {
  journal: Journal;
  api: FocusApi;
  scheduler: FocusScheduler;
  clock: Clock;
  emitDeadlineMs: number;
  queryDeadlineMs: number;
  /** Called after a committed change (publish the event, archive the cancel XML). */
  changed: (row: EmissionRow) => void;
}

export class AfterSale {
  readonly #journal: Journal;
  readonly #api: FocusApi;
  readonly #scheduler: FocusScheduler;
  readonly #clock: Clock;
  readonly #emitDeadlineMs: number;
  readonly #queryDeadlineMs: number;
  readonly #changed: (row: EmissionRow) => void;

  constructor(d: AfterSaleDeps) {
    this.#journal = d.journal;
    this.#api = d.api;
    this.#scheduler = d.scheduler;
    this.#clock = d.clock;
    this.#emitDeadlineMs = d.emitDeadlineMs;
    this.#queryDeadlineMs = d.queryDeadlineMs;
    this.#changed = d.changed;
  }

  /** Cancels an authorized note (DELETE with justificativa) within the 30-minute window. */
  async cancel(saleId: number, justificativa: string, actor: string): Promise<EmissionView> {
    const row = this.#journal.emissions.latestForSale(saleId);
    if (!row) throw new EmissionError('sale_not_found', `Venda ${saleId} não encontrada.`);
    return this.cancelEmission(row.id, justificativa, actor);
  }

  /** Same as cancel() for a given attempt (the offline flow cancels a superseded online attempt). */
  async cancelEmission(emissionId: number, justificativa: string, actor: string): Promise<EmissionView> {
    const row = this.#journal.emissions.get(emissionId);
    if (!row) throw new EmissionError('sale_not_found', `Emissão ${emissionId} não encontrada.`);
    const just = justificativa.trim().replace(/\s+/g, ' ');
    if (just.length < 15 || just.length > 255 || /[\u0000-\u001f\u007f]/.test(just)) {
      throw new EmissionError('invalid_justificativa', 'A justificativa do cancelamento deve ter entre 15 e 255 caracteres.');
    }
    if (row.state === 'cancelled') return toEmissionView(row);
    // A cancellation an earlier run sent without hearing the answer: learn it before anything else.
    for (const pending of this.#journal.sideEffects.listPending()) {
      if (pending.kind === 'cancel' && pending.emissionId === row.id) {
        await SIDE_EFFECT_RESOLVERS.cancel!(pending, {
          journal: this.#journal,
          api: this.#api,
          scheduler: this.#scheduler,
          clock: this.#clock,
          queryDeadlineMs: this.#queryDeadlineMs,
          changed: this.#changed,
        });
      }
    }
    const current = this.#journal.emissions.require(row.id);
    if (current.state === 'cancelled') return toEmissionView(current);
    if (!isCancellable(row.state)) {
      throw new EmissionError('not_authorized', 'Só é possível cancelar uma nota autorizada.');
    }
    const deadline = cancelDeadlineOf(row);
    if (deadline !== null && this.#clock.now() > deadline) {
      throw new EmissionError('cancel_window_closed', 'O prazo de 30 minutos para cancelar esta NFC-e terminou. Procure o contador para regularizar a venda.');
    }
    // Intent before action: a crash while the DELETE is out is resolved at the next start (GET).
    const intent = this.#journal.sideEffects.begin({
      kind: 'cancel',
      saleId: row.saleId,
      emissionId: row.id,
      ref: row.ref,
      actor,
      payload: { justificativa: just },
    });
    const settle = (state: 'done' | 'failed', result: Record<string, unknown>) => this.#journal.sideEffects.settle(intent.id, state, result);
    const outcome = await this.#scheduler.run('emission', () => this.#api.cancel(row.ref, just, { deadlineMs: this.#emitDeadlineMs }));
    this.#journal.emissions.recordAnswer(row.id, answerOf('cancel', outcome, this.#clock.now()));
    const adoptCancelled = (patch: EmissionPatch) => {
      const moved = this.#journal.transaction(() => {
        settle('done', { status: 'cancelado' });
        const m = this.#journal.emissions.transition(row.id, 'authorized', 'cancelled', patch);
        if (m) this.#journal.audit.add({ actor, action: 'cancel', saleId: row.saleId, details: { ref: row.ref, justificativa: just } });
        return m;
      });
      const now = moved ?? this.#journal.emissions.require(row.id);
      if (moved) this.#changed(moved);
      return toEmissionView(now);
    };
    if (outcome.kind === 'ok') {
      const b = outcome.body;
      if (b.status === 'cancelado') {
        return adoptCancelled({
          caminhoXmlCancel: typeof b.caminho_xml_cancelamento === 'string' ? b.caminho_xml_cancelamento : null,
          statusSefaz: b.status_sefaz ?? null,
          mensagemSefaz: b.mensagem_sefaz ?? null,
        });
      }
      const p = explainRejection(b.status_sefaz, b.mensagem_sefaz);
      // 501: past SEFAZ's deadline (our clock and SEFAZ's may differ by a little). Nothing to resend.
      const code = String(b.status_sefaz ?? '') === '501' ? 'cancel_window_closed' : 'cancel_refused';
      settle('failed', { status: b.status, statusSefaz: b.status_sefaz ?? null });
      throw new EmissionError(code, `A SEFAZ recusou o cancelamento: ${p.title}. ${p.fix}`);
    }
    if (outcome.kind === 'api-error' && outcome.error.codigo !== 'nfe_cancelada') {
      const p = explainRejection(undefined, outcome.error.mensagem, outcome.error.codigo);
      settle('failed', { codigo: outcome.error.codigo });
      throw new EmissionError('cancel_refused', `A Focus recusou o cancelamento: ${p.title}. ${p.fix}`);
    }
    if (outcome.kind === 'never-sent') {
      settle('failed', { neverSent: true });
      throw new EmissionError('focus_unreachable', 'Sem comunicação com a Focus NFe: o cancelamento não foi enviado. Verifique a internet e tente de novo.');
    }
    // Already cancelled, or the answer was lost: ask Focus what the note is now.
    const q = await this.#scheduler.run('emission', () => this.#api.query(row.ref, { deadlineMs: this.#queryDeadlineMs }));
    this.#journal.emissions.recordAnswer(row.id, answerOf('query', q, this.#clock.now()));
    if (q.kind === 'ok' && q.body.status === 'cancelado') return adoptCancelled(documentPatch(q.body));
    if (q.kind === 'ok' && q.body.status === 'autorizado') settle('failed', { status: 'autorizado' });
    throw new EmissionError(
      'cancel_unconfirmed',
      'Não foi possível confirmar o cancelamento com a Focus NFe. A nota continua autorizada; tente cancelar de novo.',
    );
  }

  /** Asks Focus to e-mail the note (≤ 10 addresses). */
  async email(saleId: number, emails: string[], actor: string): Promise<void> {
    const row = this.#journal.emissions.latestForSale(saleId);
    if (!row) throw new EmissionError('sale_not_found', `Venda ${saleId} não encontrada.`);
    const list = [...new Set(emails.map((e) => e.trim()))].filter(Boolean);
    if (list.length === 0 || list.length > 10 || list.some((e) => e.length > 254 || !EMAIL_RE.test(e))) {
      throw new EmissionError('invalid_emails', 'Informe de 1 a 10 endereços de e-mail válidos.');
    }
    if (!isEmailable(row.state)) {
      throw new EmissionError('not_authorized', 'Só é possível enviar por e-mail uma nota autorizada.');
    }
    const intent = this.#journal.sideEffects.begin({ kind: 'email', saleId, emissionId: row.id, ref: row.ref, actor, payload: { emails: list } });
    const out = await this.#scheduler.run('resolve', () => this.#api.email(row.ref, list, { deadlineMs: this.#queryDeadlineMs }));
    this.#journal.emissions.recordAnswer(row.id, answerOf('email', out, this.#clock.now()));
    this.#journal.sideEffects.settle(intent.id, out.kind === 'ok' ? 'done' : 'failed', { kind: out.kind });
    if (out.kind === 'ok') {
      this.#journal.audit.add({ actor, action: 'email', saleId, details: { ref: row.ref, emails: list } });
      return;
    }
    if (out.kind === 'never-sent' || out.kind === 'unknown-outcome') {
      throw new EmissionError('focus_unreachable', 'Sem comunicação com a Focus NFe: o e-mail não foi pedido. Tente de novo em instantes.');
    }
    const p = explainRejection(undefined, out.error.mensagem, out.error.codigo);
    throw new EmissionError('focus_error', `A Focus recusou o envio por e-mail: ${p.title}.`);
  }
}
