// AES-256-GCM vault for the browser host and tests (no OS keyring there). The key lives in its
// own 0600 file, so a copy of the secret files alone (a backup, a support zip) reveals nothing.
// The secret's name is bound as additional data: swapping two files fails authentication.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.ts';
import { assertSecretName, type SecretVault } from './vault.ts';

const IV = 12;
const TAG = 16;
const VERSION = 1;

export class FileVault implements SecretVault {
  readonly weak = true;
  readonly #dir: string;
  readonly #keyPath: string;
  #key: Buffer | null = null;

  /** `dir` holds the secret files; `keyPath` defaults to `dir/vault.key`. */
  constructor(dir: string, keyPath = join(dir, 'vault.key')) {
    this.#dir = dir;
    this.#keyPath = keyPath;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  async get(name: string): Promise<Uint8Array | null> {
    assertSecretName(name);
    const path = this.#file(name);
    if (!existsSync(path)) return null;
    const blob = readFileSync(path);
    if (blob.length < 1 + IV + TAG || blob[0] !== VERSION) throw new Error('secret file damaged');
    const iv = blob.subarray(1, 1 + IV);
    const tag = blob.subarray(1 + IV, 1 + IV + TAG);
    const data = blob.subarray(1 + IV + TAG);
    const decipher = createDecipheriv('aes-256-gcm', this.#keyBytes(false), iv);
    decipher.setAAD(Buffer.from(name));
    decipher.setAuthTag(tag);
    return new Uint8Array(Buffer.concat([decipher.update(data), decipher.final()]));
  }

  async set(name: string, value: Uint8Array): Promise<void> {
    assertSecretName(name);
    const iv = randomBytes(IV);
    const cipher = createCipheriv('aes-256-gcm', this.#keyBytes(true), iv);
    cipher.setAAD(Buffer.from(name));
    const data = Buffer.concat([cipher.update(value), cipher.final()]);
    writeFileAtomic(this.#file(name), Buffer.concat([Buffer.of(VERSION), iv, cipher.getAuthTag(), data]));
  }

  async delete(name: string): Promise<void> {
    assertSecretName(name);
    rmSync(this.#file(name), { force: true });
  }

  #file(name: string): string {
    return join(this.#dir, `${name}.sec`);
  }

  #keyBytes(create: boolean): Buffer {
    if (this.#key) return this.#key;
    if (existsSync(this.#keyPath)) {
      const key = readFileSync(this.#keyPath);
      if (key.length !== 32) throw new Error('vault key damaged');
      this.#key = key;
    } else {
      if (!create) throw new Error('vault key missing');
      const key = randomBytes(32);
      writeFileAtomic(this.#keyPath, key, 0o600);
      this.#key = key;
    }
    return this.#key;
  }
}
