// The browser host against a real core (catalog, operators, vault, journal on temp files). The
// core runs with a Focus token pointing at a closed port: these tests never need Focus.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { DEMO_OPERATORS } from '../../../main/auth/operators.ts';
import { startHost, type RunningHost } from '../../../main/host/launch.ts';
import { createHostPos } from '../../../renderer/host/pos-client.ts';
import { CHANNELS, type Channel } from '../../../shared/contract.ts';
import { openWs } from './ws-client.ts';
import { TEST_PIN_COST } from '../../fixtures/core-rig.ts';

let dir: string;
let host: RunningHost;
let cookie: string;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function http(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, method, path, headers: { Host: `127.0.0.1:${host.port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const api = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
  http('POST', `/api/${channel}`, { 'Content-Type': 'application/json', Cookie: cookie, ...headers }, JSON.stringify(body));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'balcao-host-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(
    join(rendererDir, 'index.html'),
    '<!doctype html><html><head><meta charset="UTF-8"><script type="module" src="./assets/app.js"></script></head><body><div id="root"></div></body></html>',
  );
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
  writeFileSync(join(dir, 'secret.txt'), 'outside the renderer');
  host = await startHost({
    pinCost: TEST_PIN_COST,
    dataDir: join(dir, 'data'),
    rendererDir,
    token: 'TokenDeTesteQueNaoVaiAoAr123',
    // One name tries to close the page's bootstrap data block.
    operators: [...DEMO_OPERATORS, { id: 'fiscal', name: 'Ana </script><script>alert(1)</script>', role: 'cashier', pin: '4321' }],
    focusUrl: 'http://127.0.0.1:9',
    sandbox: 'none',
    log: () => {},
  });
  const first = await http('GET', new URL(host.url).pathname + new URL(host.url).search);
  expect(first.status).toBe(303);
  const set = String(first.headers['set-cookie']);
  expect(set).toContain('HttpOnly');
  expect(set).toContain('SameSite=Strict');
  cookie = set.split(';')[0]!;
});

afterAll(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('browser host security', () => {
  it('listens on loopback only', () => {
    const addr = (host as unknown as { core: unknown }) && host.url;
    expect(addr).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?c=[0-9a-f]{48}$/);
    // The launch URL carries a one-time code, never the secret.
    expect(addr).not.toContain(host.secret);
    expect(host.origin).toBe(`http://127.0.0.1:${host.port}`);
  });

  it('refuses everything without the secret', async () => {
    expect((await http('GET', '/')).status).toBe(401);
    expect((await http('GET', '/assets/app.js')).status).toBe(401);
    const r = await http('POST', '/api/status.get', { 'Content-Type': 'application/json' }, '{}');
    expect(r.status).toBe(401);
    expect((await http('GET', '/?c=wrong')).status).toBe(403);
    // A launch code opens the app once: replayed (from `ps` or the browser history) it is refused.
    const once = new URL(host.url);
    expect((await http('GET', once.pathname + once.search)).status).toBe(303);
    expect((await http('GET', once.pathname + once.search)).status).toBe(403);
    expect((await http('GET', `/?k=${host.secret}`)).status).toBe(401);
  });

  it('refuses a foreign Host (DNS rebinding), a foreign Origin and cross-site fetches', async () => {
    expect((await http('GET', '/', { Cookie: cookie, Host: `evil.example:${host.port}` })).status).toBe(403);
    expect((await api('status.get', {}, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await api('status.get', {}, { Origin: `http://127.0.0.1:${host.port + 1}` })).status).toBe(403);
    expect((await api('status.get', {}, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    // Even the first-load URL is refused from another host name.
    expect((await http('GET', new URL(host.url).pathname + new URL(host.url).search, { Host: `evil.example:${host.port}` })).status).toBe(403);
  });

  it('serves the app as built, with the CSP header (the bundle itself defines window.pos)', async () => {
    const r = await http('GET', '/', { Cookie: cookie });
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['content-security-policy']).not.toContain('unsafe-eval');
    expect(r.body).toContain('assets/app.js');
    expect(r.body).not.toContain('pos-client');
  });

  it('serves the page with the answer to its first session.bootstrap in a data block, never executable', async () => {
    const r = await http('GET', '/', { Cookie: cookie });
    const m = /<script type="application\/json" id="balcao-bootstrap">([^<]*)<\/script><\/head>/.exec(r.body);
    expect(m, r.body).not.toBeNull();
    const served = JSON.parse(m![1]!) as { ok: boolean; value: { phase: string; operators: { id: string }[] } };
    expect(served).toMatchObject({ ok: true, value: { phase: 'ready' } });
    // The name that tries to close the block is inside it, escaped, and reads back whole.
    expect(served.value.operators.map((o) => (o as { name?: string }).name)).toContain('Ana </script><script>alert(1)</script>');
    expect(r.body).not.toContain('alert(1)</script>');
    // The same answer the page would get over POST.
    expect(served).toEqual(JSON.parse((await api('session.bootstrap', {})).body));
    // Without the secret there is no page, so no answer either.
    expect((await http('GET', '/')).body).not.toContain('balcao-bootstrap');
    // A deep link (history fallback) is the same page.
    expect((await http('GET', '/vendas', { Cookie: cookie })).body).toContain('id="balcao-bootstrap"');
  });

  it('never serves files outside the renderer directory', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
      const r = await http('GET', p, { Cookie: cookie });
      expect(r.body).not.toContain('outside the renderer');
    }
  });

  it('answers the contract with Results and pt-BR errors', async () => {
    const ok = await api('auth.operators', {});
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: [{ id: 'caixa-1' }, { id: 'caixa-2' }, { id: 'gerente' }, { id: 'fiscal' }] });

    const bad = JSON.parse((await api('auth.login', { operatorId: 'caixa-1', pin: '12' })).body);
    expect(bad.ok).toBe(false);
    expect(bad.error.code).toBe('invalid_input');
    expect(bad.error.message).toMatch(/PIN deve ter de 4 a 8 dígitos/);
    expect(bad.error.fields[0].path).toBe('pin');

    const unknown = await api('fs.readFile', {});
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error.message).toMatch(/Operação desconhecida/);
    const proto = await api('__proto__', {});
    expect(proto.status).toBe(404);

    const form = await http('POST', '/api/auth.operators', { Cookie: cookie, 'Content-Type': 'text/plain' }, '{}');
    expect(form.status).toBe(415);
    const broken = await http('POST', '/api/auth.operators', { Cookie: cookie, 'Content-Type': 'application/json' }, '{nope');
    expect(JSON.parse(broken.body).error.code).toBe('invalid_json');
    const huge = await http(
      'POST',
      '/api/auth.operators',
      { Cookie: cookie, 'Content-Type': 'application/json' },
      JSON.stringify({ x: 'a'.repeat(1_100_000) }),
    );
    expect(huge.status).toBe(413);
  });

  it('accepts the secret header for non-browser clients', async () => {
    const r = await http('POST', '/api/status.get', { 'Content-Type': 'application/json', 'x-balcao-secret': host.secret }, '{}');
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { demo: false, environment: 'homologacao' } });
  });

  it('never returns the token: settings show only that one exists', async () => {
    expect(JSON.parse((await api('settings.get', {})).body)).toMatchObject({ ok: false, error: { code: 'login_required' } });
    await api('auth.login', { operatorId: 'gerente', pin: '9999' });
    const r = await api('settings.get', {});
    expect(r.body).not.toContain('TokenDeTesteQueNaoVaiAoAr123');
    expect(JSON.parse(r.body).value.hasToken).toEqual({ producao: false, homologacao: true });
  });
});

