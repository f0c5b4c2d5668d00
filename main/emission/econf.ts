// ECONF (Evento de Conciliação Financeira): payment data attached to an authorized NFC-e after the
// sale, e.g. a PIX whose endToEndId arrived after the note, or where the UF asks for it. Like every
// Focus side effect, the intent is committed to the journal before the POST — a row of the shared
// side_effects table (kind 'econf', pending until Focus's answer settles it) and the event's own row
// ('pending', then 'sending' right before it leaves). At start this service resolves the pending
// side effects of its kind: one whose POST never left is sent; one that may have left ('sending',
// or 'unknown' after a lost answer) is never re-POSTed on its own (Focus offers no lookup by ref
// for an event whose protocol we never learned): it is closed as unconfirmed and the manager sees it.
import type { FocusApi, FocusEconfDetalhe, FocusEconfResult, FocusOutcome } from '../focus/types.ts';
import type { Journal } from '../db/journal.ts';
import type { EconfPaymentInput, EconfView } from '../../shared/contract.ts';
import type { Payment, Sale } from '../../shared/sale.ts';
import { explainRejection } from '../../shared/fiscal/rejections.ts';
import { centsToDecimal } from '../../shared/money.ts';
import type { FocusScheduler } from './scheduler.ts';
import { EmissionError, type Clock } from './types.ts';

/** Cash never needs reconciliation; every other method may (cards, PIX, transfers, vouchers…). */
export function econfEligible(p: Payment): boolean {
  return p.method !== '01' && p.method !== '90';
}

/** The detalhes_pagamento of a sale's electronic payments, with what the manager completed. */
export function econfDetails(sale: Sale, overrides: readonly EconfPaymentInput[] = []): FocusEconfDetalhe[] {
  const date = sale.createdAt.slice(0, 10);
  const out: FocusEconfDetalhe[] = [];
  sale.payments.forEach((p, i) => {
    if (!econfEligible(p)) return;
    const o = overrides.find((x) => x.seq === i + 1);
    const d: FocusEconfDetalhe = { forma_pagamento: p.method, valor_pagamento: centsToDecimal(p.amountCents), data_pagamento: date, indicador_pagamento: '0' };
    if (p.description) d.descricao_pagamento = p.description;
    const cnpj = o?.institutionCnpj ?? p.card?.acquirerCnpj;
    if (cnpj) d.cnpj_instituicao_financeira = cnpj;
    if (p.card?.brand) d.bandeira_operadora = p.card.brand;
    const aut = o?.authorization ?? p.card?.authorization;
    if (aut) d.numero_autorizacao = aut;
    out.push(d);
  });
  return out;
}

type EconfState = EconfView['state'];

interface Row {
  id: number;
  sale_id: number;
  emission_id: number;
  ref: string;
  state: EconfState;
  request_json: string;
  numero: number | null;
  protocolo: string | null;
  caminho_xml: string | null;
  status_sefaz: string | null;
  mensagem_sefaz: string | null;
  created_ms: number;
  side_effect_id: number | null;
}

/** The side_effects kind of an ECONF intent. */
const ECONF_KIND = 'econf';

export interface EconfDeps {
  journal: Journal;
  api: FocusApi;
  scheduler: FocusScheduler;
  clock: Clock;
  deadlineMs: number;
}

export class EconfService {
  readonly #d: EconfDeps;

  constructor(d: EconfDeps) {
    this.#d = d;
  }

  list(saleId: number): EconfView[] {
    const rows = this.#d.journal.db.prepare('SELECT * FROM econf_events WHERE sale_id = ? ORDER BY id').all(saleId) as unknown as Row[];
    return rows.map(toView);
  }

