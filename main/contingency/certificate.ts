// The emitter's A1 certificate (.pfx + password), needed only for manual offline contingency: the
// QR code v3 of an offline NFC-e is signed with it (nfce-rules §2.2). It is read with node-forge
// (PKCS#12), kept only in the secret vault, and its private key lives in a node:crypto KeyObject
// held in a private field, so no log line, error or JSON dump can carry it.
import { UserFacingError } from '../../shared/errors.ts';
import { createPrivateKey, createPublicKey, sign, verify, constants, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { checkPfx } from './pfx-check.ts';
import { packCertificate, SECRET_NAMES, unpackCertificate, utf8, type SecretVault } from '../secrets/vault.ts';
import { formatDateBR, localOffsetMinutes, toFocusDateTime } from '../../shared/datetime.ts';

export type CertificateErrorCode =
  | 'not_pkcs12'
  | 'wrong_password'
  | 'unsupported'
  | 'no_private_key'
  | 'no_certificate'
  | 'key_mismatch'
  | 'not_rsa'
  | 'expired'
  | 'not_yet_valid'
  | 'missing'
  | 'cnpj_mismatch';

/** A problem with the certificate, with a sentence in Portuguese the manager can act on. */
export class CertificateError extends UserFacingError<CertificateErrorCode> {}

export interface CertificateInfo {
  /** Common name (for ICP-Brasil e-CNPJ: "RAZAO SOCIAL:CNPJ"). */
  subject: string;
  /** CNPJ found in the certificate (otherName 2.16.76.1.3.3 or the CN suffix), or null. */
  cnpj: string | null;
  issuer: string;
  notBefore: string;
  /** ISO instant of expiry; `expiresAtBR` is the dd/mm/aaaa shown to the manager. */
  notAfter: string;
  expiresAtBR: string;
  serialNumber: string;
  /** Non-blocking problems (e.g. the CNPJ differs from the emitter's). */
  warnings: string[];
}

/** Signs with the certificate's private key; the key itself is never reachable from outside. */
export interface CertificateSigner {
  readonly info: CertificateInfo;
  /** RSA PKCS#1 v1.5 with SHA-1 over the UTF-8 bytes of `text`, base64 (QR v3 offline). */
  signSha1Base64(text: string): string;
  /** The certificate's public key (PEM), for verification and tests. */
  publicKeyPem(): string;
}

const OID_CNPJ = '2.16.76.1.3.3';

const onlyDigits = (s: string) => s.replace(/[^0-9A-Z]/gi, '').toUpperCase();

export function formatCnpj(cnpj: string): string {
  const c = onlyDigits(cnpj);
  if (c.length !== 14) return cnpj;
  return `${c.slice(0, 2)}.${c.slice(2, 5)}.${c.slice(5, 8)}/${c.slice(8, 12)}-${c.slice(12)}`;
}

function dateBR(epochMs: number): string {
  return formatDateBR(toFocusDateTime(epochMs, localOffsetMinutes(epochMs)));
}

function bytesToBinary(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1');
}

/** The CNPJ of an ICP-Brasil e-CNPJ: otherName 2.16.76.1.3.3, else the digits after ':' in the CN. */
function cnpjOf(cert: forge.pki.Certificate, cn: string): string | null {
  const san = cert.getExtension('subjectAltName') as { altNames?: { type: number; value: unknown }[] } | undefined;
  for (const alt of san?.altNames ?? []) {
    if (alt.type !== 0 || !Array.isArray(alt.value)) continue;
    const [oidNode, wrapped] = alt.value as forge.asn1.Asn1[];
    if (!oidNode || typeof oidNode.value !== 'string') continue;
    let oid: string;
    try {
      oid = forge.asn1.derToOid(oidNode.value);
    } catch {
      continue;
    }
    if (oid !== OID_CNPJ || !wrapped) continue;
    const inner = Array.isArray(wrapped.value) ? wrapped.value[0] : wrapped;
    const raw = inner && typeof inner.value === 'string' ? inner.value : '';
    const c = onlyDigits(raw);
    if (/^[0-9A-Z]{12}\d{2}$/.test(c)) return c;
  }
  const m = /:([0-9A-Z]{12}\d{2})\s*$/i.exec(cn);
  return m ? (m[1] as string).toUpperCase() : null;
}

interface Parsed {
  info: CertificateInfo;
  key: KeyObject;
}

const notPkcs12 = () =>
  new CertificateError('not_pkcs12', 'O arquivo não é um certificado A1 (PKCS#12, .pfx ou .p12). Exporte o certificado com a chave privada e tente de novo.');
const wrongPassword = () => new CertificateError('wrong_password', 'Senha do certificado incorreta. Confira a senha do arquivo .pfx e tente de novo.');
const unsupported = () =>
  new CertificateError(
    'unsupported',
    'O certificado usa uma criptografia que o Balcão não consegue abrir. Exporte-o novamente (PKCS#12 com 3DES ou AES) e tente de novo.',
  );

/**
 * Opens a PKCS#12 file. Throws CertificateError (pt-BR) for every way it can be unusable:
 * not a .pfx, wrong password, no private key, key not matching the certificate, expired.
 */
export function readPfx(pfx: Uint8Array, password: string, opts: { now: number; emitterCnpj?: string | undefined; skipValidity?: boolean }): Parsed {
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(bytesToBinary(pfx), false);
  } catch {
    throw notPkcs12();
  }
  const check = checkPfx(asn1, password);
  if (check === 'wrong_password') throw wrongPassword();
  if (check === 'not_pkcs12') throw notPkcs12();
  if (check === 'unsupported') throw unsupported();
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (err) {
    // forge marks its errors by the fields it attaches: an unknown algorithm carries the OID, a
    // structure it cannot read carries the validator's errors or the version.
    const e = (typeof err === 'object' && err !== null ? err : {}) as Record<string, unknown>;
    if ('oid' in e || 'algorithm' in e || 'contentType' in e) throw unsupported();
    if ('errors' in e || 'version' in e) throw notPkcs12();
    // Without a MAC a wrong password shows up as undecryptable garbage.
    throw new CertificateError('wrong_password', 'Senha do certificado incorreta ou arquivo danificado. Confira a senha e o arquivo.');
  }

  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag as string] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag as string] ?? []),
  ];
  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag as string] ?? [];
  if (keyBags.length === 0) {
    throw new CertificateError(
      'no_private_key',
      'O arquivo não contém a chave privada do certificado. Exporte o A1 "com a chave privada" (arquivo .pfx) e tente de novo.',
    );
  }
  const certs = certBags.map((b) => b.cert).filter((c): c is forge.pki.Certificate => !!c);
  if (certs.length === 0) {
    throw new CertificateError('no_certificate', 'O arquivo não contém o certificado, só a chave. Exporte o A1 completo (.pfx).');
  }

  let key: KeyObject | null = null;
  for (const bag of keyBags) {
    try {
      if (bag.key) {
        key = createPrivateKey(forge.pki.privateKeyToPem(bag.key));
      } else if (bag.asn1) {
        // forge only decodes RSA keys; anything else is handed to OpenSSL as PKCS#8.
        key = createPrivateKey({ key: Buffer.from(forge.asn1.toDer(bag.asn1).getBytes(), 'latin1'), format: 'der', type: 'pkcs8' });
      }
    } catch {
      key = null;
    }
    if (key) break;
  }
  if (!key) {
    throw new CertificateError('no_private_key', 'Não foi possível ler a chave privada do certificado. Exporte o A1 novamente e tente de novo.');
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new CertificateError('not_rsa', 'A chave do certificado não é RSA; o QR Code da NFC-e em contingência exige um e-CNPJ A1 RSA.');
  }

  // The leaf is the certificate whose public key matches the private key (chains carry CAs too).
  let leaf: forge.pki.Certificate | null = null;
  let x509: X509Certificate | null = null;
  for (const c of certs) {
    const x = new X509Certificate(forge.pki.certificateToPem(c));
    if (x.checkPrivateKey(key)) {
      leaf = c;
      x509 = x;
      break;
    }
  }
  if (!leaf || !x509) {
    throw new CertificateError('key_mismatch', 'A chave privada do arquivo não corresponde ao certificado. Exporte o A1 novamente.');
  }

  const cn = (leaf.subject.getField('CN') as { value?: string } | null)?.value ?? x509.subject;
  const notBefore = leaf.validity.notBefore.getTime();
  const notAfter = leaf.validity.notAfter.getTime();
  if (!opts.skipValidity && notAfter < opts.now) {
    throw new CertificateError('expired', `Certificado vencido em ${dateBR(notAfter)}. Renove o certificado A1 com a certificadora e importe o novo arquivo.`);
  }
  if (!opts.skipValidity && notBefore > opts.now) {
    throw new CertificateError('not_yet_valid', `O certificado só é válido a partir de ${dateBR(notBefore)}. Confira a data e a hora deste computador.`);
  }
  const cnpj = cnpjOf(leaf, cn);
  const warnings: string[] = [];
  const emitter = opts.emitterCnpj ? onlyDigits(opts.emitterCnpj) : null;
  // The same company (CNPJ root): SEFAZ refuses a note signed by another one, so it is never stored.
  if (emitter && cnpj && cnpj.slice(0, 8) !== emitter.slice(0, 8)) {
    throw new CertificateError(
      'cnpj_mismatch',
      `O CNPJ do certificado (${formatCnpj(cnpj)}) é diferente do CNPJ da loja (${formatCnpj(emitter)}). ` +
        'As notas em contingência seriam assinadas por outra empresa e recusadas: importe o certificado A1 desta loja.',
    );
  } else if (emitter && !cnpj) {
    warnings.push('Não foi possível ler o CNPJ do certificado. Confira se é o e-CNPJ A1 desta loja.');
  }
  const daysLeft = Math.floor((notAfter - opts.now) / 86_400_000);
  if (!opts.skipValidity && daysLeft < 30) warnings.push(`O certificado vence em ${daysLeft} dia(s), em ${dateBR(notAfter)}. Providencie a renovação.`);

  const issuerCn = (leaf.issuer.getField('CN') as { value?: string } | null)?.value ?? x509.issuer;
  return {
    key,
    info: {
      subject: cn,
      cnpj,
      issuer: issuerCn,
      notBefore: new Date(notBefore).toISOString(),
      notAfter: new Date(notAfter).toISOString(),
      expiresAtBR: dateBR(notAfter),
      serialNumber: x509.serialNumber,
      warnings,
    },
  };
}

