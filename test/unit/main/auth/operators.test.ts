import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthError, DEMO_OPERATORS, OperatorDirectory } from '../../../../main/auth/operators.ts';
import { AttemptLimiter } from '../../../../main/auth/attempts.ts';
import { openFileStore } from '../../../../main/settings/file-store.ts';
import { PIN_COST } from '../../../../main/auth/pin-hash.ts';
import { TEST_PIN_COST } from '../../../fixtures/pin-cost.ts';
import type { KeyValueStore } from '../../../../main/settings/store.ts';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'balcao-auth-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

// scrypt at 1/16 of the product's cost (1 MiB instead of 16): these tests are about the rules
// around the hash, and spend most of their CPU in it. The product's cost is checked below.
const dirOf = (store: KeyValueStore, now: () => number, key: 'operators' | 'demoOperators') => new OperatorDirectory(store, now, key, {}, TEST_PIN_COST);

async function directory(now: () => number = Date.now) {
  const dir = tmp();
  const ops = dirOf(openFileStore(dir, 'settings'), now, 'demoOperators');
  await ops.ensureSeeded();
  return { ops, dir };
}

describe('OperatorDirectory', () => {
  it('seeds the demo operators with hashed PINs only', async () => {
    const { ops, dir } = await directory();
    expect(ops.list().map((o) => [o.name, o.role])).toEqual([
      ['Caixa 1', 'cashier'],
      ['Caixa 2', 'cashier'],
      ['Gerente', 'manager'],
    ]);
    const file = readFileSync(join(dir, 'settings.json'), 'utf8');
    for (const op of DEMO_OPERATORS) expect(file).not.toContain(`"${op.pin}"`);
    expect(file).toContain('scrypt$');
  });

  it("hashes at the product's cost unless a test asks otherwise", async () => {
    const dir = tmp();
    const ops = new OperatorDirectory(openFileStore(dir, 'settings'), Date.now, 'operators');
    await ops.create({ name: 'Ana Souza', role: 'manager', pin: '4826' });
    expect(PIN_COST).toEqual({ N: 16384, r: 8, p: 1 });
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toContain('scrypt$16384$8$1$');
  });

  it('logs in with the right PIN and refuses a wrong one in Portuguese', async () => {
    const { ops } = await directory();
    expect(await ops.login('caixa-1', '1234')).toEqual({ id: 'caixa-1', name: 'Caixa 1', role: 'cashier' });
    await expect(ops.login('caixa-1', '9999')).rejects.toMatchObject({ code: 'pin_invalid', message: 'PIN incorreto. Digite de novo.' });
    await expect(ops.login('ninguem', '1234')).rejects.toMatchObject({ code: 'operator_unknown' });
  });

  it('accepts only a manager PIN for overrides', async () => {
    const { ops } = await directory();
    expect((await ops.verifyManager('9999')).role).toBe('manager');
    await expect(ops.verifyManager('1234')).rejects.toMatchObject({ code: 'not_manager' });
  });

  it('locks after repeated wrong PINs, even for the right PIN, until the wait passes', async () => {
    let t = 1_000_000;
    const { ops } = await directory(() => t);
    for (let i = 0; i < 4; i++) await expect(ops.login('caixa-1', '0000')).rejects.toMatchObject({ code: 'pin_invalid' });
    await expect(ops.login('caixa-1', '0000')).rejects.toMatchObject({ code: 'pin_locked' });
    const locked = await ops.login('caixa-1', '1234').catch((e: unknown) => e);
    expect(locked).toBeInstanceOf(AuthError);
    expect((locked as AuthError).message).toMatch(/Aguarde 30 segundos/);
    t += 30_001;
    expect((await ops.login('caixa-1', '1234')).id).toBe('caixa-1');
    // Another operator was never affected.
    expect((await ops.login('caixa-2', '2345')).id).toBe('caixa-2');
  });

  it('does not reseed known PINs over a damaged operator list', async () => {
    const dir = tmp();
    const store = openFileStore(dir, 'settings');
    store.set('demoOperators', 'garbage');
    const ops = dirOf(store, Date.now, 'demoOperators');
    await ops.ensureSeeded();
    expect(ops.list()).toEqual([]);
  });

  it('never seeds the demo operators into a real profile', async () => {
    const ops = dirOf(openFileStore(tmp(), 'settings'), Date.now, 'operators');
    await ops.ensureSeeded();
    expect(ops.list()).toEqual([]);
  });

  it('counts parallel guesses before verifying them: the right PIN behind 12 wrong ones is locked out', async () => {
    const { ops } = await directory(() => 1_000_000);
    const guesses = [...Array.from({ length: 12 }, () => '0000'), '1234'].map((pin) =>
      ops.login('caixa-1', pin).then(
        () => 'in',
        (e: AuthError) => e.code,
      ),
    );
    const results = await Promise.all(guesses);
    expect(results).not.toContain('in');
    expect(results.filter((r) => r === 'pin_invalid').length + results.filter((r) => r === 'pin_locked').length).toBe(13);
    // Only five PINs were ever checked.
    expect(results.filter((r) => r === 'pin_locked').length).toBeGreaterThanOrEqual(8);
  });

  it('keeps the lockout across a restart', async () => {
    const dir = tmp();
    const t = 1_000_000;
    const first = dirOf(openFileStore(dir, 'settings'), () => t, 'demoOperators');
    await first.ensureSeeded();
    for (let i = 0; i < 5; i++) await first.login('caixa-1', '0000').catch(() => {});
    const reopened = dirOf(openFileStore(dir, 'settings'), () => t, 'demoOperators');
    await expect(reopened.login('caixa-1', '1234')).rejects.toMatchObject({ code: 'pin_locked' });
  });
});

