// The sales journal: one SQLite file in the app's data directory. Open it once per process.
import type { DatabaseSync } from 'node:sqlite';
import { openDatabase, transaction } from './sqlite.ts';
import { JOURNAL_MIGRATIONS } from './schema.ts';
import type { Migration } from './migrations.ts';
import { EmissionsRepo } from './emissions-repo.ts';
import { SalesRepo, makeRef } from './sales-repo.ts';
import type { EmissionPatch, EmissionRow } from './types.ts';
import type { EmissionState } from '../../shared/emission.ts';
import type { Environment } from '../../shared/sale.ts';
import { AuditRepo } from './audit-repo.ts';

export interface JournalOptions {
  /** Path of the SQLite file (created when missing). */
  path: string;
  /**
   * Migrations of other parts that keep their tables in this file (e.g. scope 'catalog'). Each scope
   * is versioned on its own; a file with a newer version of any known scope is refused untouched.
   */
  extraMigrations?: readonly Migration[];
  now?: () => number;
  busyTimeoutMs?: number;
}

export class Journal {
  readonly db: DatabaseSync;
  readonly sales: SalesRepo;
  readonly emissions: EmissionsRepo;
  readonly audit: AuditRepo;
  /** Random per-file tag that goes into every Focus ref. */
  readonly tag: string;
  readonly path: string;

  private constructor(db: DatabaseSync, path: string, now: () => number) {
    this.db = db;
    this.path = path;
    const tagRow = db.prepare("SELECT value FROM meta WHERE key = 'journal_tag'").get();
    this.tag = String(tagRow?.value ?? 'j');
    this.audit = new AuditRepo(db, now);
    this.emissions = new EmissionsRepo(db, now);
    this.sales = new SalesRepo(db, this.emissions, this.audit, this.tag);
  }

  /** Opens (creating or migrating) the journal. Throws JournalError with a pt-BR message when refused. */
  static open(opts: JournalOptions): Journal {
    const now = opts.now ?? Date.now;
    const db = openDatabase(opts.path, {
      migrations: [...JOURNAL_MIGRATIONS, ...(opts.extraMigrations ?? [])],
      ...(opts.busyTimeoutMs !== undefined ? { busyTimeoutMs: opts.busyTimeoutMs } : {}),
      nowIso: new Date(now()).toISOString(),
    });
    return new Journal(db, opts.path, now);
  }

  /**
   * Adds a new attempt for a sale (attempt = last + 1, with its own ref), e.g. a manual-contingency
   * note that replaces an online attempt. Returns the new row; publish it with engine.announce(id).
   */
  addAttempt(saleId: number, opts: { state: EmissionState; environment: Environment; patch?: EmissionPatch }): EmissionRow {
    return this.transaction(() => {
      const sale = this.sales.require(saleId);
      const last = this.emissions.latestForSale(saleId);
      const attempt = (last?.attempt ?? 0) + 1;
      return this.emissions.insertAttempt(saleId, attempt, makeRef(sale.terminalId, this.tag, saleId, attempt), opts.environment, opts.state, opts.patch ?? {});
    });
  }

  /** Runs fn atomically (nested calls become savepoints). */
  transaction<T>(fn: () => T): T {
    return transaction(this.db, fn);
  }

  /** PRAGMA quick_check: 'ok' when the file's structure is intact. */
  integrity(): boolean {
    const row = this.db.prepare('PRAGMA quick_check').get() as Record<string, unknown> | undefined;
    return row !== undefined && Object.values(row)[0] === 'ok';
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}
