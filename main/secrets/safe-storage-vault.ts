// Vault backed by Electron's safeStorage (OS keyring / DPAPI / Keychain). Written against a
// structural port so it has no 'electron' import and runs under vitest.
// Linux without a keyring reports the 'basic_text' backend: Chromium then "encrypts" with a fixed
// password, i.e. not at all. In that case (or when encryption is unavailable) we use the AES-GCM
// file vault instead and flag the vault as weak, rather than pretending.
import { existsSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.ts';
import { FileVault } from './file-vault.ts';
import { assertSecretName, type SecretVault } from './vault.ts';

export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plain: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
  getSelectedStorageBackend?(): string;
}

class SafeStorageVault implements SecretVault {
  readonly weak = false;
  readonly #dir: string;
  readonly #ss: SafeStorageLike;

  constructor(dir: string, ss: SafeStorageLike) {
    this.#dir = dir;
    this.#ss = ss;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  async get(name: string): Promise<Uint8Array | null> {
    assertSecretName(name);
    const path = join(this.#dir, `${name}.safe`);
    if (!existsSync(path)) return null;
    const { result, shouldReEncrypt } = await this.#ss.decryptStringAsync(readFileSync(path));
    const bytes = new Uint8Array(Buffer.from(result, 'base64'));
    if (shouldReEncrypt) await this.set(name, bytes);
    return bytes;
  }

  async set(name: string, value: Uint8Array): Promise<void> {
    assertSecretName(name);
    const enc = await this.#ss.encryptStringAsync(Buffer.from(value).toString('base64'));
    writeFileAtomic(join(this.#dir, `${name}.safe`), enc);
  }

  async delete(name: string): Promise<void> {
    assertSecretName(name);
    rmSync(join(this.#dir, `${name}.safe`), { force: true });
  }
}

/** `keyPath`: where the fallback file vault keeps its key (apart from the secrets). */
export async function createSafeStorageVault(dir: string, ss: SafeStorageLike, keyPath?: string): Promise<SecretVault> {
  const backend = ss.getSelectedStorageBackend?.() ?? 'unknown';
  const available = await ss.isAsyncEncryptionAvailable().catch(() => false);
  if (!available || backend === 'basic_text') return new FileVault(dir, keyPath);
  return new SafeStorageVault(dir, ss);
}
