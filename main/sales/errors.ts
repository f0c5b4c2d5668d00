// A sale the core refuses: a stable code, a sentence in Portuguese for the cashier, and field details.
import { UserFacingError, type FieldProblem } from '../../shared/errors.ts';
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

export class SaleRefusedError extends UserFacingError<SaleRefusalCode> {
  /** Always present for a refused sale (empty when no single field is to blame). */
  declare readonly fields: FieldProblem[];
  constructor(code: SaleRefusalCode, message: string, fields: FieldProblem[] = []) {
    super(code, message, { fields });
  }
}
