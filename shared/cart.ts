// The sale arithmetic shared by the renderer (running total, payment screen) and main (the
// authoritative recomputation before a sale is committed). Everything is integer centavos; the
// same inputs always give the same centavos, so the screen, the journal and the NFC-e agree.
import type { Payment, Product, SaleItem } from './sale.ts';
import { MAX_QTY_E4, MAX_SALE_CENTS, QTY_ONE } from './limits.ts';
import { applyBasisPoints, formatBRL, lineTotalCents, spreadDiscount } from './money.ts';
import { isValidCnpj } from './fiscal/cpf-cnpj.ts';
import { TPAG_CASH, TPAG_NOT_ALLOWED_IN_NFCE, TPAG_OTHER, isKnownTpag } from './fiscal/tpag.ts';

export interface CartLine {
  product: Product;
  qtyE4: number;
  unitPriceCents: number;
  /** Discount on this line only, in centavos (default 0). */
  discountCents?: number;
}

export type SaleErrorCode =
  | 'empty'
  | 'invalid-quantity'
  | 'fractional-quantity'
  | 'invalid-price'
  | 'invalid-discount'
  | 'item-discount'
  | 'sale-discount'
  | 'total-not-positive'
  | 'total-too-large'
  | 'no-payment'
  | 'invalid-payment'
  | 'payment-description'
  | 'card-data'
  | 'payment-short'
  | 'change-exceeds-cash';

/** Which part of the sale a SaleErrorCode blames (the core refuses it as 'cart' or 'payment'). */
export const SALE_ERROR_SCOPE: Readonly<Record<SaleErrorCode, 'cart' | 'payment'>> = {
  empty: 'cart',
  'invalid-quantity': 'cart',
  'fractional-quantity': 'cart',
  'invalid-price': 'cart',
  'invalid-discount': 'cart',
  'item-discount': 'cart',
  'sale-discount': 'cart',
  'total-not-positive': 'cart',
  'total-too-large': 'cart',
  'no-payment': 'payment',
  'invalid-payment': 'payment',
  'payment-description': 'payment',
  'card-data': 'payment',
  'payment-short': 'payment',
  'change-exceeds-cash': 'payment',
};

export interface SaleError {
  code: SaleErrorCode;
  /** pt-BR, ready for the cashier. */
  message: string;
  /** 0-based index of the line or payment at fault, when there is one. */
  index?: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: SaleError };

export interface CartTotals {
  /** seq 1..n, in line order. */
  items: SaleItem[];
  grossCents: number;
  /** Item discounts plus the sale discount. */
  discountCents: number;
  totalCents: number;
  approxTaxCents: number;
}

export interface SaleComputation extends CartTotals {
  paidCents: number;
  changeCents: number;
}

/** A line as far as money goes: what the checkout screen keeps and what main recomputes from. */
export interface PricedLine {
  qtyE4: number;
  unitPriceCents: number;
  discountCents?: number;
}

/** round(qty × unit price), half up: the same rounding SEFAZ uses, so the screen equals the note. */
export function lineGross(qtyE4: number, unitPriceCents: number): number {
  return lineTotalCents(qtyE4, unitPriceCents);
}

/** The line's value after its own discount (before its share of the sale discount). */
export function lineNet(line: PricedLine): number {
  return lineGross(line.qtyE4, line.unitPriceCents) - (line.discountCents ?? 0);
}

/** The running figures of the checkout and payment screens. */
export interface CartFigures {
  itemCount: number;
  grossCents: number;
  itemDiscountCents: number;
  saleDiscountCents: number;
  totalCents: number;
  paidCents: number;
  remainingCents: number;
  changeCents: number;
}

/**
 * Totals while the sale is being built (never fails: computeSale validates). The total equals
 * computeCart's for the same lines, since the rateio only spreads the sale discount.
 */
export function cartFigures(
  lines: readonly PricedLine[],
  saleDiscountCents: number,
  payments: readonly Pick<Payment, 'method' | 'amountCents'>[],
): CartFigures {
  let grossCents = 0;
  let itemDiscountCents = 0;
  for (const line of lines) {
    grossCents += lineGross(line.qtyE4, line.unitPriceCents);
    itemDiscountCents += line.discountCents ?? 0;
  }
  const totalCents = Math.max(0, grossCents - itemDiscountCents - saleDiscountCents);
  const s = summarizePayments(totalCents, payments);
  return {
    itemCount: lines.length,
    grossCents,
    itemDiscountCents,
    saleDiscountCents,
    totalCents,
    paidCents: s.paidCents,
    remainingCents: s.remainingCents,
    changeCents: s.changeCents,
  };
}

