// Hot backups of the journal through SQLite's online backup API (node:sqlite backup()), in small
// steps on the till's own connection: each step copies a few hundred pages in libuv's thread pool,
// the event loop runs between steps, and a sale committed meanwhile is written into the copy by
// SQLite itself (a copy from a second connection would restart on every commit, so it had to be
// taken in one long step). Each copy is written beside its final name, verified by reopening it in a
// worker thread (quick_check and the sales count), then renamed: a copy that exists under its final
// name is a copy that was checked.
//
// Restoring is copying a checked backup back over the journal while its profile is closed (the
// core's guided restore, main/core/handlers/journal.ts, closes and reopens it around the swap). The
// restored file is behind the high-water mark, so the next start stops selling and re-learns
// from Focus every sale the backup lacks (main/emission/relearn.ts) before it sells again.
import { backup, DatabaseSync } from 'node:sqlite';
import { copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, closeSync, readdirSync, renameSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UserFacingError } from '../../shared/errors.ts';
import { isDiskFull } from './faults.ts';
import { readMark } from './mark.ts';

export class BackupError extends UserFacingError<'backup_failed' | 'backup_invalid' | 'backup_disk_full' | 'backup_foreign'> {}

/** What a checked backup holds: its sales and the lineage (meta 'journal_id') of the journal it was copied from. */
export interface BackupCheck {
  sales: number;
  journalId: string | null;
}

const FOREIGN_MESSAGE =
  'Esta cópia de segurança é de outro arquivo de vendas (de outro caixa ou de outra loja) e não pode substituir as vendas deste caixa. ' +
  'Nada foi alterado. Escolha uma cópia feita neste caixa.';

/** The refusal of a copy from another journal's lineage. */
export function foreignBackup(file: string): BackupError {
  return new BackupError('backup_foreign', `${FOREIGN_MESSAGE} (${file})`);
}

/**
 * The lineage the journal at `journalPath` belongs to: the one its high-water mark records (kept
 * outside the file, so it survives a damaged or deleted journal), else the file's own journal_id;
 * null when neither can be read (a new install: any copy of this profile may be brought in).
 */
export function journalLineage(journalPath: string): string | null {
  const mark = readMark(`${journalPath}.mark`);
  if (mark?.journalId) return mark.journalId;
  if (!existsSync(journalPath)) return null;
  let db: DatabaseSync | null = null;
  try {
    const target = existsSync(`${journalPath}-wal`) ? journalPath : Object.assign(pathToFileURL(journalPath), { search: '?immutable=1' });
    db = new DatabaseSync(target, { readOnly: true });
    const v = db.prepare("SELECT value FROM meta WHERE key = 'journal_id'").get()?.value;
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  } finally {
    db?.close();
  }
}

export interface BackupResult {
  path: string;
  bytes: number;
  ms: number;
  /** The copy and the check of the copy, within ms. */
  copyMs: number;
  verifyMs: number;
  sales: number;
}

export interface BackupOptions {
  /** Copies kept in the directory (oldest removed). Default 48. */
  keep?: number;
  now?: () => number;
  /** node:sqlite's `backup` (tests inject a failing one to reach the one-step fallback). */
  copy?: typeof backup;
}

const stamp = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
    .replace('T', '-');

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Opens a backup read-only and checks it; returns its sale count and lineage. Throws BackupError when unusable. */
export function verifyBackup(path: string): BackupCheck {
  let db: DatabaseSync | null = null;
  try {
    db = new DatabaseSync(Object.assign(pathToFileURL(path), { search: '?immutable=1' }), { readOnly: true });
    const check = db
      .prepare('PRAGMA quick_check')
      .all()
      .map((r) => String(Object.values(r)[0]));
    if (check.length !== 1 || check[0] !== 'ok') throw new Error(check.slice(0, 3).join('; '));
    const id = db.prepare("SELECT value FROM meta WHERE key = 'journal_id'").get()?.value;
    return { sales: Number(db.prepare('SELECT COUNT(*) AS n FROM sales').get()?.n ?? 0), journalId: typeof id === 'string' ? id : null };
  } catch (err) {
    throw new BackupError('backup_invalid', `A cópia de segurança ${basename(path)} não passou na verificação e não será usada.`, { cause: err });
  } finally {
    db?.close();
  }
}

// The check reads the whole copy (hundreds of ms at 100,000 sales): it runs in a worker thread so
// the cashier's next sale never waits for it.
// The worker takes the path to check in its first message: a backup starts it before the copy, so
// that its start-up (a new isolate) overlaps the copy instead of adding to it.
const VERIFY_WORKER = `
const { parentPort } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const { pathToFileURL } = require('node:url');
parentPort.once('message', (path) => {
  let db;
  try {
    db = new DatabaseSync(Object.assign(pathToFileURL(path), { search: '?immutable=1' }), { readOnly: true });
    const check = db.prepare('PRAGMA quick_check').all().map((r) => String(Object.values(r)[0]));
    const sales = Number(db.prepare('SELECT COUNT(*) AS n FROM sales').get().n);
    const id = db.prepare("SELECT value FROM meta WHERE key = 'journal_id'").get();
    const journalId = id && typeof id.value === 'string' ? id.value : null;
    parentPort.postMessage({ ok: check.length === 1 && check[0] === 'ok', problems: check.slice(0, 3), sales, journalId });
  } catch (e) {
    parentPort.postMessage({ ok: false, problems: [String(e && e.message)], sales: 0, journalId: null });
  } finally {
    if (db) db.close();
    parentPort.close();
  }
});`;

