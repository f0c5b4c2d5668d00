// SaleDraft (already parsed) → the sale the journal commits. Re-reads every product from the
// catalog, recomputes all money with shared/cart.ts, and refuses anything a fiscal note could not
// carry. Pure apart from the manager-PIN check: nothing is written here.
import type { ItemDraft, Payment, Product, SaleDraft, SaleItem, TaxProfile } from '../../shared/sale.ts';
import { looseProduct, type LooseItemSettings } from '../../shared/catalog/loose.ts';
import { LOOSE_PRODUCT_ID } from '../../shared/catalog/loose-ids.ts';
import { computeSale, SALE_ERROR_SCOPE, type CartLine } from '../../shared/cart.ts';
import { validateDocument } from '../../shared/fiscal/cpf-cnpj.ts';
import { requiresCardGroup } from '../../shared/fiscal/tpag.ts';
import { formatBRL, lineTotalCents } from '../../shared/money.ts';
import { localOffsetMinutes, toFocusDateTime } from '../../shared/datetime.ts';
import type { AuditInput, NewSale } from '../db/types.ts';
import { SaleRefusedError } from './errors.ts';
import { PIS_COFINS_RATES, pisCofinsGroup, type PisCofinsRegime } from '../../shared/fiscal/pis-cofins.ts';

export interface ProductCatalog {
  getProduct(id: string): Product | null;
}

export interface PrepareContext {
  catalog: ProductCatalog;
  operatorId: string;
  terminalId: string;
  /** Largest discount (items + sale) the cashier may give alone, in basis points of the gross. */
  discountLimitBp: number;
  /** Checks a manager PIN; returns the manager's operator id, or null when wrong. */
  verifyManagerPin: (pin: string) => string | null | Promise<string | null>;
  now: () => number;
  /** A price the product had a moment ago (a store price change while this cart was open, main/store/apply.ts). */
  recentPrice?: (productId: string, unitPriceCents: number) => boolean;
  /** Item avulso: the manager's settings and the tax profile they chose (absent: refused). */
  looseItem?: { settings: LooseItemSettings; profile: TaxProfile | null };
  /** The company's PIS/COFINS regime: the rates CST 01 items are taxed at. */
  pisCofinsRegime?: PisCofinsRegime;
  /** ISO-sign offset in minutes (Brasília -180); default: the host clock's. */
  utcOffsetMinutes?: number;
}

export interface PreparedSale {
  sale: NewSale;
  /** Entries to commit with the sale (e.g. a discount override). */
  audit: AuditInput[];
}

/** A scale label rounds the weight to 0,1 g and the line to the centavo: allow that much drift. */
function weighedPriceAcceptable(catalogCents: number, unitCents: number): boolean {
  const tolerance = Math.max(1, Math.floor(catalogCents / 100));
  return Math.abs(unitCents - catalogCents) <= tolerance;
}

const MAX_STRING = 255;

/** Every string anywhere in the draft: no control characters, no runaway lengths. */
function checkStrings(value: unknown, path: string, out: { path: string; message: string }[]): void {
  if (out.length >= 5) return;
  if (typeof value === 'string') {
    if (/[\u0000-\u001f\u007f]/.test(value)) out.push({ path, message: 'contém caracteres de controle' });
    else if (value.length > MAX_STRING) out.push({ path, message: `texto longo demais (${value.length} caracteres; máximo ${MAX_STRING})` });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkStrings(v, `${path}.${i}`, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) checkStrings(v, path ? `${path}.${k}` : k, out);
  }
}

