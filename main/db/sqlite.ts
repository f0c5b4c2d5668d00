// Opening the journal file: the refusal check runs on a read-only handle first, so a file from a
// newer app (or not a database at all) is reported without a single byte being written to it.
import { DatabaseSync } from 'node:sqlite';
import { existsSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { JournalError } from './errors.ts';
import { classifyStorageError, DAMAGED_MESSAGE, SQLITE_BUSY, SQLITE_CORRUPT, SQLITE_LOCKED, SQLITE_NOTADB, sqliteCode } from './faults.ts';
import { applyMigrations, assertNotNewer, checkMigrationList, knownVersions, readVersions, type Migration } from './migrations.ts';

export interface OpenOptions {
  migrations: readonly Migration[];
  busyTimeoutMs?: number;
  nowIso?: string;
}

function preflight(path: string, known: Map<string, number>): void {
  if (!existsSync(path) || statSync(path).size === 0) return;
  let ro: DatabaseSync | null = null;
  try {
    // Without a WAL beside it, read the file as immutable: SQLite then creates no -wal/-shm either.
    // With a WAL (an unclean stop), a plain read-only open sees its content; the write handle re-checks.
    const target = existsSync(`${path}-wal`) ? path : Object.assign(pathToFileURL(path), { search: '?immutable=1' });
    ro = new DatabaseSync(target, { readOnly: true });
    assertNotNewer(readVersions(ro), known);
  } catch (err) {
    if (err instanceof JournalError) throw err;
    const code = sqliteCode(err);
    if (code === SQLITE_NOTADB || code === SQLITE_CORRUPT) {
      throw new JournalError('journal_damaged', DAMAGED_MESSAGE, { cause: err });
    }
    if (code === SQLITE_BUSY || code === SQLITE_LOCKED) {
      throw new JournalError('journal_locked', 'O arquivo de vendas está em uso por outro programa. Feche a outra janela do Balcão e tente de novo.', {
        cause: err,
      });
    }
    throw err;
  } finally {
    ro?.close();
  }
}

export function openDatabase(path: string, opts: OpenOptions): DatabaseSync {
  checkMigrationList(opts.migrations);
  preflight(path, knownVersions(opts.migrations));
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path, { timeout: opts.busyTimeoutMs ?? 5_000 });
  } catch (err) {
    throw classifyStorageError(err, path);
  }
  try {
    // WAL + FULL: every commit is on disk (fsync of the WAL) before the call returns, so nothing goes
    // on the wire for a sale the journal could still forget.
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = FULL');
    db.exec('PRAGMA foreign_keys = ON');
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5_000))}`);
    // Re-check under the write handle: another process could have migrated between the two opens.
    assertNotNewer(readVersions(db), knownVersions(opts.migrations));
    applyMigrations(db, opts.migrations, opts.nowIso ?? new Date().toISOString());
    return db;
  } catch (err) {
    db.close();
    throw classifyStorageError(err, path);
  }
}

/**
 * PRAGMA quick_check (O(n) but no index cross-checks: ~tens of ms at 100,000 sales) or the full
 * integrity_check. Returns the problems SQLite lists (empty when the file is sound); a check that
 * cannot even run (header, truncated file) is reported as one problem.
 */
export function checkIntegrity(db: DatabaseSync, full = false): string[] {
  try {
    const rows = db.prepare(full ? 'PRAGMA integrity_check' : 'PRAGMA quick_check').all();
    const out = rows.map((r) => String(Object.values(r)[0]));
    return out.length === 1 && out[0] === 'ok' ? [] : out;
  } catch (err) {
    return [String((err as Error)?.message ?? err)];
  }
}

/** Test seam: a hook that may throw at the start of every write transaction (injected fs errors). */
const writeFaults = new WeakMap<DatabaseSync, () => void>();

export function setWriteFault(db: DatabaseSync, hook: (() => void) | null): void {
  if (hook) writeFaults.set(db, hook);
  else writeFaults.delete(db);
}

/** Callbacks that run once the outermost transaction has committed (dropped on rollback). */
const afterCommitQueues = new WeakMap<DatabaseSync, (() => void)[]>();

/**
 * Runs fn after the current transaction commits, or now when none is open. Used for writes that
 * must never get ahead of the journal (the high-water mark): a rolled-back sale leaves no trace.
 */
export function afterCommit(db: DatabaseSync, fn: () => void): void {
  if (!db.isTransaction) {
    fn();
    return;
  }
  let q = afterCommitQueues.get(db);
  if (!q) afterCommitQueues.set(db, (q = []));
  q.push(fn);
}

function flushAfterCommit(db: DatabaseSync, committed: boolean): void {
  const q = afterCommitQueues.get(db);
  if (!q || q.length === 0) return;
  afterCommitQueues.delete(db);
  if (!committed) return;
  for (const fn of q) fn();
}

/** Runs fn in a transaction; nested calls become savepoints so repositories compose. */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  if (db.isTransaction) {
    const name = `sp_${Math.random().toString(36).slice(2, 10)}`;
    db.exec(`SAVEPOINT ${name}`);
    try {
      const out = fn();
      db.exec(`RELEASE ${name}`);
      return out;
    } catch (err) {
      db.exec(`ROLLBACK TO ${name}`);
      db.exec(`RELEASE ${name}`);
      throw err;
    }
  }
  try {
    writeFaults.get(db)?.();
    db.exec('BEGIN IMMEDIATE');
  } catch (err) {
    throw classifyStorageError(err, db.location() ?? '');
  }
  let out: T;
  try {
    out = fn();
    db.exec('COMMIT');
  } catch (err) {
    // After SQLITE_FULL SQLite may already have rolled the transaction back itself.
    try {
      if (db.isTransaction) db.exec('ROLLBACK');
    } catch {
      // The rollback of a failed write can fail too (disk full); the journal stays consistent.
    }
    flushAfterCommit(db, false);
    throw classifyStorageError(err, db.location() ?? '');
  }
  flushAfterCommit(db, true);
  return out;
}

/** node:sqlite refuses undefined; the journal stores absent values as NULL. */
export function nn<T>(v: T | undefined): T | null {
  return v === undefined ? null : v;
}
