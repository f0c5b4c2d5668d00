// Settings and operators in one small JSON file, written atomically (write, fsync, rename) and
// copied to a last-good twin after every successful write. A damaged file is never silently
// emptied (that would bring back defaults and lose the operators): the last-good copy is
// restored, or, when both are damaged, opening fails with SettingsDamagedError and the core
// stops on a recovery screen.
import { copyFileSync, existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { UserFacingError } from '../../shared/errors.ts';
import { writeFileAtomic } from '../secrets/atomic-file.ts';
import type { KeyValueStore } from './store.ts';

export class SettingsDamagedError extends UserFacingError<'settings_damaged'> {
  constructor() {
    super(
      'settings_damaged',
      'O arquivo de configurações do caixa está danificado e não há cópia boa. As vendas estão guardadas; refaça a configuração inicial (o gerente informa o token e os operadores de novo).',
    );
  }
}

export interface FileStore extends KeyValueStore {
  /** How the file was found when opened ('damaged' only with { damaged: 'recover' }). */
  readonly opened: 'fresh' | 'ok' | 'restored' | 'damaged';
  readonly path: string;
}

function readJson(path: string): Record<string, unknown> | null | 'damaged' {
  if (!existsSync(path)) return null;
  try {
    const v: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : 'damaged';
  } catch {
    return 'damaged';
  }
}

export function lastGoodPath(path: string): string {
  return path.replace(/\.json$/, '') + '.last-good.json';
}

/**
 * Opens `dir/<name>.json` (0600). When neither copy can be read it throws SettingsDamagedError, or,
 * with `damaged: 'recover'`, opens empty with opened = 'damaged': the damaged files are moved
 * aside only on the first write, i.e. once the manager chose to configure the terminal again.
 */
export function openFileStore(dir: string, name: string, opts: { damaged?: 'throw' | 'recover' } = {}): FileStore {
  const path = join(dir, `${name}.json`);
  const backup = lastGoodPath(path);
  const main = readJson(path);
  let data: Record<string, unknown>;
  let opened: FileStore['opened'];
  if (main !== null && main !== 'damaged') {
    data = main;
    opened = 'ok';
  } else {
    const good = readJson(backup);
    if (main === 'damaged') {
      if (good === null || good === 'damaged') {
        if (opts.damaged !== 'recover') throw new SettingsDamagedError();
        return damagedStore(dir, name);
      }
      // Keep the damaged file for support, then put the last good copy back.
      renameSync(path, `${path}.damaged-${Date.now()}`);
      copyFileSync(backup, path);
      data = good;
      opened = 'restored';
    } else if (good !== null && good !== 'damaged') {
      // The main file vanished but its twin is intact.
      copyFileSync(backup, path);
      data = good;
      opened = 'restored';
    } else {
      data = {};
      opened = 'fresh';
    }
  }
  const write = () => {
    const bytes = Buffer.from(JSON.stringify(data, null, '\t'));
    writeFileAtomic(path, bytes, 0o600);
    writeFileAtomic(backup, bytes, 0o600);
  };
  return {
    opened,
    path,
    get: (key) => (Object.hasOwn(data, key) ? structuredClone(data[key]) : undefined),
    set(key, value) {
      data = { ...data, [key]: structuredClone(value) };
      write();
    },
    delete(key) {
      if (!Object.hasOwn(data, key)) return;
      const { [key]: _gone, ...rest } = data;
      data = rest;
      write();
    },
  };
}

function damagedStore(dir: string, name: string): FileStore {
  const path = join(dir, `${name}.json`);
  let inner: FileStore | null = null;
  const open = (): FileStore => {
    if (inner) return inner;
    const stamp = Date.now();
    for (const p of [path, lastGoodPath(path)]) if (existsSync(p)) renameSync(p, `${p}.damaged-${stamp}`);
    inner = openFileStore(dir, name);
    return inner;
  };
  return {
    get opened() {
      return inner ? inner.opened : ('damaged' as const);
    },
    path,
    get: (key) => inner?.get(key),
    set: (key, value) => open().set(key, value),
    delete: (key) => open().delete(key),
  };
}
