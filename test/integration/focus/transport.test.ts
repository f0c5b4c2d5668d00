// Transport edges the sandbox cannot produce on demand (a request stuck in the pool queue, a TLS
// handshake that never completes, raw garbage on the wire): tiny loopback servers that record every
// byte they receive, so "never-sent" is checked against what really reached the server.
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FocusClient } from '../../../main/focus/client.ts';
import type { FocusClientOptions } from '../../../main/focus/client.ts';
import type { ExchangeEvent } from '../../../main/focus/types.ts';

const TOKEN = 'tok_SEGREDO_123abc';
const BODY = { cnpj_emitente: '07504505000132', data_emissao: '2026-01-01T10:00:00-03:00', items: [], formas_pagamento: [] };

interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function httpServer(handle: (req: Recorded, res: http.ServerResponse, raw: http.IncomingMessage) => void) {
  const requests: Recorded[] = [];
  let connections = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString(), at: Date.now() };
      requests.push(r);
      handle(r, res, req);
    });
  });
  server.on('connection', () => connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, connections: () => connections };
}

/** A TCP server that accepts and records raw bytes; `reply` decides what (if anything) to write back. */
async function rawServer(reply: (socket: net.Socket, received: string) => void) {
  const received: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let buf = '';
    socket.on('data', (d) => {
      buf += d.toString('latin1');
      received.push(d.toString('latin1'));
      reply(socket, buf);
    });
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as AddressInfo).port, received };
}

function client(baseUrl: string, extra: Partial<FocusClientOptions> = {}) {
  const c = new FocusClient({ baseUrl, token: TOKEN, keepWarmMs: 0, ...extra });
  cleanups.push(() => c.close());
  return c;
}

function expectNoToken(value: unknown) {
  const text = JSON.stringify(value);
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain(Buffer.from(`${TOKEN}:`).toString('base64'));
}

