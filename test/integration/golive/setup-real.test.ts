// A new shop goes live through the core, as the setup screens drive it: against a real Focus
// sandbox server on loopback, with real files. Nothing of the demo may appear in the real profile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHost, type RunningHost } from '../../../main/host/launch.ts';
import { startSandbox } from '../../../main/sandbox/index.ts';
import type { Sandbox } from '../../../main/sandbox/types.ts';
import { demoCatalog } from '../../../main/demo/catalog.ts';
import { keyDir, vaultIdFor } from '../../../main/secrets/key-store.ts';
import { LAYOUT } from '../../../main/core/layout.ts';
import type { Emitter } from '../../../shared/sale.ts';
import { TEST_PIN_COST } from '../../fixtures/core-rig.ts';

let sandbox: Sandbox;
let host: RunningHost | null = null;
let dir: string;
let now = Date.now();
const clock = () => now;

const EMITTER = (cnpj: string): Emitter => ({
  cnpj,
  ie: '9012345663',
  name: 'MERCADO SÃO JOÃO LTDA',
  tradeName: 'Mercado São João',
  crt: 1,
  uf: 'PR',
  address: { street: 'Rua das Flores', number: '10', district: 'Centro', city: 'Curitiba', cityCode: '4106902', cep: '80020000' },
});

type R<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string; fields?: { path: string; message: string }[] } };
async function ok<T>(p: Promise<R<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}
const h = (channel: string, input: unknown = {}) => host!.core.handle(channel, input) as Promise<R<any>>;

