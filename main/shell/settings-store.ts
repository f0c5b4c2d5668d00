// The settings store of the Electron shell: electron-store (conf underneath) imports 'electron'
// to find userData, so it lives with the other shell files.
import ElectronStore from 'electron-store';
import type { KeyValueStore } from '../settings/store.ts';

export function createElectronStore(name: string, cwd?: string): KeyValueStore {
  const store = new ElectronStore<Record<string, unknown>>({
    name,
    ...(cwd ? { cwd } : {}),
    configFileMode: 0o600,
    accessPropertiesByDotNotation: false,
    clearInvalidConfig: true,
  });
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
  };
}
