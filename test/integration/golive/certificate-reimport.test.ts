// A real shop whose A1 certificate cannot be read stops on the secrets screen; the manager imports a
// new one there (file + password). Every refusal (structure, password, expiry, another company's
// CNPJ, not a manager) is in Portuguese and changes nothing; the accepted one is stored as one vault
// entry with its password, never handed back, and audited. The same rules hold in Configurações.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHost, type RunningHost } from '../../../main/host/launch.ts';
import { startSandbox } from '../../../main/sandbox/index.ts';
import type { Sandbox } from '../../../main/sandbox/types.ts';
import { LAYOUT } from '../../../main/core/layout.ts';
import { FileVault } from '../../../main/secrets/file-vault.ts';
import { defaultKeyStore } from '../../../main/secrets/key-store.ts';
import { SECRET_NAMES, unpackCertificate } from '../../../main/secrets/vault.ts';
import { makeTestCertificate, type TestCertificate } from '../../unit/main/contingency/test-certificate.ts';
import { TEST_PIN_COST } from '../../fixtures/core-rig.ts';

let sandbox: Sandbox;
let host: RunningHost | null = null;
let dir: string;
type R = { ok: true; value: any } | { ok: false; error: { code: string; message: string } };
const h = (channel: string, input: unknown = {}) => host!.core.handle(channel, input) as Promise<R>;
async function ok(p: Promise<R>): Promise<any> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}
const b64 = (c: { pfx: Uint8Array }) => Buffer.from(c.pfx).toString('base64');
const bundleFile = () => join(LAYOUT.secrets(dir), `${SECRET_NAMES.certificateBundle}.sec`);
const vault = () => new FileVault(LAYOUT.secrets(dir), defaultKeyStore(dir, { legacyPath: LAYOUT.legacyVaultKey(dir) }));

async function boot(): Promise<void> {
  await host?.close();
  host = await startHost({
    pinCost: TEST_PIN_COST,
    dataDir: dir,
    sandbox: 'none',
    rendererDir: dir,
    log: () => {},
    token: sandbox.tokens.homologacao,
    focusUrl: sandbox.url,
    emitter: { ...sandbox.emitter, name: 'MERCADO SÃO JOÃO LTDA' },
    operators: [
      { id: 'ana', name: 'Ana Souza', role: 'manager', pin: '4826' },
      { id: 'bruno', name: 'Bruno Reis', role: 'cashier', pin: '5071' },
    ],
  });
}

