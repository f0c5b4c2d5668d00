// SIGKILL during a certificate import, many times at random points: the vault always holds a
// certificate with ITS password (the old pair or the new pair), so offline contingency can sign.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileVault } from '../../../main/secrets/file-vault.ts';
import { CertificateStore } from '../../../main/contingency/certificate.ts';
import { seededRandom } from '../../fixtures/seeded-random.ts';
import { makeTestCertificate } from '../../unit/main/contingency/test-certificate.ts';
import { writeFileSync } from 'node:fs';

const dir = mkdtempSync(join(tmpdir(), 'balcao-cert-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('certificate import killed midway', () => {
  it('never leaves a new certificate with the old password', async () => {
    const rnd = seededRandom(10);
    const vaultDir = join(dir, 'vault');
    writeFileSync(join(dir, 'a.pfx'), makeTestCertificate({ password: 'senha-a', bits: 1024 }).pfx);
    writeFileSync(join(dir, 'b.pfx'), makeTestCertificate({ password: 'senha-bb-outra', bits: 1024 }).pfx);
    for (let round = 0; round < 2; round++) {
      const child = spawn(process.execPath, [join(import.meta.dirname, 'cert-child.ts'), vaultDir, join(dir, 'a.pfx'), join(dir, 'b.pfx')], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (c) => (out += c));
      const exited = new Promise((r) => child.on('exit', r));
      // Kill it during a later import: after a random number of completed ones.
      const k = 1 + Math.floor(rnd() * 3);
      await expect.poll(() => (out.match(/^imported$/gm) ?? []).length >= k, { timeout: 30_000 }).toBe(true);
      child.kill('SIGKILL');
      await exited;
      const r = await new CertificateStore({ vault: new FileVault(vaultDir) }).signer();
      expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
    }
  });
});
