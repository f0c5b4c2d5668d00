// The browser host's vault key in the OS keyring through libsecret, against a real Secret Service
// (GNOME Keyring on a private D-Bus session bus): the key goes to the keyring, never to a file,
// and never onto a command line (`secret-tool store` reads it from stdin).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileVault } from '../../../main/secrets/file-vault.ts';
import { defaultKeyStore, secretToolWorks, vaultIdFor } from '../../../main/secrets/key-store.ts';
import { SECRET_NAMES, utf8 } from '../../../main/secrets/vault.ts';
import { missingSecretServiceTools, startPrivateSessionBus, type PrivateSessionBus } from '../../fixtures/secret-service.ts';

const missing = missingSecretServiceTools();
const TOKEN = 'TokenDaLojaDeVerdade0123456789abcdef';

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isFile());
}

describe.skipIf(missing.length > 0)(
  `vault key in the OS keyring (libsecret)${missing.length > 0 ? ` — skipped: ${missing.join(', ')} not installed (apt-get install dbus gnome-keyring libsecret-tools)` : ''}`,
  () => {
    let bus: PrivateSessionBus;
    let work: string;
    /** secret-tool behind a shim that appends each command line it was given to a log. */
    let shim: string;
    let argvLog: string;
    beforeAll(async () => {
      bus = await startPrivateSessionBus();
      work = mkdtempSync(join(tmpdir(), 'balcao-keyring-'));
      argvLog = join(work, 'argv.log');
      shim = join(work, 'secret-tool');
      writeFileSync(shim, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${argvLog}'\nexec secret-tool "$@"\n`);
      chmodSync(shim, 0o755);
    }, 30_000);
    afterAll(async () => {
      await bus?.stop();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('a bus without a Secret Service is not a keyring: the key goes to the 0600 file outside the data dir', () => {
      const dataDir = join(work, 'no-service');
      const env = { ...bus.env, BALCAO_KEY_DIR: join(work, 'keys-a') };
      expect(secretToolWorks({ env })).toBe(false);
      expect(defaultKeyStore(dataDir, { env }).kind).toBe('file');
    });

    it('with the keyring unlocked the key is stored there, read back after a restart, in no file and on no command line', async () => {
      await bus.startKeyring();
      const dataDir = join(work, 'shop');
      const keys = join(work, 'keys-b');
      const env = { ...bus.env, BALCAO_KEY_DIR: keys };
      const store = defaultKeyStore(dataDir, { env, secretTool: shim });
      expect(store.kind).toBe('keyring');

      await new FileVault(join(dataDir, 'secrets'), store).set(SECRET_NAMES.token('homologacao'), utf8.encode(TOKEN));

      // The key is in the keyring under the data dir's id (asked with the real secret-tool).
      const id = vaultIdFor(dataDir);
      const lookup = spawnSync('secret-tool', ['lookup', 'application', 'balcao', 'vault', id], { env: bus.env, encoding: 'utf8' });
      expect(lookup.status).toBe(0);
      const keyB64 = lookup.stdout.trim();
      expect(Buffer.from(keyB64, 'base64')).toHaveLength(32);

      // Not in a file: no key directory was made, and no file of the data dir holds the key or the token.
      expect(existsSync(keys)).toBe(false);
      const key = Buffer.from(keyB64, 'base64');
      for (const f of [...filesUnder(dataDir), ...filesUnder(bus.keyringDir)]) {
        const bytes = readFileSync(f);
        expect(bytes.includes(key), `${f} holds the raw key`).toBe(false);
        expect(bytes.includes(Buffer.from(keyB64)), `${f} holds the key in base64`).toBe(false);
        expect(bytes.includes(Buffer.from(TOKEN)), `${f} holds the token`).toBe(false);
      }

      // Never on a command line: the shim saw a store and lookups, none with the key or the token.
      const lines = readFileSync(argvLog, 'utf8').trim().split('\n');
      expect(lines.some((l) => l.startsWith('store '))).toBe(true);
      for (const l of lines) {
        expect(l).not.toContain(keyB64);
        expect(l).not.toContain(TOKEN);
      }

      // A restart (a new store and vault on the same data dir) reads the token back.
      const again = new FileVault(join(dataDir, 'secrets'), defaultKeyStore(dataDir, { env }));
      expect(utf8.decode((await again.get(SECRET_NAMES.token('homologacao')))!)).toBe(TOKEN);
    });

    it('the key removed from the keyring: the store reports it missing and the vault refuses to read (an error with a code)', async () => {
      const dataDir = join(work, 'lost');
      const env = { ...bus.env, BALCAO_KEY_DIR: join(work, 'keys-c') };
      await new FileVault(join(dataDir, 'secrets'), defaultKeyStore(dataDir, { env })).set(SECRET_NAMES.token('homologacao'), utf8.encode(TOKEN));
      const cleared = spawnSync('secret-tool', ['clear', 'application', 'balcao', 'vault', vaultIdFor(dataDir)], { env: bus.env });
      expect(cleared.status).toBe(0);
      const store = defaultKeyStore(dataDir, { env });
      expect(store.kind).toBe('keyring');
      expect(store.read()).toEqual({ ok: false, reason: 'missing' });
      await expect(new FileVault(join(dataDir, 'secrets'), store).get(SECRET_NAMES.token('homologacao'))).rejects.toMatchObject({ code: expect.any(String) });
    });
  },
);