export async function prepareSale(draft: SaleDraft, ctx: PrepareContext): Promise<PreparedSale> {
  const bad: { path: string; message: string }[] = [];
  checkStrings(draft, '', bad);
  if (bad.length) {
    throw new SaleRefusedError('invalid_text', `Venda recusada: o campo ${bad[0]?.path} ${bad[0]?.message}.`, bad);
  }

  const lines: CartLine[] = [];
  for (const [i, item] of draft.items.entries()) {
    if (item.looseDescription !== undefined || item.productId === LOOSE_PRODUCT_ID) {
      lines.push({ product: looseLine(item, i, ctx), qtyE4: item.qtyE4, unitPriceCents: item.unitPriceCents, discountCents: item.discountCents ?? 0 });
      continue;
    }
    const product = ctx.catalog.getProduct(item.productId);
    if (!product) {
      throw new SaleRefusedError('product_not_found', `Item ${i + 1}: produto "${item.productId}" não está no cadastro. Leia o produto de novo.`, [
        { path: `items.${i}.productId`, message: 'produto não encontrado' },
      ]);
    }
    const priceOk =
      (product.weighed ? weighedPriceAcceptable(product.priceCents, item.unitPriceCents) : item.unitPriceCents === product.priceCents) ||
      ctx.recentPrice?.(product.id, item.unitPriceCents) === true;
    if (!priceOk) {
      throw new SaleRefusedError(
        'price_mismatch',
        `Item ${i + 1} (${product.description}): preço ${formatBRL(item.unitPriceCents)} diferente do cadastro (${formatBRL(product.priceCents)}). Leia o produto de novo.`,
        [{ path: `items.${i}.unitPriceCents`, message: 'preço diferente do cadastro' }],
      );
    }
    lines.push({ product, qtyE4: item.qtyE4, unitPriceCents: item.unitPriceCents, discountCents: item.discountCents ?? 0 });
  }

  let customer: NewSale['customer'] = null;
  if (draft.customer) {
    customer = {};
    if (draft.customer.document !== undefined) {
      const v = validateDocument(draft.customer.document);
      if (!v.ok) throw new SaleRefusedError('invalid_document', v.message, [{ path: 'customer.document', message: v.message }]);
      customer.document = v.value;
    }
    if (draft.customer.name !== undefined) customer.name = draft.customer.name;
    if (draft.customer.email !== undefined) customer.email = draft.customer.email;
    if (Object.keys(customer).length === 0) customer = null;
  }

  // Card group: credit/debit/PIX carry it; a stand-alone card machine (integration 2) is the default.
  const payments: Payment[] = draft.payments.map((p) => (requiresCardGroup(p.method) && !p.card ? { ...p, card: { integration: '2' } } : p));

  const computed = computeSale(lines, draft.discountCents ?? 0, payments);
  if (!computed.ok) {
    const e = computed.error;
    const isPayment = SALE_ERROR_SCOPE[e.code] === 'payment';
    const path = e.index === undefined ? (isPayment ? 'payments' : 'items') : `${isPayment ? 'payments' : 'items'}.${e.index}`;
    throw new SaleRefusedError(isPayment ? 'payment' : 'cart', e.message, [{ path, message: e.message }]);
  }
  const c = computed.value;

  const audit: AuditInput[] = [];
  const discountBp = c.grossCents > 0 ? Math.ceil((c.discountCents * 10_000) / c.grossCents) : 0;
  if (c.discountCents > 0 && discountBp > ctx.discountLimitBp) {
    const pct = (bp: number) => `${(bp / 100).toLocaleString('pt-BR', { maximumFractionDigits: 2 })}%`;
    if (!draft.managerPin) {
      throw new SaleRefusedError(
        'discount_needs_manager',
        `Desconto de ${formatBRL(c.discountCents)} (${pct(discountBp)}) passa do limite de ${pct(ctx.discountLimitBp)}: peça a senha do gerente.`,
        [{ path: 'managerPin', message: 'senha do gerente necessária' }],
      );
    }
    const managerId = await ctx.verifyManagerPin(draft.managerPin);
    if (!managerId) {
      throw new SaleRefusedError('manager_pin_invalid', 'Senha do gerente incorreta. O desconto não foi autorizado.', [
        { path: 'managerPin', message: 'senha incorreta' },
      ]);
    }
    audit.push({
      actor: managerId,
      action: 'discount_override',
      details: { cashier: ctx.operatorId, discountCents: c.discountCents, discountBp, limitBp: ctx.discountLimitBp, grossCents: c.grossCents },
    });
  }

  for (const x of draft.cancelledItems ?? []) {
    audit.push({
      actor: ctx.operatorId,
      action: 'item_cancel',
      details: { productId: x.productId, qtyE4: x.qtyE4, totalCents: lineTotalCents(x.qtyE4, x.unitPriceCents) },
    });
  }

  const now = ctx.now();
  const offset = ctx.utcOffsetMinutes ?? localOffsetMinutes(now);
  return {
    sale: {
      clientId: draft.clientId,
      terminalId: ctx.terminalId,
      operatorId: ctx.operatorId,
      createdAt: toFocusDateTime(now, offset),
      createdMs: now,
      items: withPisCofinsRates(c.items, ctx.pisCofinsRegime ?? 'cumulativo'),
      payments,
      customer,
      grossCents: c.grossCents,
      discountCents: c.discountCents,
      totalCents: c.totalCents,
      paidCents: c.paidCents,
      changeCents: c.changeCents,
      approxTaxCents: c.approxTaxCents,
    },
    audit,
  };
}

/** CST 01/02 items carry the regime's rates as they are today: a later change of regime never rewrites a sale. */
function withPisCofinsRates(items: SaleItem[], regime: PisCofinsRegime): SaleItem[] {
  const r = PIS_COFINS_RATES[regime];
  return items.map((it) =>
    it.pisCofinsCst && /^\d{2}$/.test(it.pisCofinsCst) && pisCofinsGroup(it.pisCofinsCst) === 'aliq'
      ? { ...it, pisRateBp: r.pisBp, cofinsRateBp: r.cofinsBp }
      : it,
  );
}

/** The product of an item avulso, from the manager's settings and profile; refused (pt-BR) when not enabled or out of bounds. */
function looseLine(item: ItemDraft, i: number, ctx: PrepareContext): Product {
  const at = `items.${i}`;
  if (item.looseDescription === undefined || item.productId !== LOOSE_PRODUCT_ID) {
    throw new SaleRefusedError('loose_item_invalid', `Item ${i + 1}: item avulso sem descrição. Lance o item de novo.`, [
      { path: `${at}.looseDescription`, message: 'descrição obrigatória' },
    ]);
  }
  const cfg = ctx.looseItem;
  if (!cfg?.settings.enabled || !cfg.profile) {
    throw new SaleRefusedError(
      'loose_item_disabled',
      `Item ${i + 1} (${item.looseDescription}): o item avulso não está habilitado nesta loja. O gerente habilita em Configurações › Cadastro de produtos.`,
      [{ path: `${at}.looseDescription`, message: 'item avulso desabilitado' }],
    );
  }
  const max = cfg.settings.maxPriceCents;
  if (item.unitPriceCents < 1 || item.unitPriceCents > max) {
    throw new SaleRefusedError('loose_item_price', `Item ${i + 1} (${item.looseDescription}): o preço do item avulso vai de R$ 0,01 a ${formatBRL(max)}.`, [
      { path: `${at}.unitPriceCents`, message: 'preço fora do limite' },
    ]);
  }
  return looseProduct(cfg.settings, cfg.profile, item.looseDescription, item.unitPriceCents);
}
