// Units and bounds of a sale's numbers, shared by the draft's schema (shared/sale.ts) and the
// arithmetic on both sides. Schema-free: the renderer's startup bundle imports it without zod.

/** Quantity in ten-thousandths: 1 UN = 10_000, 0,512 kg = 5_120. */
export const QTY_ONE = 10_000;
/** Upper bounds that keep a typo from becoming a fiscal note (R$ 200.000,00 is the NFC-e ceiling). */
export const MAX_SALE_CENTS = 20_000_000;
export const MAX_QTY_E4 = 99_999 * QTY_ONE;
