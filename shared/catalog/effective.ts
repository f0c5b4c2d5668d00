// Effective fiscal data of a product: its tax profile's fields, overridden by the fields the
// product sets itself (`overrides`). The core resolves every product through this one function
// when it builds a sale, so editing a profile applies from the next sale on.
import { TAX_PROFILE_FIELDS, type Product, type TaxProfile } from '../sale.ts';

export function effectiveProduct(product: Product, profile: TaxProfile | null): Product {
  if (!profile || product.taxProfileId !== profile.id) return product;
  const own = new Set(product.overrides);
  const out: Record<string, unknown> = { ...product };
  for (const f of TAX_PROFILE_FIELDS) if (!own.has(f)) out[f] = profile[f];
  return out as Product;
}
