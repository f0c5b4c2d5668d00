// Contract calls over the host's WebSocket against a real core (catalog, operators, vault, journal
// on temp files; Focus token pointing at a closed port, so nothing here needs Focus): the upgrade's
// guards, malformed frames, events on the same socket, and the served client script's fallback to
// POST when the socket is down or drops with calls in flight.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { connect } from 'node:net';
import { DEMO_OPERATORS } from '../../../main/auth/operators.ts';
import { demoCatalog } from '../../../main/demo/catalog.ts';
import { startHost, type RunningHost } from '../../../main/host/launch.ts';
import { createHostPos, type HostEnv } from '../../../renderer/host/pos-client.ts';
import { RPC_MAX_BYTES } from '../../../main/host/rpc.ts';
import type { StatusView } from '../../../shared/contract.ts';
import { clientFrame, openWs, type TestWs } from './ws-client.ts';
import { TEST_PIN_COST } from '../../fixtures/core-rig.ts';

let dir: string;
let host: RunningHost;
let cookie: string;

function firstLoad(): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, path: new URL(host.url).pathname + new URL(host.url).search, headers: { Host: `127.0.0.1:${host.port}` } },
      (res) => {
        res.resume();
        resolve(String(res.headers['set-cookie']).split(';')[0]!);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const hostHeader = () => `127.0.0.1:${host.port}`;
const browserWs = (extra: Record<string, string> = {}) => openWs(host.port, { Host: hostHeader(), Cookie: cookie, Origin: host.origin, ...extra });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'balcao-host-rpc-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><head></head><body></body></html>');
  host = await startHost({
    pinCost: TEST_PIN_COST,
    dataDir: join(dir, 'data'),
    rendererDir,
    token: 'TokenDeTesteQueNaoVaiAoAr123',
    operators: DEMO_OPERATORS,
    catalogSeed: demoCatalog,
    focusUrl: 'http://127.0.0.1:9',
    sandbox: 'none',
    log: () => {},
  });
  cookie = await firstLoad();
});

afterAll(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the WebSocket upgrade keeps the host guards', () => {
  it.each([
    ['no secret', () => openWs(host.port, { Host: hostHeader(), Origin: host.origin }), 401],
    ['a wrong secret', () => openWs(host.port, { Host: hostHeader(), Origin: host.origin, Cookie: `balcao_${host.port}=${'0'.repeat(64)}` }), 401],
    ['a foreign Origin', () => browserWs({ Origin: 'http://evil.example' }), 403],
    ['another local port as Origin', () => browserWs({ Origin: `http://127.0.0.1:${host.port + 1}` }), 403],
    ['a foreign Host (DNS rebinding)', () => browserWs({ Host: `evil.example:${host.port}` }), 403],
    ['a cross-site request', () => browserWs({ 'Sec-Fetch-Site': 'cross-site' }), 403],
  ])('refuses %s', async (_name, open, status) => {
    const ws = await open();
    expect(ws.status).toBe(status);
  });

  it('accepts the secret header for non-browser clients and answers calls on it', async () => {
    const ws = await openWs(host.port, { Host: hostHeader(), 'x-balcao-secret': host.secret });
    expect(ws.status).toBe(101);
    ws.send(JSON.stringify({ id: 1, channel: 'status.get', input: {} }));
    expect(await ws.reply(1)).toMatchObject({ id: 1, result: { ok: true, value: { demo: false, environment: 'homologacao' } } });
    ws.close();
  });
});

