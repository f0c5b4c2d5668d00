// The persistence port for small JSON documents (settings, operators, PIN attempts). One adapter,
// file-store.ts, for both shells: atomic writes plus a last-good copy. It is not a database.
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}