class KeySigner implements CertificateSigner {
  readonly info: CertificateInfo;
  readonly #key: KeyObject;
  readonly #publicPem: string;

  constructor(info: CertificateInfo, key: KeyObject) {
    this.info = info;
    this.#key = key;
    this.#publicPem = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
  }

  signSha1Base64(text: string): string {
    return sign('sha1', Buffer.from(text, 'utf8'), { key: this.#key, padding: constants.RSA_PKCS1_PADDING }).toString('base64');
  }

  publicKeyPem(): string {
    return this.#publicPem;
  }

  toJSON(): unknown {
    return { info: this.info };
  }
}

/** Verifies a QR v3 offline signature (used by tests and by the self-check after import). */
export function verifySha1Base64(publicKeyPem: string, text: string, signatureBase64: string): boolean {
  return verify('sha1', Buffer.from(text, 'utf8'), { key: publicKeyPem, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(signatureBase64, 'base64'));
}

export type SignerResult = { ok: true; signer: CertificateSigner } | { ok: false; error: CertificateError };

/** The imported certificate, kept in the vault and opened once per process. */
export class CertificateStore {
  private readonly vault: SecretVault;
  private readonly now: () => number;
  private cached: { info: CertificateInfo; signer: CertificateSigner } | null = null;
  private loading: Promise<SignerResult> | null = null;

  constructor(deps: { vault: SecretVault; now?: () => number }) {
    this.vault = deps.vault;
    this.now = deps.now ?? Date.now;
  }

  /**
   * Checks the file and password, then stores both in the vault. Nothing is stored when the
   * certificate is unusable (the previous one, if any, stays).
   */
  async import(pfx: Uint8Array, password: string, opts: { emitterCnpj?: string } = {}): Promise<CertificateInfo> {
    const parsed = readPfx(pfx, password, { now: this.now(), emitterCnpj: opts.emitterCnpj });
    const signer = new KeySigner(parsed.info, parsed.key);
    // Self-check: a signature made now must verify with the certificate's public key.
    const probe = 'balcao-self-check';
    if (!verifySha1Base64(signer.publicKeyPem(), probe, signer.signSha1Base64(probe))) {
      throw new CertificateError('key_mismatch', 'O certificado não conseguiu assinar um teste. Exporte o A1 novamente.');
    }
    // One write for both: a kill at any point leaves the old pair or the new pair, never a mix.
    await this.vault.set(SECRET_NAMES.certificateBundle, packCertificate(pfx, password));
    // The pair stored by earlier versions is superseded by the bundle.
    await this.vault.delete(SECRET_NAMES.certificate);
    await this.vault.delete(SECRET_NAMES.certificatePassword);
    this.cached = { info: parsed.info, signer };
    this.loading = null;
    return parsed.info;
  }

  /** The stored certificate's public facts, or null when none is imported (or it cannot be opened). */
  async info(): Promise<CertificateInfo | null> {
    const r = await this.load();
    if (r.ok) return r.signer.info;
    return null;
  }

  /**
   * The signer, or why there is none ('missing', 'expired', …). Expiry is checked on every call:
   * a certificate that expires during the day stops signing at once.
   */
  async signer(): Promise<SignerResult> {
    const r = await this.load();
    if (!r.ok) return r;
    const notAfter = Date.parse(r.signer.info.notAfter);
    if (notAfter < this.now()) {
      return {
        ok: false,
        error: new CertificateError('expired', `Certificado vencido em ${r.signer.info.expiresAtBR}. Renove o certificado A1 e importe o novo arquivo.`),
      };
    }
    return r;
  }

  async remove(): Promise<void> {
    await this.vault.delete(SECRET_NAMES.certificateBundle);
    await this.vault.delete(SECRET_NAMES.certificate);
    await this.vault.delete(SECRET_NAMES.certificatePassword);
    this.cached = null;
    this.loading = null;
  }

  private load(): Promise<SignerResult> {
    if (this.cached) return Promise.resolve({ ok: true, signer: this.cached.signer });
    this.loading ??= this.readFromVault().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async readFromVault(): Promise<SignerResult> {
    const bundle = await this.vault.get(SECRET_NAMES.certificateBundle);
    const unpacked = bundle ? unpackCertificate(bundle) : null;
    const pfx = unpacked ? unpacked.pfx : await this.vault.get(SECRET_NAMES.certificate);
    const pw = unpacked ? utf8.encode(unpacked.password) : await this.vault.get(SECRET_NAMES.certificatePassword);
    if (!pfx || !pw) {
      return {
        ok: false,
        error: new CertificateError('missing', 'Nenhum certificado A1 importado.'),
      };
    }
    try {
      // Expiry is judged by signer(); loading an expired stored certificate still shows its info.
      const parsed = readPfx(pfx, utf8.decode(pw), { now: this.now(), skipValidity: true });
      const signer = new KeySigner(parsed.info, parsed.key);
      this.cached = { info: parsed.info, signer };
      return { ok: true, signer };
    } catch (err) {
      if (err instanceof CertificateError) return { ok: false, error: err };
      throw err;
    }
  }
}
