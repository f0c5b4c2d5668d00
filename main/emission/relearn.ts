// Re-learning from Focus the sales a rolled-back journal lost. The high-water mark says how far the
// journal had been (last sale id, highest attempt) and which ref generations were in use; every
// ref the missing sales could have used is asked with GET. Each note Focus has is written back as a
// recovered sale (its items, payments and totals from Focus's own copy of the request), so the
// history, cancellation and backups know it again. Only when every ref got an answer does the
// journal accept its new extent and selling resume.
import type { Journal } from '../db/journal.ts';
import { makeRef } from '../db/sales-repo.ts';
import type { FocusApi, FocusDocument } from '../focus/types.ts';
import type { Generation } from '../db/mark.ts';
import type { EmissionPatch } from '../db/types.ts';
import type { EmissionState } from '../../shared/emission.ts';
import type { Environment } from '../../shared/sale.ts';
import { answerOf, decideQuery } from './outcomes.ts';
import type { FocusScheduler } from './scheduler.ts';

export interface RelearnReport {
  /** Refs asked. */
  asked: number;
  /** Notes Focus had and the journal got back. */
  recovered: number;
  /** Refs Focus could not answer for (network, 5xx): the journal still refuses to sell. */
  unresolved: number;
}

export interface RelearnDeps {
  journal: Journal;
  api: FocusApi;
  scheduler: FocusScheduler;
  terminalId: string;
  environment: Environment;
  queryDeadlineMs: number;
  now: () => number;
}

/** At most this many generations are tried for an attempt > 1 (created after a later open). */
const LATER_GENERATIONS = 3;
const MAX_ATTEMPTS = 3;

/**
 * The refs a sale id beyond the journal's end may have used. A generation that kept its range is
 * asked exactly when the id is in it (every attempt up to the mark's highest); generations from marks
 * written before ranges were kept: the one open when the id was numbered, then later ones for later
 * attempts.
 */
export function candidateRefs(terminalId: string, gens: readonly Generation[], saleId: number, maxAttempt: number): string[] {
  const attempts = Math.min(Math.max(1, maxAttempt), MAX_ATTEMPTS);
  const out = new Set<string>();
  for (const g of gens) {
    if (g.firstSaleId == null || g.lastSaleId == null || saleId < g.firstSaleId || saleId > g.lastSaleId) continue;
    for (let attempt = 1; attempt <= attempts; attempt++) out.add(makeRef(terminalId, g.tag, saleId, attempt));
  }
  const legacy = gens.filter((g) => g.firstSaleId === undefined);
  let idx = -1;
  legacy.forEach((g, i) => {
    if (g.fromSaleId <= saleId) idx = i;
  });
  if (idx < 0) return [...out];
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const span = attempt === 1 ? 1 : LATER_GENERATIONS;
    for (const g of legacy.slice(idx, idx + span)) out.add(makeRef(terminalId, g.tag, saleId, attempt));
  }
  return [...out];
}

export async function relearnFromFocus(d: RelearnDeps): Promise<RelearnReport> {
  const refusal = d.journal.refusal();
  if (!refusal) return { asked: 0, recovered: 0, unresolved: 0 };
  const { mark, extent } = refusal;
  // This open's generation never numbered a missing sale: leave it out.
  const gens = mark.generations.filter((g) => g.tag !== d.journal.tag);
  const report: RelearnReport = { asked: 0, recovered: 0, unresolved: 0 };
  for (let saleId = extent.lastSaleId + 1; saleId <= mark.lastSaleId; saleId++) {
    for (const ref of candidateRefs(d.terminalId, gens, saleId, mark.maxAttempt)) {
      if (d.journal.emissions.getByRef(ref)) continue;
      report.asked++;
      const o = await d.scheduler.run('resolve', () => d.api.query(ref, { deadlineMs: d.queryDeadlineMs, completa: true }));
      const decision = decideQuery(o);
      if (decision.kind === 'resend') continue; // 404: Focus never had this ref
      if (decision.kind !== 'adopt' || o.kind !== 'ok') {
        report.unresolved++;
        continue;
      }
      writeBack(d, saleId, ref, o.body, decision.to, decision.patch, answerOf('query', o, d.now()));
      report.recovered++;
    }
  }
  d.journal.audit.add({ actor: 'system', action: 'journal_relearn', details: { ...report, from: extent.lastSaleId + 1, to: mark.lastSaleId } });
  if (report.unresolved === 0) d.journal.acceptExtent();
  return report;
}

