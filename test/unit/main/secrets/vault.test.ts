import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileVault } from '../../../../main/secrets/file-vault.ts';
import { createSafeStorageVault, type SafeStorageLike } from '../../../../main/secrets/safe-storage-vault.ts';
import { utf8 } from '../../../../main/secrets/vault.ts';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'balcao-vault-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const TOKEN = 'TokenDeHomologacaoSecreto1234567890abcd';

describe('FileVault (AES-256-GCM, key in a separate file)', () => {
  it('round-trips and keeps the token out of every file on disk', async () => {
    const root = tmp();
    const vault = new FileVault(join(root, 'secrets'), join(root, 'vault.key'));
    await vault.set('focus-token-homologacao', utf8.encode(TOKEN));
    expect(utf8.decode((await vault.get('focus-token-homologacao'))!)).toBe(TOKEN);
    for (const f of [...readdirSync(join(root, 'secrets')).map((n) => join(root, 'secrets', n)), join(root, 'vault.key')]) {
      const bytes = readFileSync(f);
      expect(bytes.includes(Buffer.from(TOKEN))).toBe(false);
      expect(bytes.includes(Buffer.from(TOKEN.slice(0, 12)))).toBe(false);
      expect(statSync(f).mode & 0o777).toBe(0o600);
    }
  });

  it('a second instance on the same files reads the secret (survives restart)', async () => {
    const root = tmp();
    await new FileVault(join(root, 's'), join(root, 'k')).set('a1-certificate', new Uint8Array([1, 2, 3, 250]));
    expect([...(await new FileVault(join(root, 's'), join(root, 'k')).get('a1-certificate'))!]).toEqual([1, 2, 3, 250]);
  });

  it('fails closed on tampering, a wrong key, or a swapped file', async () => {
    const root = tmp();
    const dir = join(root, 's');
    const vault = new FileVault(dir, join(root, 'k'));
    await vault.set('focus-token-producao', utf8.encode('producao-token-xyz'));
    await vault.set('focus-token-homologacao', utf8.encode('homolog-token-xyz'));
    // Swap: the name is authenticated, so a file moved under another name is refused.
    renameSync(join(dir, 'focus-token-producao.sec'), join(dir, 'focus-token-homologacao.sec'));
    await expect(vault.get('focus-token-homologacao')).rejects.toThrow();
    await vault.set('focus-token-producao', utf8.encode('producao-token-xyz'));
    const file = join(dir, 'focus-token-producao.sec');
    const bytes = readFileSync(file);
    bytes[bytes.length - 1]! ^= 0xff;
    writeFileSync(file, bytes);
    await expect(vault.get('focus-token-producao')).rejects.toThrow();
    await vault.set('focus-token-producao', utf8.encode('producao-token-xyz'));
    await expect(new FileVault(dir, join(tmp(), 'other.key')).get('focus-token-producao')).rejects.toThrow();
  });

  it('returns null for a missing secret, deletes, and refuses path-like names', async () => {
    const root = tmp();
    const vault = new FileVault(join(root, 's'), join(root, 'k'));
    expect(await vault.get('focus-token-producao')).toBeNull();
    await vault.set('x', utf8.encode('v'));
    await vault.delete('x');
    expect(await vault.get('x')).toBeNull();
    await expect(vault.set('../escape', utf8.encode('v'))).rejects.toThrow();
    await expect(vault.get('a/b')).rejects.toThrow();
  });
});

/** A stand-in for Electron's safeStorage (the Electron binary cannot run here): a reversible XOR. */
function fakeSafeStorage(backend: string, available = true): SafeStorageLike & { calls: number } {
  const k = 0x5a;
  return {
    calls: 0,
    isAsyncEncryptionAvailable: async () => available,
    getSelectedStorageBackend: () => backend,
    async encryptStringAsync(plain) {
      this.calls++;
      return Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ k));
    },
    async decryptStringAsync(enc) {
      return { result: Buffer.from(enc.map((b) => b ^ k)).toString('utf8'), shouldReEncrypt: false };
    },
  };
}

describe('createSafeStorageVault', () => {
  it('uses the OS keyring when one is present', async () => {
    const ss = fakeSafeStorage('gnome_libsecret');
    const vault = await createSafeStorageVault(tmp(), ss, join(tmp(), 'k'));
    expect(vault.weak).toBe(false);
    await vault.set('focus-token-producao', utf8.encode(TOKEN));
    expect(ss.calls).toBe(1);
    expect(utf8.decode((await vault.get('focus-token-producao'))!)).toBe(TOKEN);
  });

  it("treats Linux 'basic_text' (a fixed password) as no keyring and falls back to the file vault", async () => {
    const ss = fakeSafeStorage('basic_text');
    const dir = tmp();
    let accepted = false;
    const vault = await createSafeStorageVault(dir, ss, join(tmp(), 'k'), () => accepted);
    expect(vault.weak).toBe(true);
    expect(vault.protection).toBe('weak');
    // Not a byte is written until the manager accepts the weaker storage.
    await expect(vault.set('focus-token-producao', utf8.encode(TOKEN))).rejects.toMatchObject({ code: 'weak_storage_not_accepted' });
    expect(readdirSync(dir)).toEqual([]);
    accepted = true;
    await vault.set('focus-token-producao', utf8.encode(TOKEN));
    expect(ss.calls).toBe(0);
    for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f)).includes(Buffer.from(TOKEN))).toBe(false);
  });

  it('reports a token the keyring wrote as unreadable when the keyring is gone (never as absent)', async () => {
    const dir = tmp();
    const keyring = await createSafeStorageVault(dir, fakeSafeStorage('gnome_libsecret'), join(tmp(), 'k'));
    await keyring.set('focus-token-producao', utf8.encode(TOKEN));
    const without = await createSafeStorageVault(dir, fakeSafeStorage('basic_text'), join(tmp(), 'k'), () => true);
    await expect(without.get('focus-token-producao')).rejects.toMatchObject({
      code: 'keyring_unavailable',
      message: expect.stringMatching(/chaveiro do sistema/),
    });
    expect(await without.get('focus-token-homologacao')).toBeNull();
  });
});

describe('FileVault key kept apart, and its failures in Portuguese', () => {
  it('explains a missing key and recovers when the secret is entered again', async () => {
    const root = tmp();
    const keyPath = join(tmp(), 'apart.key');
    const vault = new FileVault(join(root, 'secrets'), keyPath);
    await vault.set('focus-token-producao', utf8.encode(TOKEN));
    expect(readdirSync(join(root, 'secrets')).some((f) => f.includes('key'))).toBe(false);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    rmSync(keyPath);
    const again = new FileVault(join(root, 'secrets'), keyPath);
    await expect(again.get('focus-token-producao')).rejects.toMatchObject({ code: 'vault_key_missing', message: expect.stringMatching(/informar o token/) });
    await again.set('focus-token-producao', utf8.encode('NovoToken123456'));
    expect(utf8.decode((await again.get('focus-token-producao'))!)).toBe('NovoToken123456');
  });

  it('explains a damaged key', async () => {
    const root = tmp();
    const keyPath = join(root, 'k');
    await new FileVault(join(root, 's'), keyPath).set('focus-token-producao', utf8.encode(TOKEN));
    writeFileSync(keyPath, 'short');
    await expect(new FileVault(join(root, 's'), keyPath).get('focus-token-producao')).rejects.toMatchObject({ code: 'vault_key_damaged' });
  });
});
