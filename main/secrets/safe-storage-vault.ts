// Vault backed by Electron's safeStorage (OS keyring / DPAPI / Keychain). Written against a
// structural port so it has no 'electron' import and runs under vitest.
// Linux without a keyring reports the 'basic_text' backend: Chromium then "encrypts" with a fixed
// password, i.e. not at all. Then (or when encryption is unavailable) secrets go to the AES-GCM
// file vault, but only once the manager accepted that weaker storage (settings.weakStorageAccepted;
// the warning stays on screen), and a secret the keyring wrote earlier (`*.safe`) is reported as
// "keyring unavailable" instead of looking absent — which would turn a real shop into demo.
import { existsSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.ts';
import { VaultError } from './errors.ts';
import { FileVault } from './file-vault.ts';
import type { VaultKeyStore } from './key-store.ts';
import { assertSecretName, type SecretVault } from './vault.ts';

export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plain: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
  getSelectedStorageBackend?(): string;
}

export const SAFE_EXT = '.safe';

class SafeStorageVault implements SecretVault {
  readonly weak = false;
  readonly protection = 'keyring' as const;
  readonly #dir: string;
  readonly #ss: SafeStorageLike;

  constructor(dir: string, ss: SafeStorageLike) {
    this.#dir = dir;
    this.#ss = ss;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  async get(name: string): Promise<Uint8Array | null> {
    assertSecretName(name);
    const path = join(this.#dir, `${name}${SAFE_EXT}`);
    if (!existsSync(path)) return null;
    let plain: { result: string; shouldReEncrypt: boolean };
    try {
      plain = await this.#ss.decryptStringAsync(readFileSync(path));
    } catch (e) {
      throw new VaultError('secret_damaged', e);
    }
    const bytes = new Uint8Array(Buffer.from(plain.result, 'base64'));
    if (plain.shouldReEncrypt) await this.set(name, bytes);
    return bytes;
  }

  async set(name: string, value: Uint8Array): Promise<void> {
    assertSecretName(name);
    const enc = await this.#ss.encryptStringAsync(Buffer.from(value).toString('base64'));
    writeFileAtomic(join(this.#dir, `${name}${SAFE_EXT}`), enc);
  }

  async delete(name: string): Promise<void> {
    assertSecretName(name);
    rmSync(join(this.#dir, `${name}${SAFE_EXT}`), { force: true });
  }
}

/** The file vault used when the keyring is unusable: gated by the manager's explicit consent. */
class ConsentedFileVault implements SecretVault {
  readonly weak = true;
  readonly protection = 'weak' as const;
  readonly #dir: string;
  readonly #inner: FileVault;
  readonly #accepted: () => boolean;

  constructor(dir: string, keys: VaultKeyStore | string, accepted: () => boolean) {
    this.#dir = dir;
    this.#inner = new FileVault(dir, keys, 'weak');
    this.#accepted = accepted;
  }

  async get(name: string): Promise<Uint8Array | null> {
    assertSecretName(name);
    const value = await this.#inner.get(name);
    if (value !== null) return value;
    if (existsSync(join(this.#dir, `${name}${SAFE_EXT}`))) throw new VaultError('keyring_unavailable');
    return null;
  }

  async set(name: string, value: Uint8Array): Promise<void> {
    if (!this.#accepted()) throw new VaultError('weak_storage_not_accepted');
    await this.#inner.set(name, value);
    // The keyring's copy can never be read again on this machine: the new value replaces it.
    rmSync(join(this.#dir, `${name}${SAFE_EXT}`), { force: true });
  }

  async delete(name: string): Promise<void> {
    await this.#inner.delete(name);
    rmSync(join(this.#dir, `${name}${SAFE_EXT}`), { force: true });
  }
}

/**
 * `keys`: where the fallback file vault keeps its key (apart from the secrets).
 * `weakAccepted`: whether the manager accepted weaker storage (read at every write).
 */
export async function createSafeStorageVault(
  dir: string,
  ss: SafeStorageLike,
  keys: VaultKeyStore | string,
  weakAccepted: () => boolean = () => false,
): Promise<SecretVault> {
  const backend = ss.getSelectedStorageBackend?.() ?? 'unknown';
  const available = await ss.isAsyncEncryptionAvailable().catch(() => false);
  if (!available || backend === 'basic_text') return new ConsentedFileVault(dir, keys, weakAccepted);
  return new SafeStorageVault(dir, ss);
}
