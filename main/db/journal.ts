// The sales journal: one SQLite file in the app's data directory. Open it once per process.
//
// What the file itself can suffer is checked at every open: PRAGMA quick_check (a damaged page or
// header refuses to open, with recovery steps), and the high-water mark kept beyond the file (an
// older copy or a lost -wal is "behind": selling stops until relearn.ts re-learned the missing
// sales from Focus). Every open starts a new ref generation (a random tag in every new Focus ref),
// so a journal copied, restored or reinstalled can never hand a new sale the ref of a vanished one.
import type { DatabaseSync } from 'node:sqlite';
import { afterCommit, checkIntegrity, openDatabase, transaction } from './sqlite.ts';
import { JOURNAL_MIGRATIONS, randomTag } from './schema.ts';
import { EXTRAS_MIGRATIONS } from './schema-extras.ts';
import { OUTBOX_MIGRATIONS } from './outbox.ts';
import type { Migration } from './migrations.ts';
import { EmissionsRepo } from './emissions-repo.ts';
import { SalesRepo, makeRef } from './sales-repo.ts';
import type { EmissionPatch, EmissionRow } from './types.ts';
import type { EmissionState } from '../../shared/emission.ts';
import type { Environment } from '../../shared/sale.ts';
import { AuditRepo } from './audit-repo.ts';
import { JournalError } from './errors.ts';
import { DAMAGED_MESSAGE } from './faults.ts';
import { behindBy, emptyMark, HighWaterMark, readMark, type JournalExtent, type MarkState } from './mark.ts';
import { SideEffectsRepo } from './side-effects-repo.ts';

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
  /** High-water mark file; default `<path>.mark`. null: no mark (tools that read old copies). */
  markPath?: string | null;
  /** Skip PRAGMA quick_check at open (benchmarks that reopen thousands of times). */
  skipQuickCheck?: boolean;
}

/** Why the journal refuses new sales right now (null: it does not). */
export interface JournalRefusal {
  code: 'journal_rolled_back';
  message: string;
  /** The mark the journal is behind, for the re-learning. */
  mark: MarkState;
  extent: JournalExtent;
}

export class Journal {
  readonly db: DatabaseSync;
  readonly sales: SalesRepo;
  readonly emissions: EmissionsRepo;
  readonly audit: AuditRepo;
  readonly sideEffects: SideEffectsRepo;
  /** This open's ref generation: the random tag every new Focus ref carries. */
  readonly tag: string;
  /** Random id of this file's lineage (a copy shares it; a new file gets another). */
  readonly journalId: string;
  readonly path: string;
  readonly mark: HighWaterMark | null;
  #refusal: JournalRefusal | null = null;

