// Sales, their items and payments. commitSale writes the sale and its first emission attempt in one
// transaction, before anything goes on the wire; it is idempotent on the draft's clientId.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Customer, Environment, Payment, Sale, SaleItem } from '../../shared/sale.ts';
import type { EmissionState } from '../../shared/emission.ts';
import { JournalError } from './errors.ts';
import { nn, transaction } from './sqlite.ts';
import type { EmissionsRepo } from './emissions-repo.ts';
import type { AuditRepo } from './audit-repo.ts';
import type { AuditInput, CommitResult, JournalSaleSummary, NewSale, SaleListQuery } from './types.ts';
import { appendOutbox } from './outbox.ts';

/**
 * A Focus ref: [A-Za-z0-9_] only, ≤ 50 chars (12 + 6 + id + attempt + 3). The tag is the journal's
 * generation, new at every open: a restored or copied journal numbers its next sale with a new tag,
 * so it can never reuse the ref of a sale the copy lost.
 */
export function makeRef(terminalId: string, journalTag: string, saleId: number, attempt: number): string {
  const terminal = terminalId.replace(/[^A-Za-z0-9]/g, '').slice(0, 12) || 'T';
  return `${terminal}_${journalTag}_${saleId}_${attempt}`;
}

/** What the store keeps of a sale (shared/store/protocol.ts SaleEventPayload), keyed by the lane's clientId. */
function salePayload(input: NewSale, sessionId: number | null) {
  return {
    saleId: input.clientId,
    day: input.createdAt.slice(0, 10),
    atMs: input.createdMs,
    operatorId: input.operatorId,
    sessionId,
    grossCents: input.grossCents,
    discountCents: input.discountCents,
    totalCents: input.totalCents,
    changeCents: input.changeCents,
    payments: input.payments.map((p) => ({ method: p.method, amountCents: p.amountCents })),
    items: input.items.map((i) => ({ productId: i.productId, cfop: i.cfop, qtyE4: i.qtyE4, totalCents: i.totalCents })),
    emission: { state: 'pending', serie: null, number: null },
  };
}

export class SalesRepo {
  readonly #db: DatabaseSync;
  readonly #emissions: EmissionsRepo;
  readonly #audit: AuditRepo;
  readonly #journalTag: string;
  readonly #byClient: StatementSync;
  readonly #insertSale: StatementSync;
  readonly #insertItem: StatementSync;
  readonly #insertPayment: StatementSync;
  readonly #insertItemTax: StatementSync;
  readonly #itemTax: StatementSync;
  readonly #insertItemPis: StatementSync;
  readonly #itemPis: StatementSync;
  readonly #sale: StatementSync;
  readonly #items: StatementSync;
  readonly #payments: StatementSync;
  readonly #count: StatementSync;
  #sessionQuery: StatementSync | null | undefined;
  readonly #refusal: () => { code: 'journal_rolled_back'; message: string } | null;