describe('operator management', () => {
  async function real() {
    const ops = dirOf(openFileStore(tmp(), 'settings'), Date.now, 'operators');
    const boss = await ops.create({ name: 'Ana Souza', role: 'manager', pin: '4826' });
    return { ops, boss };
  }

  it('creates, renames, changes the role, disables and resets the PIN', async () => {
    const { ops } = await real();
    const bia = await ops.create({ name: '  Bia   Lima ', role: 'cashier', pin: '5071' });
    expect(bia).toEqual({ id: 'bia-lima', name: 'Bia Lima', role: 'cashier', active: true });
    expect((await ops.login('bia-lima', '5071')).name).toBe('Bia Lima');
    expect(ops.update('bia-lima', { name: 'Beatriz Lima', role: 'manager' })).toMatchObject({ name: 'Beatriz Lima', role: 'manager' });
    await ops.setPin('bia-lima', '6093');
    await expect(ops.login('bia-lima', '5071')).rejects.toMatchObject({ code: 'pin_invalid' });
    expect((await ops.login('bia-lima', '6093')).role).toBe('manager');
    ops.update('bia-lima', { active: false });
    expect(ops.list().map((o) => o.id)).toEqual(['ana-souza']);
    await expect(ops.login('bia-lima', '6093')).rejects.toMatchObject({ code: 'operator_unknown' });
  });

  it.each(['1234', '0000', '9876', '1212', '1111111', '12', '123456789', '12a4', '1990'])(
    'refuses the trivial or malformed PIN %s and changes nothing',
    async (pin) => {
      const { ops } = await real();
      const before = ops.all();
      await expect(ops.create({ name: 'Caio', role: 'cashier', pin })).rejects.toMatchObject({ code: 'pin_weak', message: expect.stringMatching(/PIN/) });
      await expect(ops.setPin('ana-souza', pin)).rejects.toMatchObject({ code: 'pin_weak' });
      expect(ops.all()).toEqual(before);
      expect((await ops.login('ana-souza', '4826')).id).toBe('ana-souza');
    },
  );

  it('refuses a bad name, a duplicate, and leaving the shop without a manager', async () => {
    const { ops } = await real();
    await expect(ops.create({ name: ' ', role: 'cashier', pin: '5071' })).rejects.toMatchObject({ code: 'operator_name' });
    await expect(ops.create({ name: 'ana souza', role: 'cashier', pin: '5071' })).rejects.toMatchObject({ code: 'operator_exists' });
    expect(() => ops.update('ana-souza', { role: 'cashier' })).toThrow(expect.objectContaining({ code: 'last_manager' }));
    expect(() => ops.update('ana-souza', { active: false })).toThrow(expect.objectContaining({ code: 'last_manager' }));
    expect(ops.all()).toEqual([{ id: 'ana-souza', name: 'Ana Souza', role: 'manager', active: true }]);
  });
});

describe('AttemptLimiter', () => {
  it('records each attempt before it is checked, doubles the wait and caps it', () => {
    let t = 0;
    const l = new AttemptLimiter(() => t, { free: 2, baseMs: 1_000, maxMs: 5_000 });
    expect(l.reserve('k')).toBe(0);
    expect(l.waitMs('k')).toBe(0);
    expect(l.reserve('k')).toBe(0);
    expect(l.waitMs('k')).toBe(1_000);
    // Refused while locked, and not counted.
    expect(l.reserve('k')).toBe(1_000);
    t += 1_000;
    expect(l.reserve('k')).toBe(0);
    expect(l.waitMs('k')).toBe(2_000);
    for (let i = 0; i < 10; i++) {
      t += 10_000;
      l.reserve('k');
    }
    expect(l.waitMs('k')).toBe(5_000);
    l.succeed('k');
    expect(l.waitMs('k')).toBe(0);
  });
});
