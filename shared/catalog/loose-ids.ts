// The item avulso's fixed identity, apart from its settings' schema (shared/catalog/loose.ts) so the
// till's dialog can name it without pulling zod into the startup bundle.

/** The product id every item avulso carries in a draft and in the journal (never a catalog id). */
export const LOOSE_PRODUCT_ID = '__avulso__';
/** The product code on the note and the receipt. */
export const LOOSE_PRODUCT_CODE = 'AVULSO';
