// The persistence port for small JSON documents (settings, operators). Two adapters: conf for
// plain Node (host and tests, conf-store.ts) and electron-store for the Electron shell
// (main/shell/settings-store.ts). Neither is a database; both rewrite the whole file atomically.
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}
