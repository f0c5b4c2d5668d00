// Item avulso: a line typed at the till for something that is not in the catalog (a description and
// a price), with the fiscal data of a tax profile the manager chose, and only when the manager has
// enabled it. The renderer proposes it; the core builds the product from its own settings and
// profile, so the fiscal data never comes from the till.
import { z } from 'zod';
import { PRODUCT_DEFAULTS, type Crt, type Product, type TaxProfile } from '../sale.ts';
import { effectiveProduct } from './effective.ts';
import { cestRequired, ncmShapeOk, productIssues } from './rules.ts';
import { LOOSE_PRODUCT_CODE, LOOSE_PRODUCT_ID } from './loose-ids.ts';

export const LooseItemSettings = z.object({
  enabled: z.boolean(),
  /** The tax profile whose fiscal fields every item avulso takes. */
  taxProfileId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .nullable(),
  /** NCM of the items avulso (a profile has none): the shop's most general one. */
  ncm: z
    .string()
    .regex(/^\d{8}$/, { message: 'o NCM tem 8 dígitos' })
    .nullable(),
  /** CEST, when the profile's ICMS is substituição tributária. */
  cest: z
    .string()
    .regex(/^\d{7}$/, { message: 'o CEST tem 7 dígitos' })
    .nullable(),
  /** Highest unit price a cashier may type (a slip of the finger on R$ 1.000,00 stops here). */
  maxPriceCents: z.number().int().min(1).max(10_000_000),
});
export type LooseItemSettings = z.infer<typeof LooseItemSettings>;

export const DEFAULT_LOOSE_ITEM: LooseItemSettings = { enabled: false, taxProfileId: null, ncm: null, cest: null, maxPriceCents: 100_000 };

/** The product an item avulso is sold as: the profile's fiscal fields, the shop's NCM/CEST, the typed description and price. */
export function looseProduct(cfg: Pick<LooseItemSettings, 'ncm' | 'cest'>, profile: TaxProfile, description: string, priceCents: number): Product {
  const base: Product = {
    ...PRODUCT_DEFAULTS,
    id: LOOSE_PRODUCT_ID,
    code: LOOSE_PRODUCT_CODE,
    gtin: null,
    description: description.trim(),
    unit: 'UN',
    priceCents,
    ncm: cfg.ncm ?? '',
    cest: cfg.cest,
    cfop: profile.cfop,
    origin: profile.origin,
    icms: profile.icms,
    icmsRateBp: profile.icmsRateBp,
    approxTaxBp: profile.approxTaxBp,
    weighed: false,
    taxProfileId: profile.id,
    overrides: [],
  };
  return effectiveProduct(base, profile);
}

/**
 * Why these settings cannot be saved enabled (pt-BR), or null. Every item avulso would carry these
 * fiscal data, so they must make a valid NFC-e item for the shop's regime.
 */
export function looseItemProblem(cfg: LooseItemSettings, profile: TaxProfile | null, crt: Crt): string | null {
  if (!cfg.enabled) return null;
  if (!cfg.taxProfileId) return 'Escolha o perfil fiscal do item avulso.';
  if (!profile) return 'O perfil fiscal escolhido para o item avulso não existe mais. Escolha outro.';
  if (!cfg.ncm || !ncmShapeOk(cfg.ncm)) return 'Informe o NCM do item avulso: 8 dígitos de um capítulo existente (01 a 97).';
  if (cestRequired(profile.icms) && !cfg.cest)
    return `O perfil "${profile.name}" é de substituição tributária (ICMS ${profile.icms}): informe o CEST do item avulso.`;
  const issues = productIssues(looseProduct(cfg, profile, 'Item avulso', 1), crt).filter((i) => i.code !== 'ibs_cbs_missing');
  return issues.length > 0 ? `O perfil "${profile.name}" não serve para o item avulso: ${issues.map((i) => i.message).join(' ')}` : null;
}
