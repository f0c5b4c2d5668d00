// One base for every failure the user can act on: a stable code and a sentence in Portuguese that
// says what to do. The boundary (main/core/errors.ts) recognises them by type, so a module's
// refusal reaches the cashier as written, and anything else becomes a generic, leak-free sentence.
export interface FieldProblem {
  path: string;
  message: string;
}

export class UserFacingError<C extends string = string> extends Error {
  readonly code: C;
  readonly fields: FieldProblem[] | undefined;
  constructor(code: C, message: string, options: { cause?: unknown; fields?: FieldProblem[] } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.fields = options.fields;
  }
}

/** Why the core refused a sale at finalize (main/sales): the renderer reacts to some of these. */
export type SaleRefusalCode =
  | 'invalid_draft'
  | 'product_not_found'
  | 'price_mismatch'
  | 'discount_needs_manager'
  | 'manager_pin_invalid'
  | 'invalid_document'
  | 'invalid_text'
  | 'loose_item_invalid'
  | 'loose_item_disabled'
  | 'loose_item_price'
  | 'cart'
  | 'payment';

/** Refusals the manager's PIN resolves: the payment screen asks for it. */
export const MANAGER_PIN_REFUSALS: readonly string[] = ['discount_needs_manager', 'manager_pin_invalid'] satisfies SaleRefusalCode[];
