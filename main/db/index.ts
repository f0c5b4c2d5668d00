export { Journal } from './journal.ts';
export { JournalError } from './errors.ts';
export type { Migration } from './migrations.ts';
export type * from './types.ts';
