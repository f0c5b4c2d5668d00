// The store's TLS identity when it listens beyond loopback and no certificate was given: a
// self-signed one, generated once and kept in the data dir, so its fingerprint (what lanes pin at
// pairing) survives restarts. The key pair comes from node:crypto; node-forge signs the X.509.
import { X509Certificate, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import forge from 'node-forge';

export interface TlsMaterial {
  key: string;
  cert: string;
}

function selfSigned(hosts: readonly string[], now: number): TlsMaterial {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(now - 24 * 3_600_000);
  cert.validity.notAfter = new Date(now + 10 * 365 * 24 * 3_600_000);
  const attrs = [
    { name: 'commonName', value: hosts[0] ?? 'balcao-store' },
    { name: 'organizationName', value: 'Balcao - servidor da loja' },
    { name: 'countryName', value: 'BR' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: hosts.map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })) },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { key: privateKey, cert: forge.pki.certificateToPem(cert) };
}

/** The kept certificate in `dir`, created (0600 key) on first use. */
export function loadOrCreateCert(dir: string, hosts: readonly string[], now = Date.now()): TlsMaterial {
  const keyPath = join(dir, 'store-key.pem');
  const certPath = join(dir, 'store-cert.pem');
  if (existsSync(keyPath) && existsSync(certPath)) return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const made = selfSigned(hosts, now);
  writeFileSync(keyPath, made.key, { mode: 0o600 });
  writeFileSync(certPath, made.cert);
  return made;
}

/** SHA-256 of the certificate, lowercase hex without colons (PairResponse.certFingerprint256). */
export function fingerprint256(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256.replaceAll(':', '').toLowerCase();
}

/** TLS is mandatory whenever the store is reachable from another machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
