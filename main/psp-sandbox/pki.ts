// The simulator's test PKI: one CA that signs the server certificate (127.0.0.1, localhost) and the
// client certificates PSPs hand to their customers for mutual TLS. Key pairs come from node:crypto
// (fast, native); node-forge only assembles and signs the X.509 certificates.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
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

function sign(cert: forge.pki.Certificate, keyPem: string): void {
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
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
  sign(caCert, caKeys.privateKey);
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
    sign(cert, caKeys.privateKey);
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
