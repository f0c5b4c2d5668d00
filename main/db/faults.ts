// What a failed journal write means for the user. SQLite reports a full disk as SQLITE_FULL (13),
// or, when the write itself fails, as SQLITE_IOERR (10, extended code in the high bits); Node's own
// file calls say ENOSPC. Decisions key on these codes, never on the library's English message.
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { JournalError } from './errors.ts';

// SQLite primary result codes (sqlite.org/rescode.html); node:sqlite puts the (possibly extended)
// code in `errcode`, and its low byte is the primary one.
export const SQLITE_BUSY = 5;
export const SQLITE_LOCKED = 6;
export const SQLITE_IOERR = 10;
export const SQLITE_CORRUPT = 11;
export const SQLITE_FULL = 13;
export const SQLITE_NOTADB = 26;

/** Free space the app asks for before it sells again: a day of sales, the WAL and a checkpoint. */
export const SPACE_NEEDED_BYTES = 64 * 1024 * 1024;

export function sqliteCode(err: unknown): number | null {
  const c = (err as { errcode?: unknown } | null)?.errcode;
  return typeof c === 'number' ? c & 0xff : null;
}

function freeBytes(path: string): number | null {
  try {
    const s = statfsSync(dirname(path));
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

const mb = (n: number) => `${Math.max(0, Math.ceil(n / (1024 * 1024))).toLocaleString('pt-BR')} MB`;

/** True for a full disk, however it was reported. */
export function isDiskFull(err: unknown, path?: string): boolean {
  if (err instanceof JournalError) return err.code === 'disk_full';
  const code = sqliteCode(err);
  if (code === SQLITE_FULL) return true;
  if ((err as { code?: unknown } | null)?.code === 'ENOSPC') return true;
  if (code === SQLITE_IOERR && path) {
    const free = freeBytes(path);
    return free !== null && free < SPACE_NEEDED_BYTES;
  }
  return false;
}

export function diskFullError(path: string, cause?: unknown): JournalError {
  const free = freeBytes(path);
  const need = free === null ? SPACE_NEEDED_BYTES : Math.max(0, SPACE_NEEDED_BYTES - free);
  return new JournalError(
    'disk_full',
    `O disco do caixa está cheio${free === null ? '' : ` (livre: ${mb(free)})`}: a venda não foi registrada nem enviada. ` +
      `Libere pelo menos ${mb(need || SPACE_NEEDED_BYTES)} (apague arquivos que não são do Balcão ou esvazie a lixeira); ` +
      'o caixa volta a vender sozinho quando houver espaço.',
    cause === undefined ? {} : { cause },
  );
}

/** A page of the file is damaged (found by a statement, not only by the start-up check). */
export function isCorrupt(err: unknown): boolean {
  const code = sqliteCode(err);
  return code === SQLITE_CORRUPT || code === SQLITE_NOTADB;
}

/** Turns a storage failure into the user-facing error it means; anything else is returned as is. */
export function classifyStorageError(err: unknown, path: string): unknown {
  if (err instanceof JournalError) return err;
  if (isDiskFull(err, path)) return diskFullError(path, err);
  if (isCorrupt(err)) {
    return new JournalError('journal_damaged', DAMAGED_MESSAGE, { cause: err });
  }
  return err;
}

export const DAMAGED_MESSAGE =
  'O arquivo de vendas deste caixa está danificado: as vendas estão suspensas para não perder nem duplicar notas. ' +
  'O que fazer: 1) não apague nada; 2) com o PIN do gerente, restaure a última cópia de segurança verificada nesta tela ' +
  '(o Balcão confere com a Focus NFe cada nota que falta antes de voltar a vender); 3) sem cópia, chame o suporte com o arquivo danificado.';
