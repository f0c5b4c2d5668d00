export { Journal, type JournalOptions } from './journal.ts';
export { JournalError, type JournalErrorCode } from './errors.ts';
export type { Migration } from './migrations.ts';
export { makeRef } from './sales-repo.ts';
export type * from './types.ts';