describe('contract calls over the socket', () => {
  let ws: TestWs;
  beforeAll(async () => {
    ws = await browserWs();
    expect(ws.status).toBe(101);
  });
  afterAll(() => ws.close());

  it('answers several calls in flight, each with its own id', async () => {
    ws.send(JSON.stringify({ id: 9, channel: 'auth.login', input: { operatorId: 'caixa-1', pin: '1234' } }));
    await ws.reply(9);
    ws.send(JSON.stringify({ id: 10, channel: 'auth.operators', input: {} }));
    ws.send(JSON.stringify({ id: 11, channel: 'catalog.search', input: { query: 'arroz', limit: 3 } }));
    ws.send(JSON.stringify({ id: 12, channel: 'settings.get' }));
    const [ops, search, settings] = await Promise.all([ws.reply(10), ws.reply(11), ws.reply(12)]);
    expect(ops.result).toMatchObject({ ok: true, value: [{ id: 'caixa-1' }, { id: 'caixa-2' }, { id: 'gerente' }] });
    expect(search.result).toMatchObject({ ok: true });
    expect((search.result.value as unknown[]).length).toBeGreaterThan(0);
    expect((search.result.value as unknown[]).length).toBeLessThanOrEqual(3);
    expect(JSON.stringify(settings)).not.toContain('TokenDeTesteQueNaoVaiAoAr123');
    ws.send(JSON.stringify({ id: 13, channel: 'auth.logout', input: {} }));
    await ws.reply(13);
    // The login and logout each pushed a status event to this socket.
    await ws.next();
    await ws.next();
  });

  it('still parses inputs with the channel schemas, in Portuguese', async () => {
    ws.send(JSON.stringify({ id: 20, channel: 'auth.login', input: { operatorId: 'caixa-1', pin: '12' } }));
    const r = await ws.reply(20);
    expect(r.result).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/PIN deve ter de 4 a 8 dígitos/) } });
    ws.send(JSON.stringify({ id: 21, channel: 'sales.finalize', input: 'lixo' }));
    expect((await ws.reply(21)).result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('answers malformed frames with pt-BR errors and keeps serving', async () => {
    ws.send('{"id":30,"channel":');
    expect((await ws.reply(30)).result).toMatchObject({ ok: false, error: { code: 'invalid_json', message: expect.stringMatching(/JSON malformado/) } });
    ws.send('isto não é JSON');
    expect((await ws.reply(null)).result).toMatchObject({ ok: false, error: { code: 'invalid_json' } });
    ws.send(JSON.stringify({ id: 31, channel: 'fs.readFile', input: { path: '/etc/passwd' } }));
    expect((await ws.reply(31)).result).toMatchObject({
      ok: false,
      error: { code: 'unknown_channel', message: expect.stringMatching(/Operação desconhecida/) },
    });
    ws.send(JSON.stringify({ id: 32, channel: '__proto__' }));
    expect((await ws.reply(32)).result).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    ws.send(JSON.stringify({ id: 'x', channel: 'status.get' }));
    expect((await ws.reply(null)).result).toMatchObject({ ok: false, error: { code: 'invalid_frame', message: expect.stringMatching(/Pedido inválido/) } });
    ws.sendBinary(Buffer.from(JSON.stringify({ id: 33, channel: 'status.get' })));
    expect((await ws.reply(null)).result).toMatchObject({ ok: false, error: { code: 'invalid_frame' } });
    // Larger than a POST may be: refused with its id, without the host holding it in memory.
    ws.send(JSON.stringify({ id: 34, channel: 'settings.importCertificate', input: { pfxBase64: 'A'.repeat(RPC_MAX_BYTES + 1000) } }));
    expect((await ws.reply(34, 10_000)).result).toMatchObject({ ok: false, error: { code: 'too_big', message: expect.stringMatching(/grande demais/) } });

    ws.send(JSON.stringify({ id: 35, channel: 'auth.operators', input: {} }));
    expect((await ws.reply(35)).result.ok).toBe(true);
  });

  it('delivers events on the same socket that carries the calls', async () => {
    ws.send(JSON.stringify({ id: 40, channel: 'auth.login', input: { operatorId: 'caixa-2', pin: '2345' } }));
    expect((await ws.reply(40)).result).toMatchObject({ ok: true, value: { id: 'caixa-2', role: 'cashier' } });
    const ev = (await ws.next()) as { event: string; payload: StatusView };
    expect(ev.event).toBe('status.changed');
    expect(ev.payload.operator?.id).toBe('caixa-2');
    ws.send(JSON.stringify({ id: 41, channel: 'auth.logout', input: {} }));
    expect((await ws.reply(41)).result).toEqual({ ok: true, value: null });
    expect((await ws.next()) as { event: string }).toMatchObject({ event: 'status.changed', payload: { operator: null } });
  });

  /** Writes the handshake and `frame` in one packet; reads until `done(received)` or the host hangs up. */
  function rawSession(frame: Buffer, done: (got: string) => boolean): Promise<Buffer> {
    const sock = connect(host.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    return new Promise<Buffer>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no answer: ${Buffer.concat(chunks).toString('latin1')}`)), 5_000);
      const finish = () => {
        clearTimeout(t);
        sock.destroy();
        resolve(Buffer.concat(chunks));
      };
      sock.on('data', (c: Buffer) => {
        chunks.push(c);
        if (done(Buffer.concat(chunks).toString('latin1'))) finish();
      });
      sock.on('close', finish);
      sock.on('error', () => {});
      sock.write(
        Buffer.concat([
          Buffer.from(
            `GET /api/events HTTP/1.1\r\nHost: ${hostHeader()}\r\nOrigin: ${host.origin}\r\nCookie: ${cookie}\r\n` +
              'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
          ),
          frame,
        ]),
      );
    });
  }

  it('reads a call pipelined in the same packet as the handshake', async () => {
    const frame = clientFrame(0x1, Buffer.from(JSON.stringify({ id: 50, channel: 'auth.operators', input: {} })));
    const got = (await rawSession(frame, (text) => text.includes('"id":50,'))).toString('latin1');
    expect(got.startsWith('HTTP/1.1 101')).toBe(true);
    expect(got).toContain('"id":50,"result":{"ok":true');
  });

  it('closes on a protocol violation (unmasked frame)', async () => {
    const frame = clientFrame(0x1, Buffer.from('{"id":1,"channel":"status.get"}'), { masked: false });
    const got = await rawSession(frame, () => false);
    const head = got.indexOf('\r\n\r\n') + 4;
    expect(got.subarray(0, 12).toString('latin1')).toBe('HTTP/1.1 101');
    // The host's close frame (opcode 8) carries 1002, "protocol error".
    expect(got[head]).toBe(0x88);
    expect(got.readUInt16BE(head + 2)).toBe(1002);
  });
});

describe('the page-side client', () => {
  // The page-side client the renderer bundle installs, with fetch/WebSocket that add our cookie
  // (Node has no cookie jar) and count what travels where.
  // `held`: while it returns true, the socket's upgrade goes to a path the host refuses, so the
  // client keeps reconnecting (as when the host is still starting or the link flaps).
  // `beforeAnswer`: runs between the host's HTTP answer and its delivery to the client.
  function boot({
    held = () => false,
    beforeAnswer,
    firstBootstrap,
  }: { held?: () => boolean; beforeAnswer?: () => Promise<void>; firstBootstrap?: HostEnv['firstBootstrap'] } = {}) {
    const base = host.origin;
    const sockets: WebSocket[] = [];
    const frames: string[] = [];
    const posts: string[] = [];
    let alive = true;
    class CountingWebSocket extends WebSocket {
      constructor(url: string) {
        super(held() ? url.replace('/api/events', '/api/held') : url, { headers: { Cookie: cookie, Origin: base } } as unknown as string[]);
        sockets.push(this);
      }
      override send(data: string) {
        frames.push((JSON.parse(data) as { channel: string }).channel);
        super.send(data);
      }
    }
    const sandbox: HostEnv = {
      location: { protocol: 'http:', host: hostHeader() },
      fetch: async (path, init) => {
        posts.push(decodeURIComponent(path.slice('/api/'.length)));
        const res = await fetch(base + path, { ...init, headers: { ...(init.headers as Record<string, string>), Cookie: cookie } });
        await beforeAnswer?.();
        return res;
      },
      WebSocket: CountingWebSocket,
      // Reconnect timers stop with the test, so no client outlives it.
      setTimeout: (f, ms) => (alive ? setTimeout(f, ms) : undefined),
      ...(firstBootstrap ? { firstBootstrap } : {}),
    };
    const pos = createHostPos(sandbox);
    const stop = () => {
      alive = false;
      for (const s of sockets) s.close();
    };
    return { pos, sockets, frames, posts, stop };
  }

  async function until(cond: () => boolean, what: string, ms = 5_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('calls over the socket once it is open (sales.finalize too), POST before that', async () => {
    const c = boot();
    // The socket is still connecting: the first call goes as POST.
    expect((await c.pos.auth.operators({})).ok).toBe(true);
    expect(c.posts).toEqual(['auth.operators']);
    await until(() => c.sockets[0]?.readyState === 1, 'socket open');

    const look = await c.pos.catalog.lookup({ code: '1001' });
    expect(look).toEqual(await host.core.handle('catalog.lookup', { code: '1001' }));
    const bad = await c.pos.catalog.lookup({ code: '' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    // The POST's answer is followed by one re-read of the status on the socket (see the tests below).
    const calls = () => c.frames.filter((f) => f !== 'status.get');
    expect(calls()).toEqual(['catalog.lookup', 'catalog.lookup']);

    const sale = await c.pos.sales.finalize({ clientId: 'x', items: [], payments: [] });
    expect(sale.ok).toBe(false);
    expect(calls()).toEqual(['catalog.lookup', 'catalog.lookup', 'sales.finalize']);
    expect(c.posts).toEqual(['auth.operators']);
    await until(() => c.frames.includes('status.get'), 'status re-read');
    expect(c.frames.filter((f) => f === 'status.get')).toHaveLength(1);
    c.stop();
  });

  // The page's sale went out as POST while the socket was still opening (a reload resending its
  // queue): the note's events were pushed to nobody, and the "Pendente" card must not stay so.
  for (const order of ['the answer before the socket opens', 'the socket open before the answer'] as const) {
    it(`re-reads what an answer over HTTP changed once the socket is open (${order})`, async () => {
      let hold = true;
      const openFirst = async () => {
        hold = false;
        await until(() => c.sockets.some((s) => s.readyState === 1), 'socket open');
      };
      const c = boot({ held: () => hold, ...(order === 'the socket open before the answer' ? { beforeAnswer: openFirst } : {}) });
      const statuses: StatusView[] = [];
      let resumed = 0;
      c.pos.on('status.changed', (s) => statuses.push(s));
      c.pos.on('session.resumed', () => resumed++);
      await until(() => c.sockets.length >= 1 && c.sockets[0]!.readyState === 3, 'first upgrade refused');

      // Logged in over POST: the core's status.changed went out while no socket was open.
      expect(await c.pos.auth.login({ operatorId: 'gerente', pin: '9999' })).toMatchObject({ ok: true });
      expect(c.posts).toEqual(['auth.login']);
      expect(statuses).toEqual([]);
      hold = false;

      await until(() => statuses.some((s) => s.operator?.id === 'gerente') && resumed === 1, 'the status re-read on the socket');
      expect(c.frames).toEqual(['status.get']);
      expect(c.posts).toEqual(['auth.login']);
      expect((await c.pos.auth.logout({})).ok).toBe(true);
      c.stop();
    });
  }

  it('re-reads the status once the socket opens after a page served with its bootstrap', async () => {
    // The page's snapshot was taken when the host served it; a login on another tab since then was
    // pushed before this page's socket existed.
    const served = await host.core.handle('session.bootstrap', {});
    expect((await host.core.handle('auth.login', { operatorId: 'gerente', pin: '9999' })).ok).toBe(true);
    const c = boot({ firstBootstrap: served });
    const statuses: StatusView[] = [];
    c.pos.on('status.changed', (s) => statuses.push(s));
    expect(await c.pos.session.bootstrap({})).toBe(served);
    await until(() => statuses.some((s) => s.operator?.id === 'gerente'), 'the status re-read on the socket');
    expect(c.frames).toEqual(['status.get']);
    expect(c.posts).toEqual([]);
    expect((await c.pos.auth.logout({})).ok).toBe(true);
    c.stop();
  });

  it('fails over safely when the socket drops with calls in flight, then reconnects with events', async () => {
    const c = boot();
    await until(() => c.sockets[0]?.readyState === 1, 'socket open');
    const statuses: StatusView[] = [];
    c.pos.on('status.changed', (s) => statuses.push(s));

    // Sent on the socket, which then drops before any answer can arrive.
    const lookup = c.pos.catalog.lookup({ code: '1001' });
    const verify = c.pos.auth.verifyManager({ pin: '9999' });
    const sale = c.pos.sales.finalize({ clientId: 'lost-answer', items: [], payments: [] });
    expect(c.frames).toEqual(['catalog.lookup', 'auth.verifyManager', 'sales.finalize']);
    c.sockets[0]!.close();

    // A lookup is safe to repeat: it is re-sent as POST and gets its real answer.
    expect(await lookup).toEqual(await host.core.handle('catalog.lookup', { code: '1001' }));
    // A PIN check counts attempts: it is not repeated, the cashier is told what happened.
    expect(await verify).toEqual({ ok: false, error: { code: 'transport_lost', message: expect.stringMatching(/caiu antes da resposta.*Confira/) } });
    // A sale is keyed by its clientId (the core makes one sale however often it is sent): re-sent as POST.
    expect(await sale).toEqual(await host.core.handle('sales.finalize', { clientId: 'lost-answer', items: [], payments: [] }));
    expect(c.posts).toEqual(['catalog.lookup', 'sales.finalize']);

    // While reconnecting, calls go as POST.
    expect((await c.pos.status.get({})).ok).toBe(true);
    expect(c.posts).toEqual(['catalog.lookup', 'sales.finalize', 'status.get']);

    // The client comes back on its own (backoff starts at 250 ms) and refreshes the status.
    await until(() => c.sockets.length === 2 && c.sockets[1]!.readyState === 1, 'reconnect');
    await until(() => statuses.length >= 1, 'status refresh after reconnect');
    const framesBefore = c.frames.length;
    expect(await c.pos.auth.login({ operatorId: 'gerente', pin: '9999' })).toMatchObject({ ok: true, value: { role: 'manager' } });
    expect(c.frames.slice(framesBefore)).toEqual(['auth.login']);
    await until(() => statuses.some((s) => s.operator?.id === 'gerente'), 'status.changed event after reconnect');
    expect((await c.pos.auth.logout({})).ok).toBe(true);
    expect(c.frames.slice(framesBefore - 1)).toEqual(['status.get', 'auth.login', 'auth.logout']);
    expect(c.posts).toEqual(['catalog.lookup', 'sales.finalize', 'status.get']);
    c.stop();
  });
});
