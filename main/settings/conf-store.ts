import Conf from 'conf';
import type { KeyValueStore } from './store.ts';

/** A conf-backed store in `dir/<name>.json`, owner-only (0600). */
export function createConfStore(dir: string, name: string): KeyValueStore {
  const conf = new Conf<Record<string, unknown>>({
    cwd: dir,
    configName: name,
    configFileMode: 0o600,
    accessPropertiesByDotNotation: false,
    // A damaged file must not keep the shop closed: the settings layer re-applies defaults.
    clearInvalidConfig: true,
  });
  return {
    get: (key) => conf.get(key),
    set: (key, value) => conf.set(key, value),
    delete: (key) => conf.delete(key),
  };
}
