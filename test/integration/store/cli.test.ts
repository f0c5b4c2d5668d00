// `npm run store` as the store manager uses it: a pairing code printed by the CLI pairs a lane with
// the server the same CLI started, the database comes from the environment, and a missing one is
// refused with a Portuguese sentence.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { STORE_PROTOCOL_VERSION, STORE_ROUTES } from '../../../shared/store/protocol.ts';
import { useStore } from './store-harness.ts';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '../../../store/cli.ts');

const { cluster } = useStore({ store: false });
let url: string;
let server: ChildProcess | null = null;
beforeAll(async () => {
  url = await cluster.createDatabase();
});
afterAll(async () => {
  if (server !== null && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
});

const env = (extra: Record<string, string> = {}) => ({ ...process.env, BALCAO_STORE_DATABASE_URL: url, ...extra });

describe('npm run store', () => {
  it('prints a one-time code that pairs a lane with the server it started', async () => {
    const code = /Código de pareamento: (\d{4}-\d{4})/.exec((await run(process.execPath, [CLI, 'pairing-code'], { env: env() })).stdout)?.[1];
    expect(code).toBeDefined();

    server = spawn(process.execPath, [CLI, '--port', '0'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    server.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    const base = await vi.waitFor(
      () => {
        const m = /Servidor da loja em (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (!m) throw new Error('not up yet');
        return m[1]!;
      },
      { timeout: 20_000, interval: 50 },
    );
    const pair = await fetch(`${base}${STORE_ROUTES.pair}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ protocol: STORE_PROTOCOL_VERSION, code, laneName: 'Caixa CLI' }),
    });
    expect(pair.status).toBe(200);
    expect((await pair.json()).terminalId).toMatch(/^LJ\d\d$/);

    const token = /\n([A-Za-z0-9_-]{43})\n/.exec((await run(process.execPath, [CLI, 'admin-token'], { env: env() })).stdout)?.[1];
    const lanes = await fetch(`${base}${STORE_ROUTES.lanes}`, { headers: { authorization: `Bearer ${token}` } });
    expect((await lanes.json()).lanes.map((l: any) => l.name)).toEqual(['Caixa CLI']);
  });

  it('without a database it says what to set, in Portuguese, and exits non-zero', async () => {
    const e = await run(process.execPath, [CLI, 'pairing-code'], { env: { ...process.env, BALCAO_STORE_DATABASE_URL: '' } }).catch(
      (err: unknown) => err as { code: number; stderr: string },
    );
    expect(e).toMatchObject({ code: 2 });
    expect((e as { stderr: string }).stderr).toMatch(/Informe o banco: BALCAO_STORE_DATABASE_URL/);
  });
});