async function boot(extra: Parameters<typeof startHost>[0] extends infer O ? Partial<O> : never = {}): Promise<void> {
  await host?.close();
  host = await startHost({ pinCost: TEST_PIN_COST, dataDir: dir, sandbox: 'builtin', rendererDir: dir, clock, log: () => {}, ...extra });
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'balcao-golive-'));
  await boot();
});
afterAll(async () => {
  await host?.close();
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('first-run setup of a real shop', () => {
  it('starts on the setup, owner-only, answering nothing of a till', async () => {
    expect(host!.core.info().phase).toBe('setup');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const b = await ok(h('session.bootstrap'));
    expect(b).toMatchObject({ phase: 'setup', operators: [], demo: false });
    expect(b.demoLogins).toBeUndefined();
    expect(await h('sales.list')).toMatchObject({ ok: false, error: { code: 'phase_setup' } });
    expect(await h('auth.login', { operatorId: 'gerente', pin: '9999' })).toMatchObject({ ok: false, error: { code: 'phase_setup' } });
    // No sandbox, no demo journal, no demo catalog.
    expect(host!.core.info().sandbox).toBeNull();
    expect(existsSync(LAYOUT.demoCatalog(dir))).toBe(false);
  });

  it('checks the token live against Focus: bad refused, pasted with spaces and line breaks trimmed', async () => {
    await ok(h('setup.chooseMode', { mode: 'real' }));
    const bad = await ok(h('setup.checkToken', { environment: 'homologacao', token: 'TokenErrado12345', focusUrl: sandbox.url }));
    expect(bad).toMatchObject({ status: 'invalid', message: expect.stringMatching(/recusou este token/) });
    const down = await ok(h('setup.checkToken', { environment: 'homologacao', token: sandbox.tokens.homologacao, focusUrl: 'http://127.0.0.1:9' }));
    expect(down.status).toBe('unreachable');
    const pasted = `  ${sandbox.tokens.homologacao.slice(0, 10)}\n${sandbox.tokens.homologacao.slice(10)} \r\n`;
    const good = await ok(h('setup.checkToken', { environment: 'homologacao', token: pasted, focusUrl: sandbox.url }));
    expect(good.status).toBe('valid');
    expect(Math.abs(good.clockDriftMs)).toBeLessThan(5_000);
    const refused = await h('setup.saveToken', { environment: 'homologacao', token: 'TokenErrado12345', focusUrl: sandbox.url });
    expect(refused).toMatchObject({ ok: false, error: { code: 'token_invalid' } });
    expect((await ok(h('setup.state'))).hasToken.homologacao).toBe(false);
    const state = await ok(h('setup.saveToken', { environment: 'homologacao', token: pasted, focusUrl: sandbox.url }));
    expect(state).toMatchObject({ done: ['token'], hasToken: { homologacao: true }, focusUrl: sandbox.url });
  });

  it('refuses bad emitter, série, terminal and manager input in Portuguese and saves nothing', async () => {
    const before = await ok(h('setup.state'));
    const badCnpj = await h('setup.saveEmitter', { emitter: EMITTER('45286317000175') });
    expect(badCnpj).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/CNPJ inválido/) } });
    const badCep = await h('setup.saveEmitter', { emitter: { ...EMITTER(sandbox.cnpj), address: { ...EMITTER(sandbox.cnpj).address, cep: '800' } } });
    expect(badCep).toMatchObject({ ok: false, error: { message: expect.stringMatching(/CEP/) } });
    expect(await h('setup.saveFiscal', { serie: '1', contingencySerie: '1', qrVersion: 3 })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/diferente da série normal/) },
    });
    expect(await h('setup.saveFiscal', { serie: '1', contingencySerie: '900', qrVersion: 2 })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/CSC/) },
    });
    expect(await h('setup.saveFiscal', { serie: '1', contingencySerie: '900', qrVersion: 2, csc: 'ABC', cscId: '1' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await h('setup.saveTerminal', { terminalId: 'CX 01' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/sem espaços/) } });
    expect(await h('setup.createManager', { name: 'Ana Souza', pin: '1234' })).toMatchObject({ ok: false, error: { code: 'pin_weak' } });
    expect(await h('setup.finish')).toMatchObject({ ok: false, error: { code: 'setup_incomplete', message: expect.stringMatching(/dados do emitente/) } });
    expect(await ok(h('setup.state'))).toEqual(before);
  });

  it('accepts an alphanumeric CNPJ with valid check digits', async () => {
    const r = await ok(h('setup.saveEmitter', { emitter: EMITTER('12ABC34501DE35') }));
    expect(r.emitter.cnpj).toBe('12ABC34501DE35');
  });

  it('resumes after a restart and finishes with the shop’s own data only', async () => {
    await boot();
    const resumed = await ok(h('setup.state'));
    expect(resumed).toMatchObject({ mode: 'real', done: ['token', 'emitter'] });
    await ok(h('setup.saveEmitter', { emitter: EMITTER(sandbox.cnpj) }));
    await ok(h('setup.saveFiscal', { serie: '1', contingencySerie: '900', qrVersion: 2, cscId: '1', csc: sandbox.csc.homologacao.csc }));
    await ok(h('setup.skipCertificate'));
    await ok(h('setup.savePrinter', { printer: { kind: 'none', width: 48, codePage: 'cp860', nativeQr: true, summary: false } }));
    await ok(h('setup.saveTerminal', { terminalId: 'cx01' }));
    await ok(h('setup.createManager', { name: 'Ana Souza', pin: '4826' }));
    expect(await h('setup.createManager', { name: 'Outro', pin: '5071' })).toMatchObject({ ok: false, error: { code: 'manager_exists' } });
    expect(await ok(h('setup.finish'))).toEqual({ phase: 'ready' });
    const b = await ok(h('session.bootstrap'));
    expect(b).toMatchObject({ phase: 'ready', demo: false, operators: [{ id: 'ana-souza', name: 'Ana Souza', role: 'manager' }] });
    expect(b.settings).toMatchObject({ terminalId: 'CX01', emitter: { cnpj: sandbox.cnpj }, hasCsc: { homologacao: true }, cscId: { homologacao: '1' } });
    expect(b.demoLogins).toBeUndefined();
    expect(await h('auth.login', { operatorId: 'gerente', pin: '9999' })).toMatchObject({ ok: false, error: { code: 'operator_unknown' } });
    await ok(h('auth.login', { operatorId: 'ana-souza', pin: '4826' }));
    expect(await ok(h('catalog.search', { query: 'pão' }))).toEqual([]);
    expect(existsSync(LAYOUT.demoCatalog(dir))).toBe(false);
    expect(readdirSync(join(dir, 'journal')).filter((f) => f.endsWith('.sqlite'))).toEqual(['homologacao.sqlite']);
    // Setup is over: its channels are closed.
    expect(await h('setup.createManager', { name: 'Intruso', pin: '5071' })).toMatchObject({ ok: false, error: { code: 'phase_ready' } });
  });

  it('sells and authorizes its first note against the sandbox, and the pre-flight is green', async () => {
    const product = { ...demoCatalog().find((p) => p.gtin !== null && !p.weighed)!, id: 'p-1' };
    await ok(h('catalog.update', { product }));
    // Abertura first: the register must be open to sell.
    await ok(h('register.open', { amountText: '150,00' }));
    const sold = await ok(
      h('sales.finalize', {
        clientId: 'primeira-venda-1',
        items: [{ productId: 'p-1', qtyE4: 10_000, unitPriceCents: product.priceCents }],
        payments: [{ method: '01', amountCents: product.priceCents }],
      }),
    );
    expect(sold.emission.state).toBe('authorized');
    const report = await ok(h('preflight.run'));
    const by = Object.fromEntries(report.checks.map((c: { id: string; level: string }) => [c.id, c.level]));
    expect(by).toMatchObject({ token: 'green', clock: 'green', journal: 'green', csc: 'green', certificate: 'yellow', printer: 'yellow' });
  });

  it('warns when the clock drifts and blocks beyond what SEFAZ accepts', async () => {
    now = Date.now() + 3 * 60_000;
    expect((await ok(h('preflight.run'))).checks.find((c: { id: string }) => c.id === 'clock')).toMatchObject({
      level: 'yellow',
      detail: expect.stringMatching(/adiantado/),
    });
    now = Date.now() - 10 * 60_000;
    expect((await ok(h('preflight.run'))).checks.find((c: { id: string }) => c.id === 'clock')).toMatchObject({
      level: 'red',
      fix: expect.stringMatching(/Acerte a data e a hora/),
    });
    now = Date.now();
  });
});