  /**
   * Registers the sale's electronic payments at Focus. Commits the intent first; resolves with the
   * event's state. Refuses (pt-BR, with a code) when the note is not authorized or has nothing to send.
   */
  async attach(saleId: number, actor: string, overrides: readonly EconfPaymentInput[] = []): Promise<EconfView> {
    const j = this.#d.journal;
    const emission = j.emissions.latestForSale(saleId);
    if (!emission) throw new EmissionError('sale_not_found', `Venda ${saleId} não encontrada.`);
    if (emission.state !== 'authorized')
      throw new EmissionError('not_authorized', 'A conciliação financeira (ECONF) só pode ser registrada para uma nota autorizada.');
    const sale = j.sales.require(saleId);
    const detalhes = econfDetails(sale, overrides);
    if (detalhes.length === 0)
      throw new EmissionError('econf_nothing', 'Esta venda não tem pagamento eletrônico para conciliar (dinheiro não precisa de ECONF).');
    const open = this.list(saleId).find((e) => e.state === 'pending' || e.state === 'sending' || e.state === 'unknown');
    if (open)
      throw new EmissionError('econf_open', 'Já há uma conciliação desta venda sem resposta da Focus. Confira no painel da Focus antes de registrar outra.');
    const now = this.#d.clock.now();
    const id = j.transaction(() => {
      const r = j.db
        .prepare('INSERT INTO econf_events(sale_id, emission_id, ref, state, actor, request_json, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(saleId, emission.id, emission.ref, 'pending', actor, JSON.stringify(detalhes), now, now);
      const econfId = Number(r.lastInsertRowid);
      const effect = j.sideEffects.begin({ kind: ECONF_KIND, saleId, emissionId: emission.id, ref: emission.ref, actor, payload: { econfId, detalhes } });
      j.db.prepare('UPDATE econf_events SET side_effect_id = ? WHERE id = ?').run(effect.id, econfId);
      j.audit.add({ actor, action: 'econf', saleId, details: { ref: emission.ref, pagamentos: detalhes.length } });
      return econfId;
    });
    return this.#send(id);
  }

  /**
   * The manager's way out of an ECONF left 'unknown' (its answer was lost: Focus may or may not have
   * it, and Focus offers no lookup without the protocol). Either the manager reads the protocol in
   * Focus's panel and the app asks Focus for that event (GET …/econf/PROTOCOLO): found, it is the
   * registered event; or the manager says Focus does not have it and the app sends it again as a new
   * journaled event, the unknown one kept as 'replaced'. Each step is journaled and audited.
   */
  async resolveUnknown(id: number, actor: string, how: { kind: 'check'; protocolo: string } | { kind: 'resend' }): Promise<EconfView> {
    const j = this.#d.journal;
    const row = this.#get(id);
    if (row.state !== 'unknown')
      throw new EmissionError('econf_not_unknown', 'Esta conciliação já tem resposta da Focus (ou ainda está sendo enviada): não há o que resolver.');
    if (how.kind === 'resend') {
      const detalhes = JSON.parse(row.request_json) as FocusEconfDetalhe[];
      const now = this.#d.clock.now();
      const newId = j.transaction(() => {
        this.#update(id, 'replaced', { mensagem_sefaz: `Não registrada na Focus (conferido pelo gerente): enviada de novo.` });
        this.#overrideEffect(row.side_effect_id, 'failed', { replaced: true, actor });
        const r = j.db
          .prepare('INSERT INTO econf_events(sale_id, emission_id, ref, state, actor, request_json, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
          .run(row.sale_id, row.emission_id, row.ref, 'pending', actor, row.request_json, now, now);
        const econfId = Number(r.lastInsertRowid);
        const effect = j.sideEffects.begin({
          kind: ECONF_KIND,
          saleId: row.sale_id,
          emissionId: row.emission_id,
          ref: row.ref,
          actor,
          payload: { econfId, detalhes, replaces: id },
        });
        j.db.prepare('UPDATE econf_events SET side_effect_id = ? WHERE id = ?').run(effect.id, econfId);
        j.audit.add({ actor, action: 'econf_resent', saleId: row.sale_id, details: { ref: row.ref, replaced: id, econfId } });
        return econfId;
      });
      return this.#send(newId);
    }
    const out = await this.#d.scheduler
      .run('resolve', () => this.#d.api.econfQuery(row.ref, how.protocolo, { deadlineMs: this.#d.deadlineMs }))
      .catch(() => null);
    if (out === null || out.kind === 'never-sent' || out.kind === 'unknown-outcome')
      throw new EmissionError(
        'focus_unreachable',
        'Sem comunicação com a Focus NFe: não foi possível conferir a conciliação. Tente de novo quando a conexão voltar.',
      );
    if (out.kind === 'api-error') {
      j.audit.add({
        actor,
        action: 'econf_checked',
        saleId: row.sale_id,
        details: { ref: row.ref, econfId: id, protocolo: how.protocolo, found: false, codigo: out.error.codigo },
      });
      throw new EmissionError(
        'econf_not_found',
        `A Focus não tem conciliação com o protocolo ${how.protocolo} nesta nota. Confira o número no painel da Focus; se a conciliação não aparece lá, envie de novo.`,
      );
    }
    const b = out.body;
    if (b.status !== 'autorizado')
      throw new EmissionError('econf_not_found', `A conciliação de protocolo ${how.protocolo} não está registrada na SEFAZ (${b.mensagem_sefaz ?? b.status}).`);
    j.transaction(() => {
      this.#update(id, 'authorized', {
        numero: typeof b.numero_conciliacao_financeira === 'number' ? b.numero_conciliacao_financeira : null,
        protocolo: typeof b.numero_protocolo === 'string' ? b.numero_protocolo : how.protocolo,
        caminho_xml: typeof b.caminho_xml_conciliacao_financeira === 'string' ? b.caminho_xml_conciliacao_financeira : null,
        status_sefaz: b.status_sefaz ?? null,
        mensagem_sefaz: b.mensagem_sefaz ?? null,
      });
      this.#overrideEffect(row.side_effect_id, 'done', { state: 'authorized', protocolo: how.protocolo, confirmedBy: actor });
      j.audit.add({ actor, action: 'econf_checked', saleId: row.sale_id, details: { ref: row.ref, econfId: id, protocolo: how.protocolo, found: true } });
    });
    return toView(this.#get(id));
  }

  /** Settles an ECONF side effect whatever its state (one closed as unconfirmed at start is now known). */
  #overrideEffect(effectId: number | null, state: 'done' | 'failed', result: Record<string, unknown>): void {
    if (effectId === null) return;
    this.#d.journal.db
      .prepare('UPDATE side_effects SET state = ?, result = ?, updated_ms = ? WHERE id = ?')
      .run(state, JSON.stringify(result), this.#d.clock.now(), effectId);
  }

  /** At start: the pending side effects of kind 'econf'. Sends intents that never left; closes those that may have left as unconfirmed. */
  async start(): Promise<void> {
    const j = this.#d.journal;
    const rows = j.db
      .prepare(
        `SELECT e.* FROM side_effects s JOIN econf_events e ON e.side_effect_id = s.id
         WHERE s.kind = ? AND s.state = 'pending' ORDER BY e.id`,
      )
      .all(ECONF_KIND) as unknown as Row[];
    for (const r of rows) {
      if (r.state === 'pending') {
        await this.#send(r.id).catch(() => {});
        continue;
      }
      j.transaction(() => {
        if (r.state === 'sending') {
          this.#set(r.id, 'unknown', {
            mensagem_sefaz: 'O Balcão foi fechado enquanto a conciliação era enviada. Confira no painel da Focus se ela foi registrada.',
          });
        } else if (r.state !== 'unknown') {
          // Answered, but the settle was lost with the process: settle it from the event's own state.
          this.#settleEffect(r.id, r.state);
          return;
        }
        j.sideEffects.settle(r.side_effect_id!, 'failed', { unconfirmed: true, learnedAtStart: true });
        j.audit.add({ actor: 'system', action: 'econf_unconfirmed', saleId: r.sale_id, details: { ref: r.ref, econfId: r.id } });
      });
    }
  }

