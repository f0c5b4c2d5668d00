// The only place secrets (Focus tokens per environment, the CSC, the A1 certificate and its
// password) are kept. Values are bytes; names are fixed identifiers chosen by main, never by the
// renderer. Reads of a secret that exists but cannot be decrypted throw a VaultError.
export type VaultProtection =
  /** OS keyring (safeStorage, or the file vault's key in libsecret). */
  | 'keyring'
  /** File vault whose key sits in a 0600 file outside the data dir. */
  | 'separate-key'
  /** Electron without a usable keyring: a file vault the manager must accept explicitly. */
  | 'weak';

export interface SecretVault {
  get(name: string): Promise<Uint8Array | null>;
  set(name: string, value: Uint8Array): Promise<void>;
  delete(name: string): Promise<void>;
  /** True when the at-rest protection is weaker than an OS keyring (shown to the manager). */
  readonly weak: boolean;
  readonly protection: VaultProtection;
}

export const SECRET_NAMES = {
  token: (env: 'producao' | 'homologacao') => `focus-token-${env}`,
  csc: (env: 'producao' | 'homologacao') => `csc-${env}`,
  certificate: 'a1-certificate',
  certificatePassword: 'a1-certificate-password',
  /** The A1 and its password as ONE secret (one atomic write): never a new file with an old password. */
  certificateBundle: 'a1-certificate-bundle',
  /** The lane's bearer credential at the store server (issue #16). */
  storeCredential: 'store-credential',
} as const;

/** Bundle layout: 4-byte big-endian password length, the password (UTF-8), then the .pfx bytes. */
export function packCertificate(pfx: Uint8Array, password: string): Uint8Array {
  const pw = utf8.encode(password);
  const out = new Uint8Array(4 + pw.length + pfx.length);
  new DataView(out.buffer).setUint32(0, pw.length);
  out.set(pw, 4);
  out.set(pfx, 4 + pw.length);
  return out;
}

export function unpackCertificate(bundle: Uint8Array): { pfx: Uint8Array; password: string } | null {
  if (bundle.length < 4) return null;
  const n = new DataView(bundle.buffer, bundle.byteOffset, bundle.byteLength).getUint32(0);
  if (4 + n > bundle.length) return null;
  return { password: utf8.decode(bundle.subarray(4, 4 + n)), pfx: bundle.slice(4 + n) };
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function assertSecretName(name: string): void {
  if (!NAME.test(name)) throw new Error(`invalid secret name`);
}

export const utf8 = {
  encode: (s: string): Uint8Array => new TextEncoder().encode(s),
  decode: (b: Uint8Array): string => new TextDecoder().decode(b),
};
