// Two hosts on one data directory: the second is refused in Portuguese and changes nothing; a lock
// left by a killed process is taken over.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireDataDirLock, LOCK_NAME } from '../../../main/core/data-dir-lock.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
let dir: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'balcao-lock-'));
});
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function host(dataDir: string): { child: ChildProcess; url: Promise<string>; exit: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [join(ROOT, 'main/host/cli.ts'), '--data-dir', dataDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  const url = new Promise<string>((res, rej) => {
    child.stdout.on('data', (c) => {
      out += c;
      const m = /^url=(\S+)$/m.exec(out);
      if (m) res(m[1]!);
    });
    child.on('exit', () => rej(new Error(`host exited: ${err}`)));
  });
  url.catch(() => undefined);
  const exit = new Promise<{ code: number | null; stderr: string }>((res) => child.on('exit', (code) => res({ code, stderr: err })));
  return { child, url, exit };
}

describe('one process per data directory', () => {
  it('a second host on the same data is refused with a message naming the first', { timeout: 90_000 }, async () => {
    const data = join(dir, 'shared');
    const first = host(data);
    await first.url;
    const lock = JSON.parse(readFileSync(join(data, LOCK_NAME), 'utf8')) as { pid: number };
    expect(lock.pid).toBe(first.child.pid);
    const second = host(data);
    const { code, stderr } = await second.exit;
    expect(code).toBe(3);
    expect(stderr).toContain(`Outro Balcão já está aberto com estes dados (processo ${first.child.pid}`);
    expect(stderr).toContain('[data_dir_locked]');
    // The first host still owns it and still answers.
    expect(JSON.parse(readFileSync(join(data, LOCK_NAME), 'utf8')).pid).toBe(first.child.pid);
    const r = await fetch(await first.url);
    expect(r.status).toBeLessThan(500);
    const gone = first.exit;
    first.child.kill('SIGTERM');
    await gone;
    expect(existsSync(join(data, LOCK_NAME))).toBe(false);
  });

  it('a lock left by a process that no longer exists is taken over', async () => {
    const data = join(dir, 'stale');
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.on('exit', r));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, LOCK_NAME), JSON.stringify({ pid: dead.pid, host: hostname(), start: '1', at: new Date().toISOString() }));
    const lock = acquireDataDirLock(data);
    expect(JSON.parse(readFileSync(join(data, LOCK_NAME), 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(existsSync(join(data, LOCK_NAME))).toBe(false);
  });
});