  constructor(
    db: DatabaseSync,
    emissions: EmissionsRepo,
    audit: AuditRepo,
    journalTag: string,
    refusal: () => { code: 'journal_rolled_back'; message: string } | null = () => null,
  ) {
    this.#db = db;
    this.#refusal = refusal;
    this.#emissions = emissions;
    this.#audit = audit;
    this.#journalTag = journalTag;
    this.#byClient = db.prepare('SELECT id FROM sales WHERE client_id = ?');
    this.#insertSale = db.prepare(
      `INSERT INTO sales(client_id, terminal_id, operator_id, created_at, created_ms, local_day, customer_document,
         customer_name, customer_email, gross_cents, discount_cents, total_cents, paid_cents, change_cents, approx_tax_cents)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#insertItem = db.prepare(
      `INSERT INTO sale_items(sale_id, seq, product_id, code, gtin, description, unit, ncm, cfop, cest, origin, icms,
         icms_rate_bp, approx_tax_bp, qty_e4, unit_price_cents, gross_cents, discount_cents, total_cents, approx_tax_cents)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#insertPayment = db.prepare('INSERT INTO payments(sale_id, seq, method, amount_cents, card_json, description) VALUES (?, ?, ?, ?, ?, ?)');
    this.#insertItemTax = db.prepare('INSERT INTO sale_item_tax(sale_id, seq, ibs_cbs_cst, c_class_trib) VALUES (?, ?, ?, ?)');
    this.#itemTax = db.prepare('SELECT seq, ibs_cbs_cst, c_class_trib FROM sale_item_tax WHERE sale_id = ?');
    this.#insertItemPis = db.prepare(
      `INSERT INTO sale_item_pis(sale_id, seq, cst, pis_rate_bp, cofins_rate_bp) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(sale_id, seq) DO UPDATE SET cst = excluded.cst`,
    );
    this.#itemPis = db.prepare('SELECT seq, cst, pis_rate_bp, cofins_rate_bp FROM sale_item_pis WHERE sale_id = ?');
    this.#sale = db.prepare('SELECT * FROM sales WHERE id = ?');
    this.#items = db.prepare('SELECT * FROM sale_items WHERE sale_id = ? ORDER BY seq');
    this.#payments = db.prepare('SELECT * FROM payments WHERE sale_id = ? ORDER BY seq');
    this.#count = db.prepare('SELECT COUNT(*) AS n FROM sales');
  }

  /**
   * Commits the sale, its items, payments, optional audit entries and its first emission (state
   * 'pending') in one transaction. A clientId seen before returns the stored sale untouched.
   */
  commitSale(input: NewSale, opts: { environment: Environment; audit?: AuditInput[] }): CommitResult {
    return transaction(this.#db, () => {
      const existing = this.#byClient.get(input.clientId);
      if (existing) {
        const id = Number(existing.id);
        const emission = this.#emissions.latestForSale(id);
        if (!emission) throw new JournalError('emission_not_found', `A venda ${id} não tem emissão registrada.`);
        return { sale: this.require(id), emission, created: false };
      }
      const refused = this.#refusal();
      if (refused) throw new JournalError(refused.code, refused.message);
      const c: Customer | null = input.customer;
      const { lastInsertRowid } = this.#insertSale.run(
        input.clientId,
        input.terminalId,
        input.operatorId,
        input.createdAt,
        input.createdMs,
        input.createdAt.slice(0, 10),
        nn(c?.document),
        nn(c?.name),
        nn(c?.email),
        input.grossCents,
        input.discountCents,
        input.totalCents,
        input.paidCents,
        input.changeCents,
        input.approxTaxCents,
      );
      const saleId = Number(lastInsertRowid);
      for (const it of input.items) {
        this.#insertItem.run(
          saleId,
          it.seq,
          it.productId,
          it.code,
          it.gtin,
          it.description,
          it.unit,
          it.ncm,
          it.cfop,
          it.cest,
          it.origin,
          it.icms,
          it.icmsRateBp,
          it.approxTaxBp,
          it.qtyE4,
          it.unitPriceCents,
          it.grossCents,
          it.discountCents,
          it.totalCents,
          it.approxTaxCents,
        );
        if (it.ibsCbsCst || it.cClassTrib) this.#insertItemTax.run(saleId, it.seq, nn(it.ibsCbsCst), nn(it.cClassTrib));
        if (it.pisCofinsCst) this.#insertItemPis.run(saleId, it.seq, it.pisCofinsCst, it.pisRateBp ?? null, it.cofinsRateBp ?? null);
      }
      input.payments.forEach((p, i) => {
        this.#insertPayment.run(saleId, i + 1, p.method, p.amountCents, p.card ? JSON.stringify(p.card) : null, nn(p.description));
      });
      // The store learns of the sale in the same commit (main/db/outbox.ts).
      appendOutbox(this.#db, 'sale', salePayload(input, this.#openSession(input.terminalId)), input.createdMs);
      for (const a of opts.audit ?? []) this.#audit.add({ ...a, saleId });
      const ref = makeRef(input.terminalId, this.#journalTag, saleId, 1);
      const emission = this.#emissions.insertAttempt(saleId, 1, ref, opts.environment, 'pending');
      return { sale: this.require(saleId), emission, created: true };
    });
  }

  /** The terminal's open register session, when the register's tables are in this file. */
  #openSession(terminalId: string): number | null {
    if (this.#sessionQuery === undefined) {
      const has = this.#db.prepare("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'register_sessions'").get();
      this.#sessionQuery = has ? this.#db.prepare("SELECT id FROM register_sessions WHERE terminal_id = ? AND state = 'open'") : null;
    }
    const r = this.#sessionQuery?.get(terminalId);
    return r ? Number(r.id) : null;
  }

  get(id: number): Sale | null {
    const r = this.#sale.get(id);
    if (!r) return null;
    const tax = new Map(this.#itemTax.all(id).map((t) => [Number(t.seq), t]));
    const pis = new Map(this.#itemPis.all(id).map((t) => [Number(t.seq), t]));
    const items: SaleItem[] = this.#items.all(id).map((i) => ({
      seq: Number(i.seq),
      productId: String(i.product_id),
      code: String(i.code),
      gtin: i.gtin === null ? null : String(i.gtin),
      description: String(i.description),
      unit: String(i.unit),
      ncm: String(i.ncm),
      cfop: String(i.cfop),
      cest: i.cest === null ? null : String(i.cest),
      origin: String(i.origin),
      icms: String(i.icms),
      icmsRateBp: Number(i.icms_rate_bp),
      approxTaxBp: Number(i.approx_tax_bp),
      qtyE4: Number(i.qty_e4),
      unitPriceCents: Number(i.unit_price_cents),
      grossCents: Number(i.gross_cents),
      discountCents: Number(i.discount_cents),
      totalCents: Number(i.total_cents),
      approxTaxCents: Number(i.approx_tax_cents),
      ibsCbsCst: tax.get(Number(i.seq))?.ibs_cbs_cst == null ? null : String(tax.get(Number(i.seq))?.ibs_cbs_cst),
      cClassTrib: tax.get(Number(i.seq))?.c_class_trib == null ? null : String(tax.get(Number(i.seq))?.c_class_trib),
      ...pisOf(pis.get(Number(i.seq))),
    }));
    const payments: Payment[] = this.#payments.all(id).map((p) => {
      const out: Payment = { method: String(p.method), amountCents: Number(p.amount_cents) };
      if (p.card_json !== null) out.card = JSON.parse(String(p.card_json)) as Payment['card'];
      if (p.description !== null) out.description = String(p.description);
      return out;
    });
    const customer: Customer | null =
      r.customer_document === null && r.customer_name === null && r.customer_email === null
        ? null
        : {
            ...(r.customer_document !== null ? { document: String(r.customer_document) } : {}),
            ...(r.customer_name !== null ? { name: String(r.customer_name) } : {}),
            ...(r.customer_email !== null ? { email: String(r.customer_email) } : {}),
          };
    return {
      id,
      terminalId: String(r.terminal_id),
      operatorId: String(r.operator_id),
      createdAt: String(r.created_at),
      items,
      payments,
      customer,
      grossCents: Number(r.gross_cents),
      discountCents: Number(r.discount_cents),
      totalCents: Number(r.total_cents),
      paidCents: Number(r.paid_cents),
      changeCents: Number(r.change_cents),
      approxTaxCents: Number(r.approx_tax_cents),
    };
  }

  require(id: number): Sale {
    const s = this.get(id);
    if (!s) throw new JournalError('sale_not_found', `Venda ${id} não encontrada.`);
    return s;
  }

  getByClientId(clientId: string): Sale | null {
    const r = this.#byClient.get(clientId);
    return r ? this.get(Number(r.id)) : null;
  }

  /** Epoch ms the sale was created (for data_emissao freshness). */
  createdMs(id: number): number | null {
    const r = this.#db.prepare('SELECT created_ms FROM sales WHERE id = ?').get(id);
    return r ? Number(r.created_ms) : null;
  }

  count(): number {
    return Number(this.#count.get()?.n ?? 0);
  }

  /**
   * Updates an item's fiscal data (NCM, CFOP, CEST, CST/CSOSN…) after a manager fixed the product,
   * so a resend carries the corrected data and the receipt matches the authorized note.
   */
  /** Copies a product's fiscal fields onto a committed item (a product or a SaleItem fits). */
  updateItemFiscal(
    saleId: number,
    seq: number,
    f: Pick<SaleItem, 'ncm' | 'cfop' | 'cest' | 'origin' | 'icms' | 'icmsRateBp' | 'gtin' | 'description' | 'code' | 'unit' | 'approxTaxBp' | 'pisCofinsCst'>,
  ): void {
    // The PIS/COFINS CST follows the product; the rates fixed at the sale stay (none for an older sale).
    if (f.pisCofinsCst) this.#insertItemPis.run(saleId, seq, f.pisCofinsCst, null, null);
    this.#db
      .prepare(
        `UPDATE sale_items SET ncm = ?, cfop = ?, cest = ?, origin = ?, icms = ?, icms_rate_bp = ?, gtin = ?, description = ?,
           code = ?, unit = ?, approx_tax_bp = ? WHERE sale_id = ? AND seq = ?`,
      )
      .run(f.ncm, f.cfop, f.cest, f.origin, f.icms, f.icmsRateBp, f.gtin, f.description, f.code, f.unit, f.approxTaxBp, saleId, seq);
  }

  /** The IBS/CBS codes of an item after a manager fixed the product (null: the store default). */
  updateItemTax(saleId: number, seq: number, ibsCbsCst: string | null, cClassTrib: string | null): void {
    this.#db.prepare('DELETE FROM sale_item_tax WHERE sale_id = ? AND seq = ?').run(saleId, seq);
    if (ibsCbsCst || cClassTrib) this.#insertItemTax.run(saleId, seq, ibsCbsCst, cClassTrib);
  }

  /**
   * Sales newest first, with the state of their latest emission. Filters: local date range,
   * note number, exact total. Every filter is served by an index.
   */
  list(q: SaleListQuery = {}): JournalSaleSummary[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.from) {
      where.push('s.local_day >= ?');
      args.push(q.from);
    }
    if (q.to) {
      where.push('s.local_day <= ?');
      args.push(q.to);
    }
    if (q.totalCents !== undefined) {
      where.push('s.total_cents = ?');
      args.push(q.totalCents);
    }
    if (q.numero !== undefined) {
      where.push('s.id IN (SELECT sale_id FROM emissions WHERE numero = ?)');
      args.push(String(Number(q.numero)));
    }
    const limit = Math.max(1, Math.min(q.limit ?? 100, 500));
    const sql = `SELECT s.id, s.created_at, s.total_cents, s.operator_id, s.customer_document,
        e.numero, e.serie, e.state
      FROM sales s
      JOIN emissions e ON e.sale_id = s.id AND e.attempt = (SELECT MAX(attempt) FROM emissions WHERE sale_id = s.id)
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY s.id DESC LIMIT ?`;
    return this.#db
      .prepare(sql)
      .all(...args, limit)
      .map((r) => ({
        id: Number(r.id),
        createdAt: String(r.created_at),
        totalCents: Number(r.total_cents),
        numero: r.numero === null ? null : String(r.numero),
        serie: r.serie === null ? null : String(r.serie),
        state: String(r.state) as EmissionState,
        operatorId: String(r.operator_id),
        customerDocument: r.customer_document === null ? null : String(r.customer_document),
      }));
  }

  /** Today's sales (local day YYYY-MM-DD), newest first. */
  listDay(localDay: string, limit = 100): JournalSaleSummary[] {
    return this.list({ from: localDay, to: localDay, limit });
  }
}

/** A journaled PIS/COFINS row as SaleItem fields (none: the sale predates the table). */
function pisOf(row: Record<string, unknown> | undefined): Pick<SaleItem, 'pisCofinsCst' | 'pisRateBp' | 'cofinsRateBp'> {
  if (!row) return {};
  const out: ReturnType<typeof pisOf> = { pisCofinsCst: String(row.cst) };
  if (row.pis_rate_bp !== null) out.pisRateBp = Number(row.pis_rate_bp);
  if (row.cofins_rate_bp !== null) out.cofinsRateBp = Number(row.cofins_rate_bp);
  return out;
}
