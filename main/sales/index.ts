export { prepareSale, type PrepareContext, type PreparedSale, type ProductCatalog } from './prepare.ts';
export { parseDraft } from './draft.ts';
export { SaleRefusedError, type SaleRefusalCode } from './errors.ts';
