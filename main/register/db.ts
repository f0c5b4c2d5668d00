// The register's own connection to the profile's journal file (WAL: it shares the file with the
// emission engine's connection). It knows the journal's migrations too, so a fresh file in a
// test or a bench gets the sales tables the reports read.
import { openDatabase } from '../db/sqlite.ts';
import { JOURNAL_MIGRATIONS } from '../db/schema.ts';
import { REGISTER_MIGRATIONS } from './schema.ts';
import { OUTBOX_MIGRATIONS } from '../db/outbox.ts';
import type { DatabaseSync } from 'node:sqlite';

export function openRegisterDb(path: string, nowMs: number): DatabaseSync {
  return openDatabase(path, { migrations: [...JOURNAL_MIGRATIONS, ...OUTBOX_MIGRATIONS, ...REGISTER_MIGRATIONS], nowIso: new Date(nowMs).toISOString() });
}
