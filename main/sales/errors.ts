// A sale the core refuses: a stable code, a sentence in Portuguese for the cashier, and field details.
export type SaleRefusalCode =
  | 'invalid_draft'
  | 'product_not_found'
  | 'price_mismatch'
  | 'discount_needs_manager'
  | 'manager_pin_invalid'
  | 'invalid_document'
  | 'invalid_text'
  | 'cart'
  | 'payment';

export class SaleRefusedError extends Error {
  readonly code: SaleRefusalCode;
  readonly fields: { path: string; message: string }[];
  constructor(code: SaleRefusalCode, message: string, fields: { path: string; message: string }[] = []) {
    super(message);
    this.name = 'SaleRefusedError';
    this.code = code;
    this.fields = fields;
  }
}
