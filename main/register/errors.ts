import { UserFacingError } from '../../shared/errors.ts';

export type RegisterErrorCode =
  | 'register_closed'
  | 'register_already_open'
  | 'opening_count_mismatch'
  | 'amount_invalid'
  | 'register_notes_sending'
  | 'sangria_exceeds_cash'
  | 'register_session_unknown'
  | 'register_not_manager'
  | 'gap_invalid'
  | 'gap_in_progress'
  | 'export_failed'
  | 'month_invalid';

/** A refusal of the register (opening, movements, closing, reports): code + pt-BR sentence. */
export class RegisterError extends UserFacingError<RegisterErrorCode> {}