  async #send(id: number): Promise<EconfView> {
    const row = this.#get(id);
    const moved = this.#d.journal.db
      .prepare("UPDATE econf_events SET state = 'sending', updated_ms = ? WHERE id = ? AND state = 'pending'")
      .run(this.#d.clock.now(), id);
    if (Number(moved.changes) !== 1) return toView(this.#get(id));
    const detalhes = JSON.parse(row.request_json) as FocusEconfDetalhe[];
    const out: FocusOutcome<FocusEconfResult> | null = await this.#d.scheduler
      .run('resolve', () => this.#d.api.econf(row.ref, detalhes, { deadlineMs: this.#d.deadlineMs }))
      .catch(() => null);
    if (out === null || out.kind === 'never-sent') {
      // Nothing left this machine: the intent stays pending and is sent at the next start or retry.
      this.#set(id, 'pending', { mensagem_sefaz: 'Sem comunicação com a Focus NFe: a conciliação será enviada de novo.' });
      throw new EmissionError('focus_unreachable', 'Sem comunicação com a Focus NFe: a conciliação ficou guardada e será enviada quando a conexão voltar.');
    }
    if (out.kind === 'unknown-outcome') {
      this.#set(id, 'unknown', { mensagem_sefaz: 'A resposta da Focus não chegou. Confira no painel da Focus se a conciliação foi registrada.' });
      return toView(this.#get(id));
    }
    if (out.kind === 'api-error') {
      const p = explainRejection(undefined, out.error.mensagem, out.error.codigo);
      this.#set(id, 'rejected', { mensagem_sefaz: `${p.title}. ${out.error.mensagem}` });
      return toView(this.#get(id));
    }
    const b = out.body;
    if (b.status === 'autorizado') {
      this.#set(id, 'authorized', {
        numero: typeof b.numero_conciliacao_financeira === 'number' ? b.numero_conciliacao_financeira : null,
        protocolo: typeof b.numero_protocolo === 'string' ? b.numero_protocolo : null,
        caminho_xml: typeof b.caminho_xml_conciliacao_financeira === 'string' ? b.caminho_xml_conciliacao_financeira : null,
        status_sefaz: b.status_sefaz ?? null,
        mensagem_sefaz: b.mensagem_sefaz ?? null,
      });
    } else {
      this.#set(id, 'rejected', { status_sefaz: b.status_sefaz ?? null, mensagem_sefaz: b.mensagem_sefaz ?? null });
    }
    return toView(this.#get(id));
  }

  #get(id: number): Row {
    const r = this.#d.journal.db.prepare('SELECT * FROM econf_events WHERE id = ?').get(id) as unknown as Row | undefined;
    if (!r) throw new EmissionError('sale_not_found', `Conciliação ${id} não encontrada.`);
    return r;
  }

  /** An answered event settles its side effect (authorized: done; rejected: failed); other states leave it pending. */
  #settleEffect(id: number, state: EconfState): void {
    if (state !== 'authorized' && state !== 'rejected') return;
    const effect = this.#d.journal.db.prepare('SELECT side_effect_id FROM econf_events WHERE id = ?').get(id)?.side_effect_id;
    if (effect !== null && effect !== undefined) this.#d.journal.sideEffects.settle(Number(effect), state === 'authorized' ? 'done' : 'failed', { state });
  }

  #set(id: number, state: EconfState, f: Partial<Pick<Row, 'numero' | 'protocolo' | 'caminho_xml' | 'status_sefaz' | 'mensagem_sefaz'>>): void {
    this.#d.journal.transaction(() => {
      this.#update(id, state, f);
      this.#settleEffect(id, state);
    });
  }

  #update(id: number, state: EconfState, f: Partial<Pick<Row, 'numero' | 'protocolo' | 'caminho_xml' | 'status_sefaz' | 'mensagem_sefaz'>>): void {
    this.#d.journal.db
      .prepare(
        `UPDATE econf_events SET state = ?, numero = COALESCE(?, numero), protocolo = COALESCE(?, protocolo), caminho_xml = COALESCE(?, caminho_xml),
           status_sefaz = ?, mensagem_sefaz = ?, updated_ms = ? WHERE id = ?`,
      )
      .run(state, f.numero ?? null, f.protocolo ?? null, f.caminho_xml ?? null, f.status_sefaz ?? null, f.mensagem_sefaz ?? null, this.#d.clock.now(), id);
  }
}

function toView(r: Row): EconfView {
  const detalhes = JSON.parse(r.request_json) as FocusEconfDetalhe[];
  return {
    id: Number(r.id),
    saleId: Number(r.sale_id),
    state: r.state,
    numero: r.numero === null ? null : Number(r.numero),
    protocolo: r.protocolo,
    statusSefaz: r.status_sefaz,
    message: r.mensagem_sefaz,
    createdMs: Number(r.created_ms),
    payments: detalhes.map((d) => ({ method: d.forma_pagamento, amount: d.valor_pagamento, authorization: d.numero_autorizacao ?? null })),
  };
}