describe('FocusClient transport classification', () => {
  it('connection refused is never-sent', async () => {
    const probe = net.createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));

    const o = await client(`http://127.0.0.1:${port}`).emit('ref_1', BODY);
    expect(o.kind).toBe('never-sent');
    if (o.kind === 'never-sent') expect(o.reason).toContain('ECONNREFUSED');
    expectNoToken(o);
  });

  it('a TLS handshake that never completes is a connect timeout: never-sent, no HTTP byte left', async () => {
    const srv = await rawServer(() => {});
    const o = await client(`https://127.0.0.1:${srv.port}`, { connectTimeoutMs: 300 }).emit('ref_1', BODY);
    expect(o.kind).toBe('never-sent');
    if (o.kind === 'never-sent') expect(o.reason).toContain('UND_ERR_CONNECT_TIMEOUT');
    expect(srv.received.join('')).not.toContain('POST');
  });

  it('a request still queued behind a busy connection when the deadline hits is never-sent (and never arrives)', async () => {
    const srv = await httpServer(() => {}); // never answers
    const c = client(srv.url, { connections: 1 });
    const first = c.emit('ref_a', BODY, { deadlineMs: 800 });
    await new Promise((r) => setTimeout(r, 100));
    const second = await c.emit('ref_b', BODY, { deadlineMs: 200 });
    expect(second.kind).toBe('never-sent');
    const firstOutcome = await first;
    expect(firstOutcome).toMatchObject({ kind: 'unknown-outcome', reason: 'timeout' });
    await new Promise((r) => setTimeout(r, 100));
    expect(srv.requests.map((r) => r.url)).toEqual(['/v2/nfce?ref=ref_a']);
  });

  it('a hang after the request arrived is unknown-outcome (timeout) at the deadline', async () => {
    const srv = await httpServer(() => {});
    const started = Date.now();
    const o = await client(srv.url).emit('ref_h', BODY, { deadlineMs: 300 });
    expect(o).toMatchObject({ kind: 'unknown-outcome', reason: 'timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(srv.requests).toHaveLength(1);
    expectNoToken(o);
  });

  it('headersTimeout after write is unknown-outcome (timeout)', async () => {
    const srv = await httpServer(() => {});
    const o = await client(srv.url, { headersTimeoutMs: 200 }).emit('ref_h', BODY);
    expect(o).toMatchObject({ kind: 'unknown-outcome', reason: 'timeout' });
    if (o.kind === 'unknown-outcome') expect(o.detail).toContain('UND_ERR_HEADERS_TIMEOUT');
  });

  it('a socket reset after the request is unknown-outcome for POST and is never resent', async () => {
    const srv = await httpServer((_r, _res, raw) => raw.socket.destroy());
    const o = await client(srv.url).emit('ref_r', BODY);
    expect(o).toMatchObject({ kind: 'unknown-outcome', reason: 'reset' });
    expect(srv.requests).toHaveLength(1);
  });

  it('a GET is resent once after a reset (no side effect), then reports the unknown outcome', async () => {
    const srv = await httpServer((_r, _res, raw) => raw.socket.destroy());
    const o = await client(srv.url).query('ref_r');
    expect(o).toMatchObject({ kind: 'unknown-outcome', reason: 'reset' });
    expect(srv.requests).toHaveLength(2);
  });

  it('garbage instead of HTTP is unknown-outcome (malformed)', async () => {
    const srv = await rawServer((socket, buf) => {
      if (buf.includes('\r\n\r\n')) socket.end('NOT HTTP AT ALL\r\n\r\n');
    });
    const o = await client(`http://127.0.0.1:${srv.port}`).emit('ref_g', BODY);
    expect(o).toMatchObject({ kind: 'unknown-outcome', reason: 'malformed' });
  });

  it('a caller abort before the write is never-sent; after the write it is unknown-outcome (aborted)', async () => {
    const srv = await httpServer(() => {});
    const c = client(srv.url);
    const pre = new AbortController();
    pre.abort();
    expect((await c.emit('ref_x', BODY, { signal: pre.signal })).kind).toBe('never-sent');

    const post = new AbortController();
    const pending = c.emit('ref_y', BODY, { signal: post.signal });
    // Abort once the server has the request: the write happened, so the outcome is unknown.
    await vi.waitFor(() => expect(srv.requests).toHaveLength(1), { timeout: 10_000, interval: 5 });
    post.abort();
    expect(await pending).toMatchObject({ kind: 'unknown-outcome', reason: 'aborted' });
    expect(srv.requests.map((r) => r.url)).toEqual(['/v2/nfce?ref=ref_y']);
  });

  it('sends Basic auth with the token, JSON headers, and the DELETE body for cancel', async () => {
    const srv = await httpServer((_r, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"cancelado","status_sefaz":"135"}');
    });
    const o = await client(srv.url).cancel('ref_c', '  Cliente desistiu da compra  ');
    expect(o).toMatchObject({ kind: 'ok', status: 200, body: { status: 'cancelado' } });
    const [req] = srv.requests;
    expect(req?.method).toBe('DELETE');
    expect(req?.url).toBe('/v2/nfce/ref_c');
    expect(JSON.parse(req?.body ?? '')).toEqual({ justificativa: 'Cliente desistiu da compra' });
    expect(req?.headers.authorization).toBe(`Basic ${Buffer.from(`${TOKEN}:`).toString('base64')}`);
    expect(req?.headers['content-type']).toMatch(/^application\/json/);
    expect(req?.url).not.toContain(TOKEN);
  });

  it('refuses a short justificativa locally, in pt-BR, without sending anything', async () => {
    const srv = await httpServer((_r, res) => res.end());
    const o = await client(srv.url).cancel('ref_c', 'curta');
    expect(o).toMatchObject({ kind: 'api-error', status: 0 });
    if (o.kind === 'api-error') expect(o.error.mensagem).toMatch(/justificativa deve ter entre 15 e 255/);
    expect(srv.requests).toHaveLength(0);
  });

  it('keeps one connection alive across warm() and consecutive calls', async () => {
    const srv = await httpServer((r, res) => {
      res.writeHead(r.url.includes('__warm__') ? 404 : 200, { 'content-type': 'application/json' });
      res.end(r.url.includes('__warm__') ? '' : '{"status":"autorizado"}');
    });
    const c = client(srv.url);
    await c.warm();
    expect(srv.connections()).toBe(1);
    for (let i = 0; i < 5; i++) expect((await c.query(`ref_${i}`)).kind).toBe('ok');
    expect(srv.connections()).toBe(1);
    expect(srv.requests).toHaveLength(6);
  });

  it('keepWarm sends a cheap request while idle, and stops on close()', async () => {
    const srv = await httpServer((_r, res) => res.writeHead(404).end());
    const c = new FocusClient({ baseUrl: srv.url, token: TOKEN, keepWarmMs: 80 });
    const warmed = () => srv.requests.filter((r) => r.url === '/v2/nfce/__warm__').length;
    await vi.waitFor(() => expect(warmed()).toBeGreaterThanOrEqual(2), { timeout: 10_000, interval: 10 });
    await c.close();
    const after = srv.requests.length;
    // Nothing more after close(): a few keep-warm periods go by in silence.
    await new Promise((r) => setTimeout(r, 200));
    expect(srv.requests.length).toBe(after);
    expect(srv.connections()).toBe(1);
  });

  it('on 429 waits for the reset and resends; other calls wait behind the same gate', async () => {
    let refused = false;
    const srv = await httpServer((_r, res) => {
      if (!refused) {
        refused = true;
        res.writeHead(429, { 'rate-limit-limit': '100', 'rate-limit-remaining': '0', 'rate-limit-reset': '0.4' });
        res.end('{"codigo":"limite_requisicoes_excedido","mensagem":"Limite"}');
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json', 'rate-limit-limit': '100', 'rate-limit-remaining': '99', 'rate-limit-reset': '60' });
      res.end('{"status":"autorizado"}');
    });
    const c = client(srv.url);
    const events: ExchangeEvent[] = [];
    c.onExchange((e) => events.push(e));
    const first = c.emit('ref_1', BODY);
    // The second call starts once the first got its 429 (under load, a fixed pause let it race the first).
    await vi.waitFor(() => expect(events).toHaveLength(1), { timeout: 10_000, interval: 5 });
    const second = c.query('ref_2');
    const [a, b] = await Promise.all([first, second]);
    expect(a).toMatchObject({ kind: 'ok', status: 201 });
    expect(b).toMatchObject({ kind: 'ok' });
    const [r429, ...rest] = srv.requests;
    expect(rest).toHaveLength(2);
    for (const r of rest) expect(r.at - (r429?.at ?? 0)).toBeGreaterThanOrEqual(350);
    expect(c.rateLimit()).toMatchObject({ limit: 100, remaining: 99 });
    expect(events.map((e) => e.status)).toEqual([429, 201, 201]);
  });

  it('gives the 429 back when the reset is beyond the call deadline', async () => {
    const srv = await httpServer((_r, res) => {
      res.writeHead(429, { 'rate-limit-limit': '100', 'rate-limit-remaining': '0', 'rate-limit-reset': '30' });
      res.end('{"codigo":"limite_requisicoes_excedido","mensagem":"Limite"}');
    });
    const c = client(srv.url);
    const o = await c.emit('ref_1', BODY, { deadlineMs: 1_000 });
    expect(o).toMatchObject({ kind: 'api-error', status: 429, error: { codigo: 'limite_requisicoes_excedido' } });
    // A call made while the gate is closed does not hit the server at all.
    const q = await c.query('ref_1', { deadlineMs: 500 });
    expect(q.kind).toBe('never-sent');
    expect(srv.requests).toHaveLength(1);
  });

  it('waits for a 429 on the injected sleep, and stays bounded when the injected clock stands still', async () => {
    const srv = await httpServer((_r, res) => {
      res.writeHead(429, { 'rate-limit-limit': '100', 'rate-limit-remaining': '0', 'rate-limit-reset': '5' });
      res.end('{"codigo":"limite_requisicoes_excedido","mensagem":"Limite"}');
    });
    const sleeps: number[] = [];
    const c = client(srv.url, { clock: () => 1_000_000, sleep: async (ms) => void sleeps.push(ms) });
    const o = await c.emit('ref_1', BODY);
    expect(o).toMatchObject({ kind: 'api-error', status: 429 });
    expect(sleeps.length).toBeGreaterThan(0);
    expect(sleeps.every((ms) => ms === 5_000)).toBe(true);
    expect(srv.requests.length).toBeLessThanOrEqual(26);
  });

  it('downloads host-relative paths with auth, foreign absolute URLs without the token', async () => {
    const api = await httpServer((_r, res) => res.writeHead(200, { 'content-type': 'text/xml' }).end('<nfeProc/>'));
    const store = await httpServer((_r, res) => res.writeHead(200).end('<html>danfe</html>'));
    const c = client(`${api.url}/`);
    const rel = await c.download('/arquivos_development/07504505000132/202601/XMLs/123-nfe.xml');
    expect(rel.kind).toBe('ok');
    if (rel.kind === 'ok') expect(Buffer.from(rel.body).toString()).toBe('<nfeProc/>');
    expect(api.requests[0]?.headers.authorization).toMatch(/^Basic /);

    const abs = await c.download(`${store.url}/notas/NFe123.html`);
    expect(abs.kind).toBe('ok');
    expect(store.requests[0]?.url).toBe('/notas/NFe123.html');
    expect(store.requests[0]?.headers.authorization).toBeUndefined();

    expect((await c.download('javascript:alert(1)')).kind).toBe('api-error');
  });
});
