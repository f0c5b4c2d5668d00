// Builds throw-away ICP-Brasil-like e-CNPJ A1 certificates for tests and benches: an RSA key from
// node:crypto (fast), a self-made CA, a leaf with the CNPJ in otherName 2.16.76.1.3.3 and in the
// CN ("RAZAO:CNPJ"), signed with node:crypto, wrapped in a password-protected PKCS#12 by node-forge.
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';
import { signCertificate } from '../../../../main/psp-sandbox/pki.ts';

export interface TestCertificateOptions {
  cnpj?: string;
  name?: string;
  password?: string;
  notBefore?: Date;
  notAfter?: Date;
  /** Leave the private key out of the .pfx. */
  withoutKey?: boolean;
  /** Put the CNPJ only in the CN (no otherName). */
  cnOnly?: boolean;
  /** 3des (classic ICP-Brasil exports) or aes256. */
  algorithm?: '3des' | 'aes256';
  bits?: number;
}

export interface TestCertificate {
  pfx: Uint8Array;
  password: string;
  /** PEM of the leaf certificate and of its public key, to verify signatures with node:crypto. */
  certPem: string;
  publicKeyPem: string;
  privateKeyPem: string;
  cnpj: string;
  notAfter: Date;
}

const OID_CNPJ = '2.16.76.1.3.3';

function otherNameCnpj(cnpj: string): forge.asn1.Asn1 {
  const { asn1 } = forge;
  return asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(OID_CNPJ).getBytes()),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, cnpj)]),
  ]);
}

const caCache = new Map<number, { keyPem: string; cert: forge.pki.Certificate }>();

function rsaPair(bits: number) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const privPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const pubPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    privPem,
    pubPem,
    key: forge.pki.privateKeyFromPem(privPem),
    pub: forge.pki.publicKeyFromPem(pubPem),
  };
}

function testCa(bits: number) {
  const hit = caCache.get(bits);
  if (hit) return hit;
  const kp = rsaPair(bits);
  const cert = forge.pki.createCertificate();
  cert.publicKey = kp.pub;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.UTC(2020, 0, 1));
  cert.validity.notAfter = new Date(Date.UTC(2040, 0, 1));
  const attrs = [
    { name: 'countryName', value: 'BR' },
    { name: 'organizationName', value: 'ICP-Brasil Teste' },
    { name: 'commonName', value: 'AC BALCAO TESTE' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([{ name: 'basicConstraints', cA: true }]);
  signCertificate(cert, kp.privPem);
  const ca = { keyPem: kp.privPem, cert };
  caCache.set(bits, ca);
  return ca;
}

let serial = 100;

export function makeTestCertificate(opts: TestCertificateOptions = {}): TestCertificate {
  const bits = opts.bits ?? 2048;
  const cnpj = opts.cnpj ?? '12345678000195';
  const name = opts.name ?? 'LOJA TESTE BALCAO LTDA';
  const password = opts.password ?? 'senha-teste-123';
  const notBefore = opts.notBefore ?? new Date(Date.now() - 30 * 86_400_000);
  const notAfter = opts.notAfter ?? new Date(Date.now() + 365 * 86_400_000);
  const ca = testCa(bits);
  const kp = rsaPair(bits);

  const cert = forge.pki.createCertificate();
  cert.publicKey = kp.pub;
  cert.serialNumber = (serial++).toString(16).padStart(4, '0');
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject([
    { name: 'countryName', value: 'BR' },
    { name: 'organizationName', value: 'ICP-Brasil' },
    { name: 'commonName', value: `${name}:${cnpj}` },
  ]);
  cert.setIssuer(ca.cert.subject.attributes);
  const extensions: unknown[] = [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, keyEncipherment: true },
  ];
  if (!opts.cnOnly) extensions.push({ name: 'subjectAltName', altNames: [{ type: 0, value: otherNameCnpj(cnpj).value }] });
  cert.setExtensions(extensions as never);
  signCertificate(cert, ca.keyPem);

  const p12 = forge.pkcs12.toPkcs12Asn1(opts.withoutKey ? null : kp.key, [cert, ca.cert], password, {
    algorithm: opts.algorithm ?? '3des',
    friendlyName: name,
  });
  const der = forge.asn1.toDer(p12).getBytes();
  return {
    pfx: new Uint8Array(Buffer.from(der, 'latin1')),
    password,
    certPem: forge.pki.certificateToPem(cert),
    publicKeyPem: kp.pubPem,
    privateKeyPem: kp.privPem,
    cnpj,
    notAfter,
  };
}
