// AES-256-GCM vault for the browser host and tests (no OS keyring there). The key is kept apart
// from the secret files (key-store.ts: the OS keyring, or a 0600 file outside the data dir), so a
// copy of the data dir alone reveals nothing. The secret's name is bound as additional data:
// swapping two files fails authentication. Every failure is a VaultError with a pt-BR reason.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.ts';
import { VaultError } from './errors.ts';
import { FileKeyStore, type VaultKeyStore } from './key-store.ts';
import { assertSecretName, type SecretVault, type VaultProtection } from './vault.ts';

const IV = 12;
const TAG = 16;
const VERSION = 1;
export const FILE_VAULT_EXT = '.sec';

export class FileVault implements SecretVault {
  readonly #dir: string;
  readonly #keys: VaultKeyStore;
  readonly protection: VaultProtection;
  #key: Buffer | null = null;

  /** `dir` holds the secret files; `keys` is where the key lives (a path means a key file). */
  constructor(dir: string, keys: VaultKeyStore | string = join(dir, 'vault.key'), protection?: VaultProtection) {
    this.#dir = dir;
    this.#keys = typeof keys === 'string' ? new FileKeyStore(keys) : keys;
    this.protection = protection ?? (this.#keys.kind === 'keyring' ? 'keyring' : 'separate-key');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  get weak(): boolean {
    return this.protection !== 'keyring';
  }

  async get(name: string): Promise<Uint8Array | null> {
    assertSecretName(name);
    const path = this.#file(name);
    if (!existsSync(path)) return null;
    const blob = readFileSync(path);
    if (blob.length < 1 + IV + TAG || blob[0] !== VERSION) throw new VaultError('secret_damaged');
    const key = this.#readKey();
    const iv = blob.subarray(1, 1 + IV);
    const tag = blob.subarray(1 + IV, 1 + IV + TAG);
    const data = blob.subarray(1 + IV + TAG);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(Buffer.from(name));
      decipher.setAuthTag(tag);
      return new Uint8Array(Buffer.concat([decipher.update(data), decipher.final()]));
    } catch (e) {
      throw new VaultError('secret_damaged', e);
    }
  }

  async set(name: string, value: Uint8Array): Promise<void> {
    assertSecretName(name);
    const key = this.#keyForWrite();
    const iv = randomBytes(IV);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(name));
    const data = Buffer.concat([cipher.update(value), cipher.final()]);
    writeFileAtomic(this.#file(name), Buffer.concat([Buffer.of(VERSION), iv, cipher.getAuthTag(), data]));
  }

  async delete(name: string): Promise<void> {
    assertSecretName(name);
    rmSync(this.#file(name), { force: true });
  }

  #file(name: string): string {
    return join(this.#dir, `${name}${FILE_VAULT_EXT}`);
  }

  #readKey(): Buffer {
    if (this.#key) return this.#key;
    const r = this.#keys.read();
    if (!r.ok) throw new VaultError(r.reason === 'missing' ? 'vault_key_missing' : 'vault_key_damaged');
    this.#key = r.key;
    return r.key;
  }

  /**
   * A missing or damaged key is replaced by a new one when the manager enters a secret again; the
   * secrets sealed with the old key cannot be read any more, so they are removed with it.
   */
  #keyForWrite(): Buffer {
    if (this.#key) return this.#key;
    const r = this.#keys.read();
    if (r.ok) {
      this.#key = r.key;
      return r.key;
    }
    for (const f of readdirSync(this.#dir)) if (f.endsWith(FILE_VAULT_EXT)) rmSync(join(this.#dir, f), { force: true });
    const key = randomBytes(32);
    this.#keys.write(key);
    this.#key = key;
    return key;
  }
}
