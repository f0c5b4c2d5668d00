// Resolves what the code field received — a scanned barcode, a typed internal code, `qty*code`,
// or a scale label (EAN-13 starting with 2) — into a product and an optional quantity/total.
//
// Scale label layouts (EAN-13 starting with 2, the PLU length and the value's meaning are terminal
// settings): see shared/catalog/scale.ts.
import { UserFacingError } from '../../shared/errors.ts';
import type { Product } from '../../shared/sale.ts';
import { QTY_ONE } from '../../shared/limits.ts';
import { QTY_HINT, splitQtyPrefix } from '../../shared/qty-code.ts';
import type { CodeLookup } from '../../shared/contract.ts';
import { isValidGtin } from './gtin.ts';
import type { ScaleLabelMode } from '../settings/schema.ts';
import { SCALE_FORMATS, splitLabel, type ScaleFormat } from '../../shared/catalog/scale.ts';

export class LookupError extends UserFacingError {}

export interface CatalogReader {
  byGtin(gtin: string): Product | null;
  byCode(code: string): Product | null;
  byPlu(plu: number): Product | null;
}

export function lookupCode(raw: string, catalog: CatalogReader, mode: ScaleLabelMode, format: ScaleFormat = SCALE_FORMATS[0]!): CodeLookup | null {
  let code = raw.trim();
  let qtyE4: number | null = null;
  const m = splitQtyPrefix(code);
  if (m.kind === 'prefix' && m.rest !== '') {
    if (m.qtyE4 === null) throw new LookupError('quantity_invalid', `Quantidade inválida. ${QTY_HINT}`);
    qtyE4 = m.qtyE4;
    code = m.rest;
  }

  if (/^\d+$/.test(code) && (code.length === 8 || code.length >= 12)) {
    const hit = catalog.byGtin(code);
    if (hit) return { product: hit, qtyE4: fractional(hit, qtyE4), labelTotalCents: null };
    if (code.length === 13 && code.startsWith('2')) {
      if (!isValidGtin(code)) throw badCheckDigit();
      return scaleLabel(code, catalog, mode, format);
    }
    if (code.length <= 14 && !isValidGtin(code)) {
      const internal = catalog.byCode(code);
      if (internal) return { product: internal, qtyE4: fractional(internal, qtyE4), labelTotalCents: null };
      throw badCheckDigit();
    }
  }
  const internal = catalog.byCode(code);
  if (internal) return { product: internal, qtyE4: fractional(internal, qtyE4), labelTotalCents: null };
  return null;
}

function fractional(p: Product, qtyE4: number | null): number | null {
  if (qtyE4 !== null && !p.weighed && qtyE4 % QTY_ONE !== 0) {
    throw new LookupError('quantity_fraction', `${p.description} é vendido por ${p.unit}: use uma quantidade inteira.`);
  }
  return qtyE4;
}

function scaleLabel(code: string, catalog: CatalogReader, mode: ScaleLabelMode, format: ScaleFormat): CodeLookup {
  const { plu, value } = splitLabel(code, format);
  const product = catalog.byPlu(plu);
  if (!product) {
    throw new LookupError(
      'plu_not_found',
      `Etiqueta de balança com código ${plu} não cadastrado. Confira o cadastro da balança ou digite o código do produto.`,
    );
  }
  if (value <= 0) throw new LookupError('label_zero', 'Etiqueta de balança com valor zero. Pese de novo.');
  if (mode === 'weight') {
    return { product, qtyE4: value * 10, labelTotalCents: null };
  }
  if (product.priceCents <= 0) {
    throw new LookupError('price_missing', `${product.description} está sem preço no cadastro. Chame o gerente.`);
  }
  const qty = Math.max(1, Math.round((value * QTY_ONE) / product.priceCents));
  return { product, qtyE4: qty, labelTotalCents: value };
}

function badCheckDigit(): LookupError {
  return new LookupError('gtin_check_digit', 'Código de barras inválido (dígito verificador não confere). Leia de novo ou digite o código.');
}