interface Verifier {
  /** Checks the file at `path` (once); rejects with BackupError when it is unusable. */
  verify(path: string): Promise<BackupCheck>;
  /** Ends the worker when no check will be asked. */
  cancel(): void;
}

/** A verify worker, started now, that checks one file when asked. */
function startVerifier(): Verifier {
  const w = new Worker(VERIFY_WORKER, { eval: true });
  let failed: Error | null = null;
  w.once('error', (e: Error) => {
    failed = e;
  });
  return {
    verify: (path) =>
      new Promise((resolve, reject) => {
        const unusable = (cause: Error) =>
          reject(new BackupError('backup_invalid', `A cópia de segurança ${basename(path)} não pôde ser verificada.`, { cause }));
        if (failed) return unusable(failed);
        w.once('message', (m: { ok: boolean; problems: string[]; sales: number; journalId: string | null }) => {
          if (m.ok) resolve({ sales: m.sales, journalId: m.journalId });
          else
            reject(
              new BackupError('backup_invalid', `A cópia de segurança ${basename(path)} não passou na verificação e não será usada.`, {
                cause: new Error(m.problems.join('; ')),
              }),
            );
        });
        w.once('error', unusable);
        w.postMessage(path);
      }),
    cancel: () => void w.terminate(),
  };
}

/** verifyBackup() off the main thread. */
export function verifyBackupInWorker(path: string): Promise<BackupCheck> {
  return startVerifier().verify(path);
}

/**
 * Pages copied per step. The copy runs on the till's own connection (so the till's commits during
 * the copy go into the copy too, and never restart it); each step holds that connection for the
 * time of copying this many pages in libuv's thread pool (~1 ms for 1 MiB), so a sale that commits
 * meanwhile waits at most one step. Between steps the event loop runs.
 */
const PAGES_PER_STEP = 256;
const COPY_ATTEMPTS = 3;

/**
 * The copy's last resort: a second, read-only connection (WAL: a reader beside the till's writer)
 * copies the whole file in one step, in libuv's thread pool. Slower for the till than the stepped
 * copy (one long read), but it does not share the till's connection.
 */
async function copyInOneStep(copy: typeof backup, path: string, part: string): Promise<void> {
  const src = new DatabaseSync(path, { readOnly: true, timeout: 5000 });
  try {
    await copy(src, part, { rate: 1e9 });
  } finally {
    src.close();
  }
}

/** Takes one verified hot backup of the journal `db` (a file database) into `dir`. */
export async function backupJournal(db: DatabaseSync, dir: string, name: string, opts: BackupOptions = {}): Promise<BackupResult> {
  const now = opts.now ?? Date.now;
  const copy = opts.copy ?? backup;
  const t0 = performance.now();
  const final = join(dir, `${name}-${stamp(now())}.sqlite`);
  const part = `${final}.part`;
  let verifier: Verifier | null = null;
  try {
    if (!db.location()) throw new Error('in-memory database');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    rmSync(part, { force: true });
    // The check reads the whole copy: in a worker thread (reopened read-only), never on the till's thread.
    verifier = startVerifier();
    for (let attempt = 1; ; attempt++) {
      try {
        if (attempt <= COPY_ATTEMPTS) await copy(db, part, { rate: PAGES_PER_STEP });
        else await copyInOneStep(copy, db.location()!, part);
        break;
      } catch (err) {
        // A step can fail spuriously while the till commits (seen as errcode 0, "not an error", even
        // on a quiet machine while selling): start over from a clean file; after COPY_ATTEMPTS, copy
        // once from a second, read-only connection (one snapshot, no steps), as before the stepped copy.
        if (attempt > COPY_ATTEMPTS || isDiskFull(err, part)) throw err;
        rmSync(part, { force: true });
        rmSync(`${part}-journal`, { force: true });
      }
    }
    const t1 = performance.now();
    const check = await verifier.verify(part);
    verifier = null;
    const t2 = performance.now();
    fsyncPath(part);
    renameSync(part, final);
    fsyncPath(dir);
    prune(dir, name, opts.keep ?? 48);
    return { path: final, bytes: statSync(final).size, ms: performance.now() - t0, copyMs: t1 - t0, verifyMs: t2 - t1, sales: check.sales };
  } catch (err) {
    verifier?.cancel();
    rmSync(part, { force: true });
    rmSync(`${part}-journal`, { force: true });
    if (err instanceof BackupError) {
      if (err.code !== 'backup_invalid') throw err;
      throw new BackupError('backup_invalid', `A cópia de segurança ${basename(final)} não passou na verificação e não será usada.`, { cause: err.cause });
    }
    if (isDiskFull(err, part)) {
      throw new BackupError('backup_disk_full', `Não há espaço em ${dir} para a cópia de segurança. Libere espaço ou escolha outro local.`, { cause: err });
    }
    throw new BackupError('backup_failed', `Não foi possível gravar a cópia de segurança em ${dir}. Confira se o disco ou a pasta de rede está conectado.`, {
      cause: err,
    });
  }
}

