// The password and structure of a .pfx are judged by its ASN.1, not by node-forge's English text.
import { describe, expect, it } from 'vitest';
import forge from 'node-forge';
import { checkPfx } from '../../../../main/contingency/pfx-check.ts';
import { makeTestCertificate } from './test-certificate.ts';

const asn1Of = (bytes: Uint8Array) => forge.asn1.fromDer(Buffer.from(bytes).toString('latin1'), false);

describe('checkPfx', () => {
  const c = makeTestCertificate();

  it('verifies the MAC with the right password and refuses a wrong one', () => {
    expect(checkPfx(asn1Of(c.pfx), c.password)).toBe('ok');
    expect(checkPfx(asn1Of(c.pfx), 'errada')).toBe('wrong_password');
    expect(checkPfx(asn1Of(c.pfx), '')).toBe('wrong_password');
  });

  it('tells a file without MAC, a non-PFX structure and public-key integrity mode apart', () => {
    const pfx = asn1Of(c.pfx);
    const noMac = forge.asn1.create(pfx.tagClass, pfx.type, true, (pfx.value as forge.asn1.Asn1[]).slice(0, 2));
    expect(checkPfx(noMac, 'x')).toBe('no_mac');
    const cert = forge.pki.certificateToAsn1(forge.pki.certificateFromPem(c.certPem));
    expect(checkPfx(cert, 'x')).toBe('not_pkcs12');
    const [version, authSafe, mac] = pfx.value as forge.asn1.Asn1[];
    const signedData = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SEQUENCE, true, [
      forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.OID, false, forge.asn1.oidToDer('1.2.840.113549.1.7.2').getBytes()),
      ...(authSafe!.value as forge.asn1.Asn1[]).slice(1),
    ]);
    expect(checkPfx(forge.asn1.create(pfx.tagClass, pfx.type, true, [version!, signedData, mac!]), 'x')).toBe('unsupported');
  });
});
