export { Journal } from './journal.ts';
export { JournalError } from './errors.ts';
export type { Migration } from './migrations.ts';
export { makeRef } from './sales-repo.ts';
export type * from './types.ts';
