// A sale the core refuses: a stable code, a sentence in Portuguese for the cashier, and field details.
import { UserFacingError, type FieldProblem, type SaleRefusalCode } from '../../shared/errors.ts';

export class SaleRefusedError extends UserFacingError<SaleRefusalCode> {
  /** Always present for a refused sale (empty when no single field is to blame). */
  declare readonly fields: FieldProblem[];
  constructor(code: SaleRefusalCode, message: string, fields: FieldProblem[] = []) {
    super(code, message, { fields });
  }
}
