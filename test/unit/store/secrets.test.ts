// The store verifies PINs hashed by the lanes (main/auth/pin-hash.ts) without importing main/: the
// two readings of the scrypt format must agree, and a damaged hash must fail closed.
import { describe, expect, it } from 'vitest';
import { hashPin } from '../../../main/auth/pin-hash.ts';
import { PAIRING_CODE_PATTERN } from '../../../shared/store/protocol.ts';
import { hashToken, newPairingCode, newToken, verifyScryptPin } from '../../../store/secrets.ts';

describe('store secrets', () => {
  it("verifies a lane's scrypt PIN hash and refuses a wrong PIN or a damaged hash", async () => {
    const stored = await hashPin('4827');
    expect(await verifyScryptPin('4827', stored)).toBe(true);
    expect(await verifyScryptPin('4828', stored)).toBe(false);
    expect(await verifyScryptPin('4827', stored.replace(/\$[^$]+$/, '$'))).toBe(false);
    expect(await verifyScryptPin('4827', 'plain$4827')).toBe(false);
    expect(await verifyScryptPin('4827', stored.replace(/^scrypt\$\d+/, 'scrypt$3'))).toBe(false);
  });

  it('tokens are 256-bit, stored as SHA-256, and pairing codes are 8 digits', () => {
    const t = newToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(t);
    expect(hashToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(t)).not.toContain(t);
    for (let i = 0; i < 50; i++) expect(newPairingCode()).toMatch(PAIRING_CODE_PATTERN);
  });
});
