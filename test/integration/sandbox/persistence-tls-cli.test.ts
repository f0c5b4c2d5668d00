// Persistence across restart (dataDir), HTTPS with the generated certificate, and the CLI process.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../main/sandbox/index.ts';
import { call, emit, note } from './helpers.ts';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'focus-sandbox-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('persistence with dataDir', () => {
  it('keeps tokens, notes, counters, cancellations and inutilizações across a restart', async () => {
    const dir = tmp();
    const a = await startSandbox({ dataDir: dir });
    const first = await emit(a, 'p1', note(a));
    await emit(a, 'p2', note(a));
    await call(a, 'DELETE', '/v2/nfce/p2', { body: { justificativa: 'Venda cancelada pelo cliente' } });
    await call(a, 'POST', '/v2/nfce/inutilizacao', {
      body: { cnpj: a.cnpj, serie: '1', numero_inicial: '50', numero_final: '51', justificativa: 'Numeracao pulada por falha' },
    });
    const tokens = a.tokens;
    await a.close();

    const b = await startSandbox({ dataDir: dir });
    try {
      expect(b.tokens).toEqual(tokens);
      const g = await call(b, 'GET', '/v2/nfce/p1');
      expect(g.json).toEqual(first.json);
      expect((await call(b, 'GET', '/v2/nfce/p2')).json.status).toBe('cancelado');
      expect((await emit(b, 'p1', note(b))).json.codigo).toBe('nfe_autorizada');
      expect((await emit(b, 'p3', note(b))).json.numero).toBe('3');
      expect(b.inutilizacoes()).toHaveLength(1);
      expect((await fetch(b.url + g.json.caminho_xml_nota_fiscal)).status).toBe(200);
    } finally {
      await b.close();
    }
  });

  it('keeps nothing without a dataDir', async () => {
    const a = await startSandbox();
    await emit(a, 'v1', note(a));
    await a.close();
    const b = await startSandbox();
    try {
      expect(b.notes()).toEqual([]);
    } finally {
      await b.close();
    }
  });
});

function httpsGet(sb: Sandbox, path: string, ca: string | undefined): Promise<{ status: number; body: string }> {
  return new Promise((res, rej) => {
    const u = new URL(sb.url + path);
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: 'GET',
        ca,
        headers: { authorization: `Basic ${Buffer.from(`${sb.tokens.homologacao}:`).toString('base64')}` },
      },
      (r) => {
        let body = '';
        r.on('data', (c) => (body += c));
        r.on('end', () => res({ status: r.statusCode ?? 0, body }));
      },
    );
    req.on('error', rej);
    req.end();
  });
}

describe('TLS', () => {
  it('serves HTTPS that verifies against the exposed certificate and fails without it', async () => {
    const dir = tmp();
    const sb = await startSandbox({ tls: true, dataDir: dir });
    try {
      expect(sb.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(sb.ca).toContain('BEGIN CERTIFICATE');
      const ok = await httpsGet(sb, '/v2/nfce/nada', sb.ca);
      expect(ok.status).toBe(404);
      expect(JSON.parse(ok.body).codigo).toBe('nao_encontrado');
      await expect(httpsGet(sb, '/v2/nfce/nada', undefined)).rejects.toThrow(/self.signed|certificate/i);
    } finally {
      await sb.close();
    }
    // The same certificate comes back after a restart, so a client that trusted it keeps working.
    const again = await startSandbox({ tls: true, dataDir: dir });
    try {
      expect((await httpsGet(again, '/v2/nfce/nada', sb.ca)).status).toBe(404);
    } finally {
      await again.close();
    }
  });
});

describe('CLI', () => {
  it('prints url, token and cnpj, serves requests, and exits on SIGTERM', async () => {
    const root = resolve(import.meta.dirname, '../../..');
    const dir = tmp();
    const child = spawn(process.execPath, [join(root, 'main/sandbox/cli.ts'), '--port', '0', '--data', dir, '--latency', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const lines = await new Promise<string[]>((res, rej) => {
        let out = '';
        const timer = setTimeout(() => rej(new Error(`CLI não respondeu: ${out}`)), 20_000);
        child.stdout.on('data', (c) => {
          out += c;
          const ls = out.split('\n').filter(Boolean);
          if (ls.length >= 3) {
            clearTimeout(timer);
            res(ls);
          }
        });
        child.on('exit', (code) => rej(new Error(`CLI saiu com código ${code}`)));
      });
      expect(lines).toHaveLength(3);
      const kv = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      expect(kv.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(kv.cnpj).toBe('45286317000174');
      const r = await fetch(`${kv.url}/v2/nfce/nada`, { headers: { authorization: `Basic ${Buffer.from(`${kv.token}:`).toString('base64')}` } });
      expect(r.status).toBe(404);
      const info = (await (await fetch(`${kv.url}/__sandbox/info`)).json()) as { tokens: { homologacao: string } };
      expect(info.tokens.homologacao).toBe(kv.token);
      const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(readFileSync(join(dir, 'focus-sandbox.sqlite')).length).toBeGreaterThan(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