describe('events over WebSocket', () => {
  it('refuses upgrades without the secret or from another origin', async () => {
    expect((await openWs(host.port, { Host: `127.0.0.1:${host.port}` })).status).toBe(401);
    expect((await openWs(host.port, { Host: `127.0.0.1:${host.port}`, Cookie: cookie, Origin: 'http://evil.example' })).status).toBe(403);
  });

  it('pushes status.changed when an operator logs in', async () => {
    const ws = await openWs(host.port, { Host: `127.0.0.1:${host.port}`, Cookie: cookie, Origin: host.origin });
    expect(ws.status).toBe(101);
    const login = JSON.parse((await api('auth.login', { operatorId: 'caixa-1', pin: '1234' })).body);
    expect(login).toMatchObject({ ok: true, value: { name: 'Caixa 1' } });
    const msg = (await ws.next()) as { event: string; payload: { operator: { id: string } } };
    expect(msg.event).toBe('status.changed');
    expect(msg.payload.operator.id).toBe('caixa-1');
    ws.close();
    await api('auth.logout', {});
  });

  it('the page-side client (renderer/host/pos-client.ts) builds window.pos over fetch and WebSocket', async () => {
    // fetch/WebSocket that add our cookie (Node has no cookie jar).
    const base = host.origin;
    const sockets: WebSocket[] = [];
    class CookieWebSocket extends WebSocket {
      constructor(url: string) {
        super(url, { headers: { Cookie: cookie, Origin: base } } as unknown as string[]);
        sockets.push(this);
      }
    }
    let alive = true;
    const pos = createHostPos({
      location: { protocol: 'http:', host: `127.0.0.1:${host.port}` },
      fetch: (path, init) => fetch(base + path, { ...init, headers: { ...(init.headers as Record<string, string>), Cookie: cookie } }),
      WebSocket: CookieWebSocket,
      setTimeout: (f, ms) => (alive ? setTimeout(f, ms) : undefined),
    });
    // Calls by name (the page carries no schemas): every contract channel is there.
    for (const c of Object.keys(CHANNELS) as Channel[]) {
      const [ns, method] = c.split('.') as [keyof typeof pos, string];
      expect(typeof (pos[ns] as unknown as Record<string, unknown>)[method]).toBe('function');
    }
    expect(await Promise.resolve(pos)).toBe(pos);
    const events: unknown[] = [];
    const off = pos.on('status.changed', (p) => events.push(p));
    await vi.waitFor(() => expect(sockets[0]?.readyState).toBe(WebSocket.OPEN), { timeout: 10_000 });
    const r = await pos.auth.login({ operatorId: 'gerente', pin: '9999' });
    expect(r).toMatchObject({ ok: true, value: { role: 'manager' } });
    await vi.waitFor(() => expect(events[0]).toMatchObject({ operator: { id: 'gerente' } }), { timeout: 10_000 });
    off();
    const bad = await pos.catalog.lookup({ code: '' });
    expect(bad.ok).toBe(false);
    await pos.auth.logout({});
    alive = false;
    for (const s of sockets) s.close();
  });

  it('the page-side client answers its first session.bootstrap from the served page, and asks the core after that', async () => {
    const served = { ok: true as const, value: { phase: 'ready', served: true } };
    const asked: string[] = [];
    const pos = createHostPos({
      location: { protocol: 'http:', host: `127.0.0.1:${host.port}` },
      fetch: (path, init) => {
        asked.push(path);
        return fetch(host.origin + path, { ...init, headers: { ...(init.headers as Record<string, string>), Cookie: cookie } });
      },
      WebSocket: class extends WebSocket {
        constructor(url: string) {
          super(url, { headers: { Cookie: 'none', Origin: host.origin } } as unknown as string[]);
        }
      },
      setTimeout: () => undefined,
      firstBootstrap: served,
    });
    expect(await pos.session.bootstrap({})).toBe(served);
    expect(asked).toEqual([]);
    const again = await pos.session.bootstrap({});
    expect(again).toMatchObject({ ok: true, value: { phase: 'ready' } });
    expect(again).not.toMatchObject({ value: { served: true } });
    expect(asked).toEqual(['/api/session.bootstrap']);
  });
});
