// Errors the journal raises towards the user: a stable code and a sentence in Portuguese.
import { UserFacingError } from '../../shared/errors.ts';
export type JournalErrorCode =
  | 'journal_newer'
  | 'journal_not_database'
  | 'journal_locked'
  | 'journal_migration_failed'
  | 'sale_not_found'
  | 'emission_not_found'
  /** SQLITE_FULL / ENOSPC: nothing was recorded, nothing was sent. */
  | 'disk_full'
  /** quick_check/integrity_check failed, or a statement met a damaged page. */
  | 'journal_damaged'
  /** The file is behind its high-water mark (an older copy, a lost -wal). */
  | 'journal_rolled_back'
  /** Another Balcão process holds this data directory. */
  | 'data_dir_locked'
  | 'forbidden_transition';

export class JournalError extends UserFacingError<JournalErrorCode> {}