/** Verified backups in `dir`, newest first. */
export function listBackups(dir: string, name: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${name}-`) && f.endsWith('.sqlite'))
    .sort()
    .reverse()
    .map((f) => join(dir, f));
}

export interface BackupEntry {
  file: string;
  path: string;
  /** When the copy was taken (from its name), ISO. */
  takenAt: string;
  bytes: number;
  ok: boolean;
  sales: number | null;
  problem: string | null;
}

/**
 * The newest `cap` backups of `dir`, each verified now (off the main thread, one at a time). With
 * `lineage`, a copy of another journal is listed as unusable.
 */
export async function describeBackups(dir: string, name: string, opts: { cap?: number; lineage?: string | null } = {}): Promise<BackupEntry[]> {
  const cap = opts.cap ?? 20;
  const out: BackupEntry[] = [];
  for (const path of listBackups(dir, name).slice(0, cap)) {
    const file = basename(path);
    const m = /-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})Z\.sqlite$/.exec(file);
    const takenAt = m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z` : '';
    const bytes = statSafe(path);
    if (bytes === null) continue; // removed meanwhile (pruned by a backup running now)
    try {
      const { sales, journalId } = await verifyBackupInWorker(path);
      if (opts.lineage && journalId !== opts.lineage) out.push({ file, path, takenAt, bytes, ok: false, sales, problem: FOREIGN_MESSAGE });
      else out.push({ file, path, takenAt, bytes, ok: true, sales, problem: null });
    } catch (e) {
      out.push({ file, path, takenAt, bytes, ok: false, sales: null, problem: e instanceof BackupError ? e.message : 'não pôde ser verificada' });
    }
  }
  return out;
}

function statSafe(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}

function prune(dir: string, name: string, keep: number): void {
  for (const old of listBackups(dir, name).slice(keep)) rmSync(old, { force: true });
}

/**
 * Puts a verified backup of this journal's lineage in place of the journal (its profile must be closed: nothing may hold it open). The damaged or older
 * file is kept beside it as <journal>.replaced-<stamp>; the -wal/-shm of the old file are removed
 * so they cannot be replayed onto the restored copy. The high-water mark is left as it is: it is
 * what makes the next start re-learn the missing sales from Focus.
 */
export function restoreJournal(backupPath: string, journalPath: string, now: () => number = Date.now): { kept: string | null } {
  const { journalId } = verifyBackup(backupPath);
  // A copy of another journal (another terminal, another shop) would hand this till another till's
  // sales, refs and números: refused before anything is touched.
  const lineage = journalLineage(journalPath);
  if (lineage && journalId !== lineage) throw foreignBackup(basename(backupPath));
  let kept: string | null = null;
  if (existsSync(journalPath)) {
    kept = `${journalPath}.replaced-${stamp(now())}`;
    renameSync(journalPath, kept);
  }
  for (const side of ['-wal', '-shm']) {
    if (existsSync(journalPath + side)) {
      if (kept) renameSync(journalPath + side, kept + side);
      else unlinkSync(journalPath + side);
    }
  }
  const tmp = `${journalPath}.restoring`;
  copyFileSync(backupPath, tmp);
  fsyncPath(tmp);
  renameSync(tmp, journalPath);
  return { kept };
}

export type BackupReport = (r: { ok: true; result: BackupResult } | { ok: false; error: BackupError }) => void;

/** Runs backups every intervalMs and on demand; failures are reported, never thrown. */
export class BackupScheduler {
  readonly #db: DatabaseSync;
  readonly #dir: () => string | null;
  readonly #name: string;
  readonly #report: BackupReport;
  readonly #timer: ReturnType<typeof setInterval> | null;
  #running: Promise<BackupResult | null> | null = null;

  constructor(o: { db: DatabaseSync; dir: () => string | null; name: string; intervalMs: number; report: BackupReport }) {
    this.#db = o.db;
    this.#dir = o.dir;
    this.#name = o.name;
    this.#report = o.report;
    this.#timer = o.intervalMs > 0 ? setInterval(() => void this.run(), o.intervalMs) : null;
    this.#timer?.unref();
  }

  /** One backup now (joined if one is running); null when no directory is chosen. */
  run(): Promise<BackupResult | null> {
    this.#running ??= (async () => {
      const dir = this.#dir();
      if (!dir || !this.#db.isOpen) return null;
      try {
        const result = await backupJournal(this.#db, dir, this.#name);
        this.#report({ ok: true, result });
        return result;
      } catch (err) {
        const error = err instanceof BackupError ? err : new BackupError('backup_failed', 'A cópia de segurança falhou.', { cause: err });
        this.#report({ ok: false, error });
        return null;
      }
    })().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /** Stops the timer and takes the closing backup. */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
    await this.run();
  }
}
