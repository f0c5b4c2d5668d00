// Credentials, admin tokens and manager sessions are 256-bit random tokens: a SHA-256 of each is
// what the database keeps (a copied database gives no usable credential). Operator PINs are short
// and arrive already hashed by the lanes (scrypt, main/auth/pin-hash.ts format): the store only
// verifies them, with the same parameters the hash carries.
import { createHash, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A one-time pairing code a manager reads aloud or types: 8 digits, `1234-5678`. */
export function newPairingCode(): string {
  const digits = Array.from({ length: 8 }, () => randomInt(10)).join('');
  return `${digits.slice(0, 4)}-${digits.slice(4)}`;
}

export async function verifyScryptPin(pin: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, key] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(key, 'base64');
  if (expected.length === 0) return false;
  const got = await new Promise<Buffer>((resolve, reject) => {
    scrypt(pin, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 }, (err, k) =>
      err ? reject(err) : resolve(k),
    );
  }).catch(() => null);
  return got !== null && got.length === expected.length && timingSafeEqual(got, expected);
}
