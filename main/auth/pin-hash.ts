// PINs are short, so the hash must be slow: scrypt with a per-operator salt. The rate limiter
// (attempts.ts) is what really protects a 4-digit PIN; the hash protects a copied file.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt's cost; the hash records it, so a PIN hashed at any cost verifies. */
export interface PinCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** What every PIN of the product is hashed with (16 MiB, tens of milliseconds). */
export const PIN_COST: PinCost = { N: 1 << 14, r: 8, p: 1 };
const LEN = 32;

function derive(pin: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, LEN, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** `cost`: only tests pass a lower one (OperatorDirectory's constructor), to spend less CPU. */
export async function hashPin(pin: string, cost: PinCost = PIN_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(pin, salt, cost.N, cost.r, cost.p);
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, key] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(key, 'base64');
  const got = await derive(pin, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p));
  return got.length === expected.length && timingSafeEqual(got, expected);
}
