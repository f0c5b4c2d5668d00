// PIX at the till, exactly once like an emission: every charge is journaled before it reaches the
// PSP, every change is its own commit, and whatever a crash leaves open is resolved at start by
// asking the PSP. The PSP's confirmation (its `endToEndId`) is the only thing that makes a charge
// "paid": never the cashier's eyes.
import { createHash } from 'node:crypto';
import { staticBrCode } from '../../shared/pix/brcode.ts';
import { PIX_NEEDS_MANAGER, type PixChargeView } from '../../shared/pix/charge.ts';
import type { CobAnswer } from './api-types.ts';
import { chargeView, type PixChargeRow, type PixChargesRepo } from './charges-repo.ts';
import type { PixClient, PixOutcome } from './client.ts';
import { PixError, pixMessage } from './errors.ts';

export interface PixConfig {
  /** The shop's Pix key (the charge's `chave`). */
  key: string;
  /** The PSP's CNPJ: `cnpj_credenciadora` on the NFC-e. */
  pspCnpj: string;
  merchantName: string;
  merchantCity: string;
  /** Seconds a charge may be paid. */
  expirySeconds: number;
  /** Static Pix (tPag 20, "não confirmado") allowed as a fallback. */
  staticFallback: boolean;
}

export interface PixServiceDeps {
  repo: PixChargesRepo;
  /** null when no PSP is configured (static fallback only, if enabled). */
  client: () => PixClient | null;
  config: () => PixConfig | null;
  /** Runs fn in one journal transaction. */
  transaction: <T>(fn: () => T) => T;
  clock: () => number;
  terminalId: () => string;
  onChange: (view: PixChargeView) => void;
  log: (line: string) => void;
  /** The sale a clientId became, if it was committed (crash between the sale and 'used'). */
  saleForClient: (clientId: string) => number | null;
  /** How often open charges are asked about (default 1000 ms: ≤ 1 request per second of waiting). */
  pollMs?: number;
  /** A paid charge no sale used for this long is flagged to the manager (default 2 h). */
  abandonAfterMs?: number;
}

/** The payment fields a confirmed charge puts on the NFC-e. */
export interface PixPaymentData {
  method: '17' | '20';
  amountCents: number;
  integration: '1' | '2';
  acquirerCnpj: string | null;
  authorization: string | null;
}

export class PixService {
  readonly #d: PixServiceDeps;
  #timer: NodeJS.Timeout | null = null;
  #running = false;
  #inFlight = new Set<string>();
  #stopped = false;

  constructor(deps: PixServiceDeps) {
    this.#d = deps;
  }

  view(row: PixChargeRow): PixChargeView {
    return chargeView(row, pixMessage);
  }

  /** A deterministic txid for the clientId's nth charge: 35 letters and digits, unique per PSP. */
  txidFor(clientId: string, seq: number, kind: 'dynamic' | 'static'): string {
    const h = createHash('sha256').update(`${this.#d.terminalId()}|${clientId}|${seq}|${kind}`).digest('hex');
    // Static reference labels (BR Code field 62-05) take at most 25 characters.
    return kind === 'static' ? `BS${h.slice(0, 23)}` : `BLC${h.slice(0, 32)}`;
  }

  forClient(clientId: string): PixChargeView[] {
    return this.#d.repo.forClient(clientId).map((r) => this.view(r));
  }

  /** Charges the manager must act on (paid with no sale, refund under way). */
  attention(): PixChargeView[] {
    return this.#d.repo.inStates(PIX_NEEDS_MANAGER).map((r) => this.view(r));
  }