describe('operators and sessions in the real profile', () => {
  it('lets the manager manage operators within the grace window, then asks the PIN again', async () => {
    await ok(h('auth.login', { operatorId: 'ana-souza', pin: '4826' }));
    const bia = await ok(h('operators.create', { name: 'Bia Lima', role: 'cashier', pin: '5071' }));
    expect(bia).toMatchObject({ id: 'bia-lima', active: true });
    expect(await h('operators.create', { name: 'Caio', role: 'cashier', pin: '0000' })).toMatchObject({ ok: false, error: { code: 'pin_weak' } });
    now += 10 * 60_000;
    expect(await h('operators.update', { id: 'bia-lima', name: 'Beatriz Lima' })).toMatchObject({ ok: false, error: { code: 'manager_required' } });
    expect(await ok(h('operators.update', { id: 'bia-lima', name: 'Beatriz Lima', managerPin: '4826' }))).toMatchObject({ name: 'Beatriz Lima' });
    // The PIN refreshed the window.
    await ok(h('operators.resetPin', { id: 'bia-lima', pin: '6093' }));
    now = Date.now();
  });

  it('keeps cashiers out of manager channels and lets them change their own PIN', async () => {
    await ok(h('auth.login', { operatorId: 'bia-lima', pin: '6093' }));
    expect(await h('operators.list')).toMatchObject({ ok: false, error: { code: 'manager_required' } });
    expect(await h('audit.list', { managerPin: '6093' })).toMatchObject({ ok: false, error: { code: 'not_manager' } });
    expect(await h('auth.changePin', { currentPin: '6093', newPin: '1111' })).toMatchObject({ ok: false, error: { code: 'pin_weak' } });
    expect(await h('auth.changePin', { currentPin: '9999', newPin: '7391' })).toMatchObject({ ok: false, error: { code: 'pin_invalid' } });
    await ok(h('auth.changePin', { currentPin: '6093', newPin: '7391' }));
    await ok(h('auth.login', { operatorId: 'bia-lima', pin: '7391' }));
  });

  it('locks an idle session', async () => {
    now += 11 * 60_000;
    expect(await h('sales.list')).toMatchObject({ ok: false, error: { code: 'session_locked' } });
    expect(await h('sales.list')).toMatchObject({ ok: false, error: { code: 'login_required' } });
    now = Date.now();
  });

  it('cannot be outrun by parallel guesses, and the lockout survives a restart', async () => {
    const guesses = [...Array.from({ length: 12 }, (_, i) => String(5000 + i * 7)), '7391'].map((pin) => h('auth.login', { operatorId: 'bia-lima', pin }));
    const results = await Promise.all(guesses);
    expect(results.some((r) => r.ok)).toBe(false);
    await boot();
    expect(await h('auth.login', { operatorId: 'bia-lima', pin: '7391' })).toMatchObject({ ok: false, error: { code: 'pin_locked' } });
    now = Date.now() + 60 * 60_000;
    await ok(h('auth.login', { operatorId: 'bia-lima', pin: '7391' }));
    now = Date.now();
  });

  it('shows the audit trail to the manager, filtered', async () => {
    await ok(h('auth.login', { operatorId: 'ana-souza', pin: '4826' }));
    const all = await ok(h('audit.list', {}));
    const actions = new Set(all.map((e: { action: string }) => e.action));
    for (const a of ['login', 'login_failed', 'operator_created', 'operator_updated', 'pin_reset', 'pin_changed']) expect(actions).toContain(a);
    const failed = await ok(h('audit.list', { action: 'login_failed', actor: 'bia-lima' }));
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((e: { action: string; actorName: string }) => e.action === 'login_failed' && e.actorName === 'Beatriz Lima')).toBe(true);
    expect(await ok(h('audit.list', { from: '2001-01-01', to: '2001-01-02' }))).toEqual([]);
  });
});

