// Errors the journal raises towards the user: a stable code and a sentence in Portuguese.
import { UserFacingError } from '../../shared/errors.ts';
export type JournalErrorCode =
  | 'journal_newer'
  | 'journal_not_database'
  | 'journal_locked'
  | 'journal_migration_failed'
  | 'sale_not_found'
  | 'emission_not_found'
  | 'forbidden_transition';

export class JournalError extends UserFacingError<JournalErrorCode> {}