  /**
   * Creates (or returns the live) dynamic charge for this draft and amount. The row is committed in
   * `creating` before the PUT, so a crash before the answer is resolved by a GET at start.
   */
  async create(clientId: string, amountCents: number): Promise<PixChargeView> {
    if (!Number.isInteger(amountCents) || amountCents <= 0) throw new PixError('pix_bad_amount');
    const cfg = this.#d.config();
    const client = this.#d.client();
    if (!cfg || !client) throw new PixError('pix_not_configured');
    const live = this.#d.repo
      .forClient(clientId)
      .find((r) => r.kind === 'dynamic' && (r.state === 'creating' || r.state === 'active') && r.amountCents === amountCents);
    if (live) return this.view(live);
    const row = this.#d.transaction(() => {
      const seq = this.#d.repo.nextSeq(clientId);
      return this.#d.repo.insert({ txid: this.txidFor(clientId, seq, 'dynamic'), clientId, seq, kind: 'dynamic', amountCents, state: 'creating' });
    });
    this.#emit(row.txid);
    // Nothing was sent for this row yet: go straight to the PUT (no GET needed).
    await this.#step(row.txid, { fresh: true });
    const after = this.#d.repo.require(row.txid);
    if (after.state === 'failed') throw new PixError((after.problemCode as never) ?? 'pix_refused');
    this.#kick();
    return this.view(after);
  }

  /** A static code (tPag 20) for this draft: usable at once, marked unconfirmed until reconciled. */
  createStatic(clientId: string, amountCents: number): PixChargeView {
    if (!Number.isInteger(amountCents) || amountCents <= 0) throw new PixError('pix_bad_amount');
    const cfg = this.#d.config();
    if (!cfg) throw new PixError('pix_not_configured');
    if (!cfg.staticFallback) throw new PixError('pix_static_disabled');
    const row = this.#d.transaction(() => {
      const seq = this.#d.repo.nextSeq(clientId);
      const txid = this.txidFor(clientId, seq, 'static');
      const brCode = staticBrCode({ key: cfg.key, merchantName: cfg.merchantName, merchantCity: cfg.merchantCity, amountCents, txid });
      return this.#d.repo.insert({ txid, clientId, seq, kind: 'static', amountCents, state: 'active', brCode, confirmed: false });
    });
    this.#emit(row.txid);
    return this.view(row);
  }

  /** The cashier gives up on a charge: an unpaid one is removed at the PSP; a paid one goes to the manager. */
  async cancel(txid: string): Promise<PixChargeView> {
    const row = this.#d.repo.get(txid);
    if (!row) throw new PixError('pix_not_found');
    if (row.kind === 'static') {
      // Nothing exists at the PSP for a static code; if money arrives, reconciliation flags it.
      if (row.state === 'active') this.#move(txid, 'removed');
      return this.view(this.#d.repo.require(txid));
    }
    if (row.state === 'creating' || row.state === 'active') {
      this.#move(txid, 'removing');
      await this.#step(txid);
    } else if (row.state === 'paid') {
      this.#move(txid, 'orphan');
    }
    return this.view(this.#d.repo.require(txid));
  }

  /** The draft was abandoned (sale cancelled): every live charge of it is cancelled. */
  async abandon(clientId: string): Promise<PixChargeView[]> {
    for (const r of this.#d.repo.forClient(clientId)) {
      if (r.state === 'creating' || r.state === 'active' || r.state === 'paid') await this.cancel(r.txid);
    }
    return this.forClient(clientId);
  }

  /**
   * Checks a draft's PIX payment against the journal before the sale is committed, and returns the
   * fields the NFC-e carries. Only a PSP-confirmed dynamic charge (or an enabled static one) passes.
   */
  paymentData(clientId: string, txid: string, amountCents: number): PixPaymentData {
    const row = this.#d.repo.get(txid);
    if (!row) throw new PixError('pix_not_found');
    if (row.clientId !== clientId) throw new PixError('pix_wrong_sale');
    if (row.amountCents !== amountCents) throw new PixError('pix_amount_mismatch');
    const cfg = this.#d.config();
    if (row.kind === 'static') {
      if (!cfg?.staticFallback) throw new PixError('pix_static_disabled');
      if (row.state !== 'active' && row.state !== 'paid' && row.state !== 'used') throw new PixError('pix_not_found');
      return { method: '20', amountCents, integration: '2', acquirerCnpj: null, authorization: null };
    }
    if (row.state !== 'paid' && row.state !== 'used') throw new PixError(row.state === 'creating' ? 'pix_pending' : 'pix_not_paid');
    if (row.paidCents !== null && row.paidCents !== row.amountCents) throw new PixError('pix_amount_mismatch');
    return { method: '17', amountCents, integration: '1', acquirerCnpj: cfg?.pspCnpj ?? null, authorization: row.e2eId };
  }

  /**
   * After the sale's commit: its charges are used (idempotent; also done at start by clientId).
   * With `txids`, only the charges the sale's payments name: a PIX the cashier took off the sale
   * stays money to refund, never "used" by a sale that does not carry it.
   */
  markUsed(clientId: string, saleId: number, txids?: readonly string[]): void {
    const only = txids ? new Set(txids) : null;
    for (const r of this.#d.repo.forClient(clientId)) {
      if (only && !only.has(r.txid)) continue;
      if (r.state === 'paid' || r.state === 'orphan' || (r.kind === 'static' && r.state === 'active')) {
        this.#d.repo.move(r.txid, 'used', { saleId });
        this.#emit(r.txid);
      }
    }
  }

  /** Manager's one-key refund of a payment no sale used. Journaled before the PSP call. */
  async refund(txid: string): Promise<PixChargeView> {
    const row = this.#d.repo.get(txid);
    if (!row) throw new PixError('pix_not_found');
    if (row.state === 'refunding') {
      await this.#step(txid);
      return this.view(this.#d.repo.require(txid));
    }
    if (row.state !== 'orphan' || !row.e2eId) throw new PixError('pix_not_refundable');
    this.#move(txid, 'refunding', { refundId: `R${txid.slice(-30)}` });
    await this.#step(txid);
    const after = this.#d.repo.require(txid);
    if (after.state === 'orphan') throw new PixError('pix_refund_failed');
    return this.view(after);
  }

  /**
   * Compares the PSP's statement with the journal: charges paid while we were not looking become
   * paid (or orphan), static codes seen in the statement become confirmed.
   */
  async reconcile(from: Date, to: Date): Promise<{ received: number; matched: number; confirmedStatic: number; unknown: number }> {
    const client = this.#d.client();
    if (!client) throw new PixError('pix_not_configured');
    const r = await client.listReceived(from, to);
    if (r.kind !== 'ok') throw new PixError(r.code);
    let matched = 0;
    let confirmedStatic = 0;
    let unknown = 0;
    for (const p of r.value) {
      const row = p.txid ? this.#d.repo.get(p.txid) : null;
      if (!row) {
        unknown++;
        continue;
      }
      matched++;
      if (row.kind === 'static') {
        if (!row.confirmed) {
          this.#d.repo.patch(row.txid, { confirmed: true, e2eId: p.endToEndId, paidAt: p.horario });
          confirmedStatic++;
          this.#emit(row.txid);
        }
        continue;
      }
      if (row.state === 'creating' || row.state === 'active' || row.state === 'removing' || row.state === 'removed') {
        await this.#step(row.txid, { force: true });
      }
    }
    return { received: r.value.length, matched, confirmedStatic, unknown };
  }

  /** Start: every charge a crash left open is asked about; paid ones of committed sales become used. */
  async resolveAtStart(): Promise<void> {
    for (const r of this.#d.repo.inStates(['paid', 'orphan'])) {
      const saleId = this.#d.saleForClient(r.clientId);
      if (saleId !== null) this.markUsed(r.clientId, saleId);
    }
    for (const r of this.#d.repo.open()) await this.#step(r.txid);
    this.#kick();
  }

  /**
   * The profile's start: resolve what a crash left open, then poll — in the background, so nothing
   * here may throw out of it, and a profile closed meanwhile (stop()) is never polled again.
   */
  async resolveThenPoll(): Promise<void> {
    try {
      await this.resolveAtStart();
    } catch (err) {
      if (this.#stopped) return;
      this.#d.log(`pix: falha ao conferir cobranças na abertura: ${(err as Error)?.message ?? String(err)}`);
    }
    if (!this.#stopped) this.start();
  }

  /** Starts the poller (one pass per pollMs while any charge is open). */
  start(): void {
    this.#stopped = false;
    this.#kick();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #kick(): void {
    if (this.#stopped || this.#timer || this.#running) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#pass();
    }, this.#d.pollMs ?? 1000);
    this.#timer.unref?.();
  }

  async #pass(): Promise<void> {
    this.#running = true;
    let again = false;
    try {
      for (const r of this.#d.repo.open()) {
        if (this.#stopped) break;
        // A static code lives only here; nothing to ask until the statement is reconciled.
        if (r.kind === 'static') continue;
        await this.#step(r.txid);
      }
      if (this.#stopped) return;
      const abandonMs = this.#d.abandonAfterMs ?? 2 * 3_600_000;
      for (const r of this.#d.repo.inStates(['paid'])) {
        if (this.#d.clock() - r.updatedAt >= abandonMs && this.#d.saleForClient(r.clientId) === null) this.#move(r.txid, 'orphan');
      }
      // Stopped while a question was on the wire: the journal may be closed by now; touch nothing.
      if (!this.#stopped && this.#d.repo.open().some((r) => r.kind === 'dynamic')) again = true;
    } catch (err) {
      // A background pass never takes the process down (not even when the profile closes under
      // it): log, and the next pass tries again.
      if (!this.#stopped) {
        this.#d.log(`pix: falha ao conferir cobranças: ${(err as Error)?.message ?? String(err)}`);
        again = true;
      }
    } finally {
      this.#running = false;
    }
    if (again) this.#kick();
  }

  /** One question to the PSP about one charge, and the committed consequence. */
  async #step(txid: string, opts: { force?: boolean; fresh?: boolean } = {}): Promise<void> {
    if (this.#inFlight.has(txid)) return;
    this.#inFlight.add(txid);
    try {
      await this.#stepInner(txid, opts);
    } finally {
      this.#inFlight.delete(txid);
    }
  }

  async #stepInner(txid: string, opts: { force?: boolean; fresh?: boolean }): Promise<void> {
    const row = this.#d.repo.get(txid);
    const client = this.#d.client();
    const cfg = this.#d.config();
    if (!row || !client || !cfg || row.kind === 'static') return;
    switch (row.state) {
      case 'creating': {
        // Ask first: a PUT whose answer was lost may have created it (the PSP refuses a second PUT of
        // the same txid anyway, so there can never be two charges for one row).
        if (!opts.fresh) {
          const got = await client.getCharge(txid);
          if (got.kind !== 'ok') return this.#note(txid, got);
          if (got.value) return this.#adopt(row, got.value);
        }
        const put = await client.createCharge(txid, {
          amountCents: row.amountCents,
          key: cfg.key,
          expirySeconds: cfg.expirySeconds,
          message: 'Compra no caixa',
        });
        if (put.kind === 'ok') return this.#adopt(row, put.value);
        if (put.kind === 'failed' && put.sent === 'answered' && (put.code === 'pix_refused' || put.code === 'pix_auth')) {
          this.#move(txid, 'failed', { problemCode: put.code });
          return;
        }
        if (put.kind === 'failed' && (put.code === 'pix_client_cert_expired' || put.code === 'pix_tls' || put.code === 'pix_unreachable')) {
          // Nothing reached the PSP: the charge is not created; the cashier takes another method.
          this.#move(txid, 'failed', { problemCode: put.code });
          return;
        }
        return this.#note(txid, put);
      }
      case 'active': {
        const got = await client.getCharge(txid);
        if (got.kind !== 'ok') return this.#note(txid, got);
        if (!got.value) return;
        this.#adopt(row, got.value);
        const after = this.#d.repo.require(txid);
        // Expired unpaid: remove it at the PSP so a late payer cannot pay it.
        if (after.state === 'active' && after.expiresAt !== null && this.#d.clock() >= after.expiresAt) {
          this.#move(txid, 'removing', { problemCode: 'pix_expired' });
          await this.#stepInner(txid, opts);
        }
        return;
      }
      case 'removing': {
        const rm = await client.removeCharge(txid);
        if (rm.kind === 'ok') {
          if (rm.value.status === 'CONCLUIDA') return this.#adopt(row, rm.value);
          this.#move(txid, 'removed');
          return;
        }
        // Refused (e.g. already paid) or unknown: the GET tells the truth.
        const got = await client.getCharge(txid);
        if (got.kind !== 'ok') return this.#note(txid, got);
        if (!got.value) {
          this.#move(txid, 'removed');
          return;
        }
        return this.#adopt(row, got.value);
      }
      case 'removed': {
        if (!opts.force) return;
        const got = await client.getCharge(txid);
        if (got.kind === 'ok' && got.value) return this.#adopt(row, got.value);
        return;
      }
      case 'refunding': {
        if (!row.e2eId || !row.refundId) return;
        const amount = row.paidCents ?? row.amountCents;
        const existing = await client.getRefund(row.e2eId, row.refundId);
        if (existing.kind !== 'ok') return this.#note(txid, existing);
        const r = existing.value ? existing : await client.refund(row.e2eId, row.refundId, amount, 'Devolução de Pix sem venda');
        if (r.kind !== 'ok') {
          // The PSP refused the refund outright: back to the manager's list with the reason.
          if (r.kind === 'failed' && r.sent === 'answered') this.#move(txid, 'orphan', { problemCode: 'pix_refund_failed' });
          else this.#note(txid, r);
          return;
        }
        if (r.value?.status === 'DEVOLVIDO') this.#move(txid, 'refunded', { problemCode: null });
        else if (r.value?.status === 'NAO_REALIZADO') this.#move(txid, 'orphan', { problemCode: 'pix_refund_failed' });
        return;
      }
      default:
        return;
    }
  }

  /** Applies what the PSP says about a charge to the journal. */
  #adopt(row: PixChargeRow, cob: CobAnswer): void {
    const paid = cob.status === 'CONCLUIDA' ? cob.pix?.[0] : undefined;
    const expiresAt = Date.parse(cob.calendario.criacao) + cob.calendario.expiracao * 1000;
    const base = { brCode: cob.pixCopiaECola ?? row.brCode, expiresAt: Number.isFinite(expiresAt) ? expiresAt : row.expiresAt };
    if (paid) {
      const paidCents = Math.round(Number(paid.valor) * 100);
      const patch = { ...base, e2eId: paid.endToEndId, paidCents, paidAt: paid.horario };
      // Paid after the cashier gave up (removing/removed): the money is there and no sale uses it.
      const to = row.state === 'removing' || row.state === 'removed' ? 'orphan' : 'paid';
      if (row.state !== to) this.#move(row.txid, to, { ...patch, problemCode: null });
      return;
    }
    if (cob.status === 'REMOVIDA_PELO_USUARIO_RECEBEDOR' || cob.status === 'REMOVIDA_PELO_PSP') {
      if (row.state !== 'removed') this.#move(row.txid, 'removed', base);
      return;
    }
    if (row.state === 'creating') this.#move(row.txid, 'active', { ...base, problemCode: null });
  }

  /** A question that got no usable answer: remember why (shown to the cashier), try again later. */
  #note(txid: string, r: PixOutcome<unknown>): void {
    if (r.kind === 'ok') return;
    const row = this.#d.repo.get(txid);
    if (row && row.problemCode !== r.code) {
      this.#d.repo.patch(txid, { problemCode: r.code });
      this.#emit(txid);
    }
  }

  #move(txid: string, to: Parameters<PixChargesRepo['move']>[1], patch: Parameters<PixChargesRepo['move']>[2] = {}): void {
    this.#d.repo.move(txid, to, patch);
    this.#emit(txid);
  }

  #emit(txid: string): void {
    const row = this.#d.repo.get(txid);
    if (row) this.#d.onChange(this.view(row));
  }
}