describe('secrets and settings that fail safe', () => {
  it('stops on the secrets screen when the token file is gone — never demo — and recovers', async () => {
    await host!.close();
    host = null;
    rmSync(join(LAYOUT.secrets(dir), 'focus-token-homologacao.sec'));
    await boot();
    expect(host!.core.info()).toMatchObject({ phase: 'secrets', demo: false, sandbox: null });
    const b = await ok(h('session.bootstrap'));
    expect(b).toMatchObject({ phase: 'secrets', secrets: { code: 'token_missing', needs: ['token'] }, operators: [{ id: 'ana-souza' }, { id: 'bia-lima' }] });
    expect(await h('sales.list')).toMatchObject({ ok: false, error: { code: 'phase_secrets' } });
    expect(await h('secrets.provide', { managerPin: '7391', token: sandbox.tokens.homologacao })).toMatchObject({ ok: false, error: { code: 'not_manager' } });
    expect(await h('secrets.provide', { managerPin: '4826', token: 'TokenErrado12345' })).toMatchObject({ ok: false, error: { code: 'token_invalid' } });
    expect(await ok(h('secrets.provide', { managerPin: '4826', token: sandbox.tokens.homologacao }))).toMatchObject({ phase: 'ready' });
  });

  it('explains a missing vault key in Portuguese and recovers when the token is entered again', async () => {
    await host!.close();
    host = null;
    const keyFile = join(keyDir(), `${vaultIdFor(dir)}.key`);
    expect(existsSync(keyFile)).toBe(true);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).some((f) => f.endsWith('.key'))).toBe(false);
    rmSync(keyFile);
    await boot();
    const b = await ok(h('session.bootstrap'));
    expect(b).toMatchObject({ phase: 'secrets', secrets: { code: 'vault_key_missing', message: expect.stringMatching(/chave que protege o token/) } });
    await ok(h('secrets.provide', { managerPin: '4826', token: sandbox.tokens.homologacao }));
    expect(host!.core.info().phase).toBe('ready');
  });

  it('restores the last-good settings over a damaged file, keeping operators and PINs', async () => {
    await host!.close();
    host = null;
    writeFileSync(join(dir, 'settings.json'), '{"settings": {"mode": "re');
    await boot();
    expect(host!.core.info().phase).toBe('ready');
    await ok(h('auth.login', { operatorId: 'ana-souza', pin: '4826' }));
  });

  it('stops on a recovery screen when both copies are damaged — never defaults, never demo PINs', async () => {
    await host!.close();
    host = null;
    writeFileSync(join(dir, 'settings.json'), 'lixo');
    writeFileSync(join(dir, 'settings.last-good.json'), 'lixo');
    await boot();
    expect(host!.core.info()).toMatchObject({ phase: 'recovery', demo: false, sandbox: null });
    expect(await ok(h('session.bootstrap'))).toMatchObject({ phase: 'recovery', operators: [] });
    expect(await h('auth.login', { operatorId: 'gerente', pin: '9999' })).toMatchObject({ ok: false, error: { code: 'phase_recovery' } });
    expect(await ok(h('setup.recover'))).toEqual({ phase: 'setup' });
    expect((await ok(h('setup.state'))).mode).toBe('unset');
  });
});
