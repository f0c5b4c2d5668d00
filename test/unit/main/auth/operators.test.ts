import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthError, DEMO_OPERATORS, OperatorDirectory } from '../../../../main/auth/operators.ts';
import { AttemptLimiter } from '../../../../main/auth/attempts.ts';
import { createConfStore } from '../../../../main/settings/conf-store.ts';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'balcao-auth-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function directory(now: () => number = Date.now) {
  const dir = tmp();
  const ops = new OperatorDirectory(createConfStore(dir, 'settings'), now);
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
    const store = createConfStore(dir, 'settings');
    store.set('operators', 'garbage');
    const ops = new OperatorDirectory(store, Date.now);
    await ops.ensureSeeded();
    expect(ops.list()).toEqual([]);
  });
});

describe('AttemptLimiter', () => {
  it('doubles the wait and caps it', () => {
    const t = 0;
    const l = new AttemptLimiter(() => t, { free: 2, baseMs: 1_000, maxMs: 5_000 });
    l.fail('k');
    expect(l.waitMs('k')).toBe(0);
    l.fail('k');
    expect(l.waitMs('k')).toBe(1_000);
    l.fail('k');
    expect(l.waitMs('k')).toBe(2_000);
    for (let i = 0; i < 10; i++) l.fail('k');
    expect(l.waitMs('k')).toBe(5_000);
    l.succeed('k');
    expect(l.waitMs('k')).toBe(0);
  });
});
