// Errors the journal raises towards the user: a stable code and a sentence in Portuguese.
export type JournalErrorCode =
  | 'journal_newer'
  | 'journal_not_database'
  | 'journal_locked'
  | 'journal_migration_failed'
  | 'sale_not_found'
  | 'emission_not_found';

export class JournalError extends Error {
  readonly code: JournalErrorCode;
  constructor(code: JournalErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JournalError';
    this.code = code;
  }
}
