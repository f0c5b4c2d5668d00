// The persistence port for small JSON documents (settings, operators). Two adapters:
// conf (plain Node: host and tests) and electron-store (the Electron shell, which resolves
// the userData path itself). Neither is a database; both write the whole file atomically.
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}