const cents = (v: unknown): number => {
  const n = typeof v === 'number' ? v : Number(String(v ?? '0'));
  return Number.isFinite(n) ? Math.round(n * 100) : 0;
};
const str = (v: unknown, fallback = ''): string => (v === undefined || v === null || v === '' ? fallback : String(v));

function writeBack(
  d: RelearnDeps,
  saleId: number,
  ref: string,
  doc: FocusDocument,
  state: EmissionState,
  patch: EmissionPatch,
  answer: ReturnType<typeof answerOf>,
): void {
  const req = doc.requisicao_nota_fiscal ?? {};
  const when = str(req.data_emissao ?? doc.data_emissao, new Date(d.now()).toISOString());
  const whenMs = Number.isFinite(Date.parse(when)) ? Date.parse(when) : d.now();
  const items = (Array.isArray(req.items) ? req.items : []) as Record<string, unknown>[];
  const payments = (Array.isArray(req.formas_pagamento) ? req.formas_pagamento : []) as Record<string, unknown>[];
  const total = cents(req.valor_total);
  const db = d.journal.db;
  d.journal.transaction(() => {
    db.prepare(
      `INSERT INTO sales(id, client_id, terminal_id, operator_id, created_at, created_ms, local_day, customer_document, customer_name,
         customer_email, gross_cents, discount_cents, total_cents, paid_cents, change_cents, approx_tax_cents)
       VALUES (?, ?, ?, 'recuperada', ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?)`,
    ).run(
      saleId,
      `recovered_${ref}`,
      d.terminalId,
      when,
      whenMs,
      when.slice(0, 10),
      str(req.cpf_destinatario ?? req.cnpj_destinatario) || null,
      cents(req.valor_produtos),
      cents(req.valor_desconto),
      total,
      total + cents(req.valor_troco),
      cents(req.valor_troco),
      cents(req.valor_total_tributos),
    );
    const item = db.prepare(
      `INSERT INTO sale_items(sale_id, seq, product_id, code, gtin, description, unit, ncm, cfop, cest, origin, icms, icms_rate_bp,
         approx_tax_bp, qty_e4, unit_price_cents, gross_cents, discount_cents, total_cents, approx_tax_cents)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?, ?)`,
    );
    items.forEach((it, i) => {
      const gtin = str(it.codigo_barras_comercial);
      const gross = cents(it.valor_bruto);
      const discount = cents(it.valor_desconto);
      item.run(
        saleId,
        i + 1,
        str(it.codigo_produto, '?'),
        str(it.codigo_produto, '?'),
        gtin && gtin !== 'SEM GTIN' ? gtin : null,
        str(it.descricao, '?'),
        str(it.unidade_comercial, 'UN'),
        str(it.codigo_ncm, '00000000'),
        str(it.cfop, '5102'),
        str(it.cest) || null,
        str(it.icms_origem, '0'),
        str(it.icms_situacao_tributaria, '102'),
        Math.round(Number(it.quantidade_comercial ?? 0) * 10_000),
        cents(it.valor_unitario_comercial),
        gross,
        discount,
        gross - discount,
        cents(it.valor_total_tributos),
      );
    });
    const pay = db.prepare('INSERT INTO payments(sale_id, seq, method, amount_cents, card_json, description) VALUES (?, ?, ?, ?, NULL, ?)');
    payments.forEach((p, i) => pay.run(saleId, i + 1, str(p.forma_pagamento, '99'), cents(p.valor_pagamento), str(p.descricao_pagamento) || null));
    const attempt = Number(ref.slice(ref.lastIndexOf('_') + 1)) || 1;
    const row = d.journal.emissions.insertAttempt(saleId, attempt, ref, d.environment, state, patch);
    d.journal.emissions.recordAnswer(row.id, answer);
    d.journal.audit.add({
      actor: 'system',
      action: 'journal_relearn_note',
      saleId,
      details: { ref, state, numero: row.numero, serie: row.serie, chave: row.chave },
    });
  });
}