const fail = (code: SaleErrorCode, message: string, index?: number): { ok: false; error: SaleError } => ({
  ok: false,
  error: index === undefined ? { code, message } : { code, message, index },
});

const isInt = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n);

/**
 * Items, discounts and totals without payments (the running total of the checkout screen).
 * The sale discount is spread over the lines in proportion to their value after the line's own
 * discount (rateio, exact to the centavo); every line keeps at least R$ 0,01 so no item is given away.
 */
export function computeCart(lines: readonly CartLine[], saleDiscountCents = 0): Result<CartTotals> {
  if (lines.length === 0) return fail('empty', 'A venda não tem itens.');
  const partial: Omit<SaleItem, 'discountCents' | 'totalCents' | 'approxTaxCents'>[] = [];
  const lineDiscounts: number[] = [];
  for (const [i, line] of lines.entries()) {
    const p = line.product;
    const n = i + 1;
    if (!isInt(line.qtyE4) || line.qtyE4 < 1 || line.qtyE4 > MAX_QTY_E4) {
      return fail('invalid-quantity', `Item ${n} (${p.description}): quantidade inválida.`, i);
    }
    if (!p.weighed && line.qtyE4 % QTY_ONE !== 0) {
      return fail('fractional-quantity', `Item ${n} (${p.description}): quantidade fracionada só é permitida para produto vendido por peso.`, i);
    }
    if (!isInt(line.unitPriceCents) || line.unitPriceCents < 0 || line.unitPriceCents > MAX_SALE_CENTS) {
      return fail('invalid-price', `Item ${n} (${p.description}): preço unitário inválido.`, i);
    }
    const disc = line.discountCents ?? 0;
    if (!isInt(disc) || disc < 0) return fail('invalid-discount', `Item ${n} (${p.description}): desconto inválido.`, i);
    const gross = lineGross(line.qtyE4, line.unitPriceCents);
    if (disc > 0 && disc >= gross) {
      return fail(
        'item-discount',
        `Item ${n} (${p.description}): o desconto de ${formatBRL(disc)} deve ser menor que o valor do item (${formatBRL(gross)}).`,
        i,
      );
    }
    lineDiscounts.push(disc);
    partial.push({
      seq: n,
      productId: p.id,
      code: p.code,
      gtin: p.gtin,
      description: p.description,
      unit: p.unit,
      ncm: p.ncm,
      cfop: p.cfop,
      cest: p.cest ?? null,
      origin: p.origin,
      icms: p.icms,
      icmsRateBp: p.icmsRateBp ?? 0,
      approxTaxBp: p.approxTaxBp ?? 0,
      ibsCbsCst: p.ibsCbsCst ?? null,
      cClassTrib: p.cClassTrib ?? null,
      pisCofinsCst: p.pisCofinsCst ?? null,
      qtyE4: line.qtyE4,
      unitPriceCents: line.unitPriceCents,
      grossCents: gross,
    });
  }
  const grossCents = partial.reduce((a, it) => a + it.grossCents, 0);
  if (grossCents > MAX_SALE_CENTS * 10) {
    return fail('total-too-large', `O total da venda passa do limite de ${formatBRL(MAX_SALE_CENTS)} de uma NFC-e. Emita uma NF-e.`);
  }
  if (!isInt(saleDiscountCents) || saleDiscountCents < 0) return fail('invalid-discount', 'Desconto da venda inválido.');
  const net = partial.map((it, i) => it.grossCents - (lineDiscounts[i] as number));
  const subtotal = net.reduce((a, v) => a + v, 0);
  if (saleDiscountCents > 0 && saleDiscountCents >= subtotal) {
    return fail('sale-discount', `O desconto da venda (${formatBRL(saleDiscountCents)}) deve ser menor que o subtotal (${formatBRL(subtotal)}).`);
  }
  const shares = spreadSaleDiscount(net, saleDiscountCents);
  if (!shares) {
    return fail('sale-discount', `O desconto da venda (${formatBRL(saleDiscountCents)}) deixaria algum item com valor zero. Reduza o desconto.`);
  }
  const items: SaleItem[] = partial.map((it, i) => {
    const discountCents = (lineDiscounts[i] as number) + (shares[i] as number);
    const totalCents = it.grossCents - discountCents;
    return { ...it, discountCents, totalCents, approxTaxCents: applyBasisPoints(totalCents, it.approxTaxBp) };
  });
  const totalCents = items.reduce((a, it) => a + it.totalCents, 0);
  if (totalCents <= 0) return fail('total-not-positive', 'O total da venda deve ser maior que zero.');
  if (totalCents > MAX_SALE_CENTS) {
    return fail('total-too-large', `O total da venda (${formatBRL(totalCents)}) passa do limite de ${formatBRL(MAX_SALE_CENTS)} de uma NFC-e. Emita uma NF-e.`);
  }
  return {
    ok: true,
    value: {
      items,
      grossCents,
      discountCents: items.reduce((a, it) => a + it.discountCents, 0),
      totalCents,
      approxTaxCents: items.reduce((a, it) => a + it.approxTaxCents, 0),
    },
  };
}

