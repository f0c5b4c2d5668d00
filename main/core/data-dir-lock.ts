// One Balcão process per data directory. Two hosts (or an Electron window and a browser host) on
// the same files would undo each other's settings and race on the journal; the second one is
// refused with a Portuguese sentence naming the first.
//
// The lock is a file created with O_EXCL holding the owner's PID, host name and process start
// time. Stale-lock rule: on the same host, a lock whose PID is gone — or whose PID now belongs to a
// process started at another time (PID reuse) — is taken over; a lock from another host (a
// shared folder) is never taken over automatically.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UserFacingError } from '../../shared/errors.ts';

export const LOCK_NAME = 'balcao.lock';

interface LockInfo {
  pid: number;
  host: string;
  /** /proc/<pid>/stat start time (clock ticks since boot) on Linux; null elsewhere. */
  start: string | null;
  at: string;
}

export class DataDirLockedError extends UserFacingError<'data_dir_locked'> {}

function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime), counted after the ")" that closes the command name.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockInfo | null {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
    return typeof v.pid === 'number' && typeof v.host === 'string' ? v : null;
  } catch {
    return null;
  }
}

function isStale(l: LockInfo | null): boolean {
  // Unreadable: a process killed between create and write; nobody can hold it.
  if (!l) return true;
  if (l.host !== hostname()) return false;
  if (l.pid === process.pid) return false;
  if (!alive(l.pid)) return true;
  const now = processStart(l.pid);
  return l.start !== null && now !== null && now !== l.start;
}

export interface DataDirLock {
  path: string;
  release(): void;
}

export function acquireDataDirLock(dataDir: string): DataDirLock {
  const path = join(dataDir, LOCK_NAME);
  const me: LockInfo = { pid: process.pid, host: hostname(), start: processStart(process.pid), at: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const held = readLock(path);
      if (held && held.pid === process.pid && held.host === me.host) return { path, release: () => release(path) };
      if (!isStale(held)) {
        const where = held!.host === me.host ? `processo ${held!.pid}` : `computador ${held!.host}, processo ${held!.pid}`;
        throw new DataDirLockedError(
          'data_dir_locked',
          `Outro Balcão já está aberto com estes dados (${where}, desde ${new Date(held!.at).toLocaleString('pt-BR')}). ` +
            'Use a janela que já está aberta, ou feche-a antes de abrir outra. Dois caixas nos mesmos dados desfariam as configurações um do outro.',
        );
      }
      try {
        unlinkSync(path);
      } catch {
        // another process took it over first; try again
      }
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(me));
    } finally {
      closeSync(fd);
    }
    return { path, release: () => release(path) };
  }
  throw new DataDirLockedError('data_dir_locked', 'Não foi possível reservar a pasta de dados do Balcão. Feche as outras janelas do Balcão e tente de novo.');
}

function release(path: string): void {
  const held = readLock(path);
  if (held && held.pid === process.pid && held.host === hostname()) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
}
