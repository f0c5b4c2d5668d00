// Pure cart arithmetic and checks, shared by the stores and their unit tests. Money in centavos,
// quantities in ten-thousandths; the core recomputes everything, this only has to agree with it.
import type { CodeLookup } from '../../shared/contract.ts';
import type { Payment, SaleDraft } from '../../shared/sale.ts';
import { QTY_ONE } from '../../shared/limits.ts';
import { applyBasisPoints, formatBRL, parseMoneyInput } from '../../shared/money.ts';
import { cartFigures, lineGross, type CartFigures } from '../../shared/cart.ts';
import { TPAG_CASH } from '../../shared/fiscal/tpag.ts';

export interface CartLine {
  /** Item number shown to the cashier; stable even when earlier lines are cancelled. */
  seq: number;
  productId: string;
  code: string;
  description: string;
  unit: string;
  weighed: boolean;
  qtyE4: number;
  unitPriceCents: number;
  discountCents: number;
  cancelled: boolean;
  /** Item avulso: not in the catalog; the description goes to the core, which applies the manager's profile. */
  loose?: boolean;
}

/** The figures on screen: shared/cart.ts computes them, the same arithmetic main uses. */
export type Totals = CartFigures;

/** Totals of the lines still in the sale (cancelled lines stay on screen, struck out). */
export function computeTotals(lines: readonly CartLine[], saleDiscountCents: number, payments: readonly Payment[]): Totals {
  return cartFigures(
    lines.filter((l) => !l.cancelled),
    saleDiscountCents,
    payments,
  );
}

export type LineResult = { ok: true; line: Omit<CartLine, 'seq'> } | { ok: false; message: string };

/**
 * Turn a catalog answer into a cart line. A quantity typed as `qty*code` wins over nothing, but a
 * scale label's own weight or price is what the customer sees printed, so the label wins.
 */
export function lineFromLookup(found: CodeLookup, typedQtyE4: number | null): LineResult {
  const p = found.product;
  let qtyE4 = found.qtyE4 ?? typedQtyE4 ?? QTY_ONE;
  let unitPriceCents = p.priceCents;
  if (found.labelTotalCents !== null) {
    if (found.qtyE4 === null) {
      if (p.priceCents <= 0) {
        return { ok: false, message: `O produto ${p.description} está sem preço no cadastro. Chame o gerente para corrigir o preço.` };
      }
      qtyE4 = Math.max(1, Math.round((found.labelTotalCents * QTY_ONE) / p.priceCents));
    }
    // The unit price the label implies, so qty × price gives back the printed total.
    unitPriceCents = Math.round((found.labelTotalCents * QTY_ONE) / qtyE4);
    if (lineGross(qtyE4, unitPriceCents) !== found.labelTotalCents) unitPriceCents = p.priceCents;
  }
  if (!p.weighed && qtyE4 % QTY_ONE !== 0) {
    return { ok: false, message: `${p.description} é vendido por unidade: use uma quantidade inteira, por exemplo 2*${p.code}.` };
  }
  return {
    ok: true,
    line: {
      productId: p.id,
      code: p.gtin ?? p.code,
      description: p.description,
      unit: p.unit,
      weighed: p.weighed,
      qtyE4,
      unitPriceCents,
      discountCents: 0,
      cancelled: false,
    },
  };
}

export type DiscountResult = { ok: true; cents: number; bp: number } | { ok: false; message: string };

/**
 * "10%", "2,5 %", "5,00", "R$ 5" → centavos over a base. A percentage is kept to basis points so
 * the manager's limit (also in basis points) compares exactly.
 */
export function parseDiscount(text: string, baseCents: number): DiscountResult {
  const t = text.trim();
  if (t === '') return { ok: false, message: 'Digite o desconto em reais (ex.: 5,00) ou em porcentagem (ex.: 10%).' };
  if (baseCents <= 0) return { ok: false, message: 'Não há valor para descontar.' };
  const pct = /^([0-9]{1,3})(?:[.,]([0-9]{1,2}))?\s*%$/.exec(t);
  let cents: number;
  if (pct) {
    const bp = Number(pct[1]) * 100 + Number(((pct[2] ?? '') + '00').slice(0, 2));
    if (bp > 10_000) return { ok: false, message: 'O desconto não pode passar de 100%.' };
    cents = applyBasisPoints(baseCents, bp);
  } else {
    const money = parseMoneyInput(t);
    if (money === null || money < 0) {
      return { ok: false, message: `"${t}" não é um valor válido. Use 5,00 para reais ou 10% para porcentagem.` };
    }
    cents = money;
  }
  if (cents >= baseCents) return { ok: false, message: 'O desconto precisa ser menor que o valor. Para não cobrar o item, cancele-o (F6).' };
  return { ok: true, cents, bp: Math.round((cents * 10_000) / baseCents) };
}

export function exceedsLimit(discountCents: number, baseCents: number, limitBp: number): boolean {
  if (discountCents <= 0) return false;
  if (baseCents <= 0) return true;
  return discountCents * 10_000 > baseCents * limitBp;
}

export type PaymentCheck = { ok: true } | { ok: false; message: string };

export function checkPayment(method: string, amountCents: number, totals: Totals): PaymentCheck {
  if (!Number.isInteger(amountCents) || amountCents <= 0) return { ok: false, message: 'Digite um valor maior que zero.' };
  if (totals.remainingCents <= 0) return { ok: false, message: 'A venda já está paga. Pressione Enter para finalizar.' };
  if (method !== TPAG_CASH && amountCents > totals.remainingCents) {
    return {
      ok: false,
      message: `Só dinheiro tem troco: neste pagamento o máximo é ${formatBRL(totals.remainingCents)}, o que falta pagar.`,
    };
  }
  return { ok: true };
}

export interface DraftParts {
  clientId: string;
  lines: readonly CartLine[];
  saleDiscountCents: number;
  payments: readonly Payment[];
  customerDocument: string | null;
  managerPin: string | null;
}

export function buildDraft(parts: DraftParts): SaleDraft {
  const draft: SaleDraft = {
    clientId: parts.clientId,
    items: parts.lines
      .filter((l) => !l.cancelled)
      .map((l) => ({
        productId: l.productId,
        qtyE4: l.qtyE4,
        unitPriceCents: l.unitPriceCents,
        discountCents: l.discountCents,
        ...(l.loose ? { looseDescription: l.description } : {}),
      })),
    discountCents: parts.saleDiscountCents,
    payments: parts.payments.map((p) => ({ ...p })),
  };
  const cancelled = parts.lines.filter((l) => l.cancelled);
  if (cancelled.length > 0) draft.cancelledItems = cancelled.map((l) => ({ productId: l.productId, qtyE4: l.qtyE4, unitPriceCents: l.unitPriceCents }));
  if (parts.customerDocument) draft.customer = { document: parts.customerDocument };
  if (parts.managerPin) draft.managerPin = parts.managerPin;
  return draft;
}

/** A fresh idempotency key for one sale; reused on every retry of that sale. */
export function newClientId(): string {
  return crypto.randomUUID().replaceAll('-', '');
}