let first: TestCertificate;
let second: TestCertificate;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, latencyMs: 0 });
  dir = mkdtempSync(join(tmpdir(), 'balcao-cert-reimport-'));
  first = makeTestCertificate({ cnpj: sandbox.cnpj, name: 'MERCADO SAO JOAO LTDA', password: 'primeira-senha', bits: 1024 });
  second = makeTestCertificate({ cnpj: sandbox.cnpj, name: 'MERCADO SAO JOAO LTDA RENOVADO', password: 'senha-nova-2027', bits: 1024 });
  await boot();
});
afterAll(async () => {
  await host?.close();
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('certificate re-import', () => {
  it('Configurações refuses another company’s certificate and changes nothing; the shop’s own is stored and audited', async () => {
    await ok(h('auth.login', { operatorId: 'ana', pin: '4826' }));
    const other = makeTestCertificate({ cnpj: '11222333000181', name: 'OUTRA EMPRESA LTDA', bits: 1024 });
    const refused = await h('settings.importCertificate', { managerPin: '4826', pfxBase64: b64(other), password: other.password });
    expect(refused).toMatchObject({ ok: false, error: { code: 'cnpj_mismatch', message: expect.stringMatching(/diferente do CNPJ da loja/) } });
    expect((await ok(h('settings.get'))).certificate).toBeNull();
    expect(existsSync(bundleFile())).toBe(false);

    const s = await ok(h('settings.importCertificate', { managerPin: '4826', pfxBase64: b64(first), password: first.password }));
    expect(s.certificate).toMatchObject({ subject: expect.stringContaining('MERCADO SAO JOAO LTDA') });
    const audit = await ok(h('audit.list', { action: 'settings_change' }));
    expect(audit.some((e: { details: Record<string, unknown> }) => typeof e.details.certificate === 'string')).toBe(true);
  });

  it('a certificate that cannot be read stops on the secrets screen asking for it', async () => {
    rmSync(bundleFile());
    await boot();
    expect(host!.core.info()).toMatchObject({ phase: 'secrets', demo: false, sandbox: null });
    expect(await ok(h('session.bootstrap'))).toMatchObject({
      phase: 'secrets',
      secrets: { needs: ['certificate'], message: expect.stringMatching(/importá-lo de novo/) },
    });
  });

  it('refuses a bad file, a wrong password, an expired or foreign certificate, a cashier — each in Portuguese, changing nothing', async () => {
    const before = (await ok(h('session.bootstrap'))).secrets;
    const expired = makeTestCertificate({
      cnpj: sandbox.cnpj,
      notBefore: new Date(Date.UTC(2023, 0, 1)),
      notAfter: new Date(Date.UTC(2024, 4, 31, 12)),
      bits: 1024,
    });
    const foreign = makeTestCertificate({ cnpj: '11222333000181', name: 'OUTRA EMPRESA LTDA', bits: 1024 });
    const cases: [unknown, string, RegExp][] = [
      [{ pfxBase64: Buffer.from('isto não é um certificado A1 de verdade').toString('base64'), password: 'x' }, 'not_pkcs12', /PKCS#12/],
      [{ pfxBase64: b64(second), password: 'senha-errada' }, 'wrong_password', /[Ss]enha/],
      [{ pfxBase64: b64(expired), password: expired.password }, 'expired', /vencido em 31\/05\/2024/],
      [{ pfxBase64: b64(foreign), password: foreign.password }, 'cnpj_mismatch', /11\.222\.333\/0001-81/],
    ];
    for (const [certificate, code, message] of cases) {
      expect(await h('secrets.provide', { managerPin: '4826', certificate })).toMatchObject({
        ok: false,
        error: { code, message: expect.stringMatching(message) },
      });
    }
    expect(await h('secrets.provide', { managerPin: '5071', certificate: { pfxBase64: b64(second), password: second.password } })).toMatchObject({
      ok: false,
      error: { code: 'not_manager' },
    });
    expect(host!.core.info().phase).toBe('secrets');
    expect((await ok(h('session.bootstrap'))).secrets).toEqual(before);
    expect(existsSync(bundleFile())).toBe(false);
  });

  it('imports the new certificate: one vault entry with its password, nothing of it handed back, audited; the till opens', async () => {
    const r = await ok(h('secrets.provide', { managerPin: '4826', certificate: { pfxBase64: b64(second), password: second.password } }));
    expect(r).toMatchObject({ phase: 'ready' });
    const stored = await vault().get(SECRET_NAMES.certificateBundle);
    expect(stored).not.toBeNull();
    const unpacked = unpackCertificate(stored!)!;
    expect(unpacked.password).toBe(second.password);
    expect(Buffer.from(unpacked.pfx).equals(Buffer.from(second.pfx))).toBe(true);
    expect(await vault().get(SECRET_NAMES.certificate)).toBeNull();
    expect(await vault().get(SECRET_NAMES.certificatePassword)).toBeNull();

    await ok(h('auth.login', { operatorId: 'ana', pin: '4826' }));
    const settings = await ok(h('settings.get'));
    expect(settings.certificate).toMatchObject({
      subject: expect.stringContaining('RENOVADO'),
      expiresAt: new Date(Math.floor(second.notAfter.getTime() / 1000) * 1000).toISOString(),
    });
    const audit = await ok(h('audit.list', { action: 'secrets_provided' }));
    expect(audit[0]).toMatchObject({ actor: 'ana', details: { certificateReplaced: expect.stringContaining('RENOVADO') } });
    // Nothing the renderer can read holds the password or the file.
    const seen = JSON.stringify([r, settings, audit, await ok(h('session.bootstrap'))]);
    expect(seen).not.toContain(second.password);
    expect(seen).not.toContain(b64(second).slice(0, 40));
    // A restart reads it back: the till does not stop again.
    await boot();
    expect(host!.core.info().phase).toBe('ready');
  });
});