  private constructor(db: DatabaseSync, path: string, now: () => number, markPath: string | null) {
    this.db = db;
    this.path = path;
    this.tag = randomTag(6);
    this.journalId = String(db.prepare("SELECT value FROM meta WHERE key = 'journal_id'").get()?.value ?? 'j');
    this.audit = new AuditRepo(db, now);
    this.emissions = new EmissionsRepo(db, now);
    this.sideEffects = new SideEffectsRepo(db, now);
    this.mark = markPath === null ? null : this.#loadMark(markPath);
    this.sales = new SalesRepo(db, this.emissions, this.audit, this.tag, () => this.#refusal);
    if (this.mark) {
      const mark = this.mark;
      // Every committed emission row raises the mark (sale id, emission id, attempt, número).
      // A ref of this open's generation also widens the generation's range (what a re-learning asks).
      this.emissions.onCommitted = (row) =>
        afterCommit(db, () =>
          mark.bump({
            saleId: row.saleId,
            emissionId: row.id,
            attempt: row.attempt,
            serie: row.serie,
            numero: row.numero,
            ...(row.ref.split('_')[1] === this.tag ? { ownSaleId: row.saleId } : {}),
          }),
        );
    }
  }

  /** Opens (creating or migrating) the journal. Throws JournalError with a pt-BR message when refused. */
  static open(opts: JournalOptions): Journal {
    const now = opts.now ?? Date.now;
    const db = openDatabase(opts.path, {
      migrations: [...JOURNAL_MIGRATIONS, ...EXTRAS_MIGRATIONS, ...OUTBOX_MIGRATIONS, ...(opts.extraMigrations ?? [])],
      ...(opts.busyTimeoutMs !== undefined ? { busyTimeoutMs: opts.busyTimeoutMs } : {}),
      nowIso: new Date(now()).toISOString(),
    });
    try {
      if (!opts.skipQuickCheck) {
        const problems = checkIntegrity(db, false);
        if (problems.length > 0) throw new JournalError('journal_damaged', DAMAGED_MESSAGE, { cause: new Error(problems.slice(0, 5).join('; ')) });
      }
      return new Journal(db, opts.path, now, opts.markPath === undefined ? `${opts.path}.mark` : opts.markPath);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** What the file holds now: last sale, last emission, last número per série. */
  extent(): JournalExtent {
    const lastSaleId = Number(this.db.prepare('SELECT MAX(id) AS n FROM sales').get()?.n ?? 0);
    const lastEmissionId = Number(this.db.prepare('SELECT MAX(id) AS n FROM emissions').get()?.n ?? 0);
    const numeros: Record<string, number> = {};
    for (const r of this.db
      .prepare('SELECT serie, MAX(CAST(numero AS INTEGER)) AS n FROM emissions WHERE numero IS NOT NULL AND serie IS NOT NULL GROUP BY serie')
      .all()) {
      numeros[String(r.serie)] = Number(r.n);
    }
    return { lastSaleId, lastEmissionId, numeros };
  }

  #loadMark(path: string): HighWaterMark {
    const extent = this.extent();
    const found = readMark(path);
    const generation = { tag: this.tag, fromSaleId: extent.lastSaleId + 1, firstSaleId: null, lastSaleId: null };
    // A generation that numbered nothing (an open refused while re-learning, a till opened and closed)
    // can never be asked about: dropped, so it never hides the one that did number a sale.
    const gens = [...(found?.generations ?? []).filter((g) => g.firstSaleId !== null), generation];
    const mark = new HighWaterMark(path, found ?? emptyMark(this.journalId));
    const reasons = found ? behindBy(found, extent) : [];
    try {
      if (found && reasons.length > 0) {
        this.#refusal = {
          code: 'journal_rolled_back',
          message:
            'O arquivo de vendas voltou no tempo (foi trocado por uma cópia mais antiga ou perdeu o final): ' +
            `${reasons[0]}. As vendas estão suspensas para não repetir nem trocar notas. ` +
            'O Balcão vai consultar a Focus NFe sobre cada venda que falta e volta a vender sozinho quando terminar; ' +
            'se continuar sem internet, chame o gerente.',
          mark: found,
          extent,
        };
        // The mark stays where it was (it is the evidence); only the new generation is added.
        mark.reset({ ...found, generations: gens });
      } else {
        mark.reset({
          v: 1,
          journalId: this.journalId,
          lastSaleId: Math.max(found?.lastSaleId ?? 0, extent.lastSaleId),
          lastEmissionId: Math.max(found?.lastEmissionId ?? 0, extent.lastEmissionId),
          maxAttempt: Math.max(found?.maxAttempt ?? 0, this.#maxAttempt()),
          numeros: mergeMax(found?.numeros ?? {}, extent.numeros),
          generations: gens,
        });
      }
    } catch {
      // A mark that cannot be written (disk full, read-only dir) weakens detection only.
    }
    return mark;
  }

  #maxAttempt(): number {
    return Number(this.db.prepare('SELECT MAX(attempt) AS n FROM emissions').get()?.n ?? 0);
  }

  /** Why new sales are refused (a rolled-back journal not re-learned yet), or null. */
  refusal(): JournalRefusal | null {
    return this.#refusal;
  }

  /** After the missing sales were re-learned: the mark now describes this file, selling resumes. */
  acceptExtent(): void {
    if (!this.#refusal || !this.mark) return;
    const extent = this.extent();
    const old = this.#refusal.mark;
    this.mark.reset({
      v: 1,
      journalId: this.journalId,
      lastSaleId: Math.max(old.lastSaleId, extent.lastSaleId),
      lastEmissionId: extent.lastEmissionId,
      maxAttempt: Math.max(old.maxAttempt, this.#maxAttempt()),
      numeros: extent.numeros,
      generations: this.mark.state.generations,
    });
    this.#refusal = null;
  }

  /** PRAGMA integrity_check (on demand and at closing): the problems found, empty when sound. */
  checkIntegrity(full = true): string[] {
    return checkIntegrity(this.db, full);
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

  /** Claims the sale's one drawer opening; true only the first time (a reprint never opens the drawer). */
  claimDrawer(saleId: number, atMs: number): boolean {
    const r = this.db.prepare('INSERT OR IGNORE INTO drawer_claims(sale_id, first_ms) VALUES (?, ?)').run(saleId, atMs);
    return Number(r.changes) === 1;
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
    this.mark?.close();
    if (this.db.isOpen) this.db.close();
  }
}

function mergeMax(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = Math.max(out[k] ?? 0, v);
  return out;
}
