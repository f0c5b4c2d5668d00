import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import forge from 'node-forge';
import { CertificateError, CertificateStore, readPfx, verifySha1Base64 } from '../../../../main/contingency/certificate.ts';
import { FileVault } from '../../../../main/secrets/file-vault.ts';
import { makeTestCertificate } from './test-certificate.ts';

const NOW = Date.UTC(2026, 9, 15, 15, 0, 0);
const dirs: string[] = [];
function vault() {
  const dir = mkdtempSync(join(tmpdir(), 'balcao-cert-'));
  dirs.push(dir);
  return { dir, vault: new FileVault(dir) };
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function expectCertError(fn: () => unknown, code: string, text: RegExp) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CertificateError);
    expect((err as CertificateError).code).toBe(code);
    expect((err as Error).message).toMatch(text);
    return;
  }
  throw new Error('expected a CertificateError');
}

describe('readPfx', () => {
  const good = makeTestCertificate({ notAfter: new Date(Date.UTC(2027, 5, 30, 12)), notBefore: new Date(Date.UTC(2026, 0, 1)) });

  it('reads subject, CNPJ (otherName) and expiry', () => {
    const { info } = readPfx(good.pfx, good.password, { now: NOW, emitterCnpj: '12345678000195' });
    expect(info.subject).toBe('LOJA TESTE BALCAO LTDA:12345678000195');
    expect(info.cnpj).toBe('12345678000195');
    expect(info.expiresAtBR).toBe('30/06/2027');
    expect(info.notAfter).toBe('2027-06-30T12:00:00.000Z');
    expect(info.issuer).toBe('AC BALCAO TESTE');
    expect(info.warnings).toEqual([]);
  });

  it('finds the CNPJ in the CN when there is no otherName', () => {
    const c = makeTestCertificate({ cnOnly: true, cnpj: '11222333000181' });
    expect(readPfx(c.pfx, c.password, { now: Date.now() }).info.cnpj).toBe('11222333000181');
  });

  it('wrong password → clear message', () => {
    expectCertError(() => readPfx(good.pfx, 'errada', { now: NOW }), 'wrong_password', /Senha do certificado incorreta/);
  });

  it('not a PKCS#12 file → clear message', () => {
    expectCertError(() => readPfx(new TextEncoder().encode('-----BEGIN CERTIFICATE-----\nxx'), 'x', { now: NOW }), 'not_pkcs12', /não é um certificado A1/);
    // Valid DER that is not a PFX (a bare X.509 certificate).
    const der = forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(good.certPem))).getBytes();
    expectCertError(() => readPfx(Buffer.from(der, 'latin1'), 'x', { now: NOW }), 'not_pkcs12', /PKCS#12/);
  });

  it('a .pfx without the private key → clear message', () => {
    const c = makeTestCertificate({ withoutKey: true });
    expectCertError(() => readPfx(c.pfx, c.password, { now: Date.now() }), 'no_private_key', /chave privada/);
  });

  it('expired → message with the date', () => {
    const c = makeTestCertificate({ notBefore: new Date(Date.UTC(2024, 0, 10)), notAfter: new Date(Date.UTC(2025, 2, 14, 15)) });
    expectCertError(() => readPfx(c.pfx, c.password, { now: NOW }), 'expired', /Certificado vencido em 14\/03\/2025/);
  });

  it('CNPJ of another company than the shop → refused, naming both', () => {
    expectCertError(
      () => readPfx(good.pfx, good.password, { now: NOW, emitterCnpj: '11.222.333/0001-81' }),
      'cnpj_mismatch',
      /12\.345\.678\/0001-95.*11\.222\.333\/0001-81/,
    );
    // Another branch (filial) of the same company: same CNPJ root, accepted.
    expect(readPfx(good.pfx, good.password, { now: NOW, emitterCnpj: '12.345.678/0002-76' }).info.warnings).toEqual([]);
  });

  it('reads an AES-256 export too', () => {
    const c = makeTestCertificate({ algorithm: 'aes256' });
    expect(readPfx(c.pfx, c.password, { now: Date.now() }).info.cnpj).toBe('12345678000195');
  });
});

describe('CertificateStore', () => {
  it('imports into the vault encrypted, signs RSA-SHA1 verifiable with the certificate, survives a restart', async () => {
    const c = makeTestCertificate();
    const { dir, vault: v } = vault();
    const store = new CertificateStore({ vault: v });
    const info = await store.import(c.pfx, c.password, { emitterCnpj: c.cnpj });
    expect(info.cnpj).toBe(c.cnpj);

    // At rest: neither the password nor the PFX bytes appear in clear in any file.
    for (const f of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, f));
      expect(bytes.includes(Buffer.from(c.password))).toBe(false);
      expect(bytes.includes(Buffer.from(c.pfx.subarray(0, 64)))).toBe(false);
    }

    // A new process: a new store over the same vault.
    const again = new CertificateStore({ vault: new FileVault(dir) });
    const r = await again.signer();
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const text = '41261012345678000195650600000000019123456780|3|2|15|60.90||';
    const sig = r.signer.signSha1Base64(text);
    expect(sig).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(sig).toHaveLength(344); // 2048-bit key (nfce-rules §2.2)
    expect(verifySha1Base64(c.publicKeyPem, text, sig)).toBe(true);
    expect(verifySha1Base64(c.publicKeyPem, text + 'x', sig)).toBe(false);
    // PKCS#1 v1.5 is deterministic: the same text gives the same signature.
    expect(r.signer.signSha1Base64(text)).toBe(sig);
    // The key never shows in a dump of the signer.
    const dump = JSON.stringify(r.signer) + inspect(r.signer, { depth: 10, showHidden: true });
    expect(dump).not.toContain('PRIVATE KEY');
    expect(dump).not.toContain(c.password);
  });

  it('refuses a bad import and keeps the previous certificate', async () => {
    const c = makeTestCertificate();
    const { vault: v } = vault();
    const store = new CertificateStore({ vault: v });
    await store.import(c.pfx, c.password);
    await expect(store.import(c.pfx, 'wrong')).rejects.toMatchObject({ code: 'wrong_password' });
    expect((await store.info())?.serialNumber).toBeDefined();
    expect(await v.get('a1-certificate-bundle')).not.toBeNull();
  });

  it('without a certificate: missing; with one that expires later: expired from then on', async () => {
    const { vault: v } = vault();
    let now = Date.now();
    const store = new CertificateStore({ vault: v, now: () => now });
    const none = await store.signer();
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.error.code).toBe('missing');

    const c = makeTestCertificate({ notAfter: new Date(now + 3_600_000) });
    const info = await store.import(c.pfx, c.password);
    expect(info.warnings.join(' ')).toMatch(/vence em 0 dia/);
    expect((await store.signer()).ok).toBe(true);
    now += 2 * 3_600_000;
    const late = await store.signer();
    expect(late.ok).toBe(false);
    if (!late.ok) {
      expect(late.error.code).toBe('expired');
      expect(late.error.message).toMatch(/Certificado vencido em \d\d\/\d\d\/\d{4}/);
    }
    // Its info is still shown to the manager.
    expect((await store.info())?.cnpj).toBe(c.cnpj);
    await store.remove();
    expect(await store.info()).toBeNull();
  });
});
