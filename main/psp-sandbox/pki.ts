// The simulator's test PKI: one CA that signs the server certificate (127.0.0.1, localhost) and the
// client certificates PSPs hand to their customers for mutual TLS. Key pairs come from node:crypto
// (fast, native); node-forge only assembles the X.509 certificates, node:crypto signs them.
import { generateKeyPairSync, randomBytes, sign as rsaSign } from 'node:crypto';
import forge from 'node-forge';

export interface PemPair {
  key: string;
  cert: string;
}

export interface TestPki {
  ca: PemPair;
  server: PemPair;
  /** Issues a client certificate for `clientId`, valid between the given instants. */
  issueClient(clientId: string, validity?: { notBefore: number; notAfter: number }): PemPair;
}

const DAY = 24 * 3_600_000;

function keyPair(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

function serial(): string {
  // Positive serial: first byte below 0x80.
  return `01${randomBytes(15).toString('hex')}`;
}

/**
 * Signs `cert` (sha256WithRSAEncryption) as forge's `cert.sign` does, but with node:crypto: forge's
 * RSA in JavaScript spent ~40 ms of CPU a certificate. PKCS#1 v1.5 signatures are deterministic, so
 * the certificate comes out byte for byte the same.
 */
export function signCertificate(cert: forge.pki.Certificate, keyPem: string): void {
  cert.md = forge.md.sha256.create();
  cert.signatureOid = cert.siginfo.algorithmOid = forge.pki.oids['sha256WithRSAEncryption']!;
  // Not in forge's typings, but what its own cert.sign() uses.
  cert.tbsCertificate = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  const tbs = Buffer.from(forge.asn1.toDer(cert.tbsCertificate).getBytes(), 'latin1');
  cert.signature = rsaSign('sha256', tbs, keyPem).toString('latin1');
}

export function createTestPki(now: number = Date.now()): TestPki {
  const caKeys = keyPair();
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = forge.pki.publicKeyFromPem(caKeys.publicKey);
  caCert.serialNumber = serial();
  caCert.validity.notBefore = new Date(now - DAY);
  caCert.validity.notAfter = new Date(now + 10 * 365 * DAY);
  const caName = [
    { name: 'commonName', value: 'PSP Simulado CA' },
    { name: 'organizationName', value: 'Balcao PSP Simulator' },
    { name: 'countryName', value: 'BR' },
  ];
  caCert.setSubject(caName);
  caCert.setIssuer(caName);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  signCertificate(caCert, caKeys.privateKey);
  const ca: PemPair = { key: caKeys.privateKey, cert: forge.pki.certificateToPem(caCert) };

  const leaf = (cn: string, ext: object[], validity: { notBefore: number; notAfter: number }): PemPair => {
    const keys = keyPair();
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKey);
    cert.serialNumber = serial();
    cert.validity.notBefore = new Date(validity.notBefore);
    cert.validity.notAfter = new Date(validity.notAfter);
    cert.setSubject([
      { name: 'commonName', value: cn },
      { name: 'organizationName', value: 'Balcao PSP Simulator' },
      { name: 'countryName', value: 'BR' },
    ]);
    cert.setIssuer(caCert.subject.attributes);
    cert.setExtensions([{ name: 'basicConstraints', cA: false }, ...ext]);
    signCertificate(cert, caKeys.privateKey);
    return { key: keys.privateKey, cert: forge.pki.certificateToPem(cert) };
  };

  const server = leaf(
    '127.0.0.1',
    [
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
    { notBefore: now - DAY, notAfter: now + 5 * 365 * DAY },
  );

  return {
    ca,
    server,
    issueClient: (clientId, validity = { notBefore: now - DAY, notAfter: now + 365 * DAY }) =>
      leaf(
        clientId,
        [
          { name: 'keyUsage', digitalSignature: true },
          { name: 'extKeyUsage', clientAuth: true },
        ],
        validity,
      ),
  };
}