/**
 * Proportional rateio; if that would zero a line that had value, spread over (value − 1) instead so
 * each such line keeps a centavo. null when even that cannot absorb the discount.
 */
function spreadSaleDiscount(net: number[], discount: number): number[] | null {
  if (discount === 0) return net.map(() => 0);
  const first = spreadDiscount(net, discount);
  if (first.every((s, i) => s < (net[i] as number) || net[i] === 0)) return first;
  const room = net.map((v) => Math.max(0, v - 1));
  if (room.reduce((a, v) => a + v, 0) < discount) return null;
  return spreadDiscount(room, discount);
}

export interface PaymentSummary {
  paidCents: number;
  /** What is still missing (0 when paid in full). */
  remainingCents: number;
  /** Σ paid − total when positive. */
  changeCents: number;
  /** Tendered in dinheiro (tPag 01): the only money change can come from. */
  cashCents: number;
}

/** The payment screen's running figures; never fails (validation is computeSale's job). */
export function summarizePayments(totalCents: number, payments: readonly Pick<Payment, 'method' | 'amountCents'>[]): PaymentSummary {
  const paidCents = payments.reduce((a, p) => a + p.amountCents, 0);
  const cashCents = payments.filter((p) => p.method === TPAG_CASH).reduce((a, p) => a + p.amountCents, 0);
  return {
    paidCents,
    remainingCents: Math.max(0, totalCents - paidCents),
    changeCents: Math.max(0, paidCents - totalCents),
    cashCents,
  };
}

function checkPayment(p: Payment, i: number): { ok: false; error: SaleError } | null {
  const n = i + 1;
  if (!isInt(p.amountCents) || p.amountCents < 1) return fail('invalid-payment', `Pagamento ${n}: valor inválido.`, i);
  if (!isKnownTpag(p.method) || TPAG_NOT_ALLOWED_IN_NFCE.has(p.method)) {
    return fail('invalid-payment', `Pagamento ${n}: forma de pagamento ${p.method} não é aceita na NFC-e.`, i);
  }
  if (p.method === TPAG_OTHER && !(p.description && p.description.trim().length >= 2)) {
    return fail('payment-description', `Pagamento ${n}: descreva a forma de pagamento "Outros".`, i);
  }
  if (p.card?.integration === '1') {
    if (!p.card.acquirerCnpj || !isValidCnpj(p.card.acquirerCnpj) || !p.card.authorization) {
      return fail('card-data', `Pagamento ${n}: cartão integrado (TEF) precisa do CNPJ da credenciadora e do número de autorização.`, i);
    }
  } else if (p.card?.acquirerCnpj && !isValidCnpj(p.card.acquirerCnpj)) {
    return fail('card-data', `Pagamento ${n}: CNPJ da credenciadora inválido.`, i);
  }
  return null;
}

/**
 * The whole sale: items and totals (computeCart) plus payments. Fails when the payments fall short
 * of the total, or when the change is larger than the cash tendered (only dinheiro gives troco).
 */
export function computeSale(lines: readonly CartLine[], saleDiscountCents: number, payments: readonly Payment[]): Result<SaleComputation> {
  const cart = computeCart(lines, saleDiscountCents);
  if (!cart.ok) return cart;
  if (payments.length === 0) return fail('no-payment', 'Informe a forma de pagamento.');
  for (const [i, p] of payments.entries()) {
    const bad = checkPayment(p, i);
    if (bad) return bad;
  }
  const total = cart.value.totalCents;
  const s = summarizePayments(total, payments);
  if (s.remainingCents > 0) {
    return fail('payment-short', `Faltam ${formatBRL(s.remainingCents)} para completar o pagamento.`);
  }
  if (s.changeCents > s.cashCents) {
    const message =
      s.cashCents === 0
        ? `Só pagamento em dinheiro pode gerar troco: os pagamentos passam do total em ${formatBRL(s.changeCents)}. Ajuste o valor do cartão/PIX.`
        : `O troco (${formatBRL(s.changeCents)}) é maior que o valor recebido em dinheiro (${formatBRL(s.cashCents)}). Ajuste os valores dos outros pagamentos.`;
    return fail('change-exceeds-cash', message);
  }
  return { ok: true, value: { ...cart.value, paidCents: s.paidCents, changeCents: s.changeCents } };
}
