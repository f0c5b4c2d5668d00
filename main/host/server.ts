// The browser host's HTTP server, on 127.0.0.1 only: the built renderer (whose bundle defines
// window.pos over this server, renderer/host/pos-client.ts), POST /api/<channel> for the contract,
// and /api/events (WebSocket, the `ws` library) for the core's events and, on the same socket,
// contract calls (rpc.ts), which spare each call Chromium's fetch round trip. Every request and
// every upgrade passes the Host/Origin checks and must carry the per-launch secret (cookie set by
// the first-load URL, or the x-balcao-secret header for non-browser clients).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CHANNELS } from '../../shared/contract.ts';
import { BOOTSTRAP_ELEMENT_ID, EVENTS_PATH } from '../../shared/host-protocol.ts';
import type { Core } from '../core/core.ts';
import { resolveInside } from '../shell/paths.ts';
import { checkOrigin, cookieName, hasSecret, hostCsp, secretMatches } from './guard.ts';
import { HOST_ERRORS, RPC_MAX_BYTES, WS_MAX_PAYLOAD, rpcEndpoint } from './rpc.ts';

const MAX_BODY = RPC_MAX_BYTES;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface HostServerOptions {
  core: Pick<Core, 'handle' | 'events'>;
  rendererDir: string;
  secret: string;
  port?: number;
  log?: (line: string) => void;
}

export interface HostServer {
  server: Server;
  port: number;
  /** A one-time code that opens the app once (default: valid 2 minutes). */
  launchCode(ttlMs?: number): string;
  close(): Promise<void>;
}

export async function startHostServer(opts: HostServerOptions): Promise<HostServer> {
  let port = 0;
  // No compression: frames are small and on loopback; deflate would only cost latency and memory.
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD, perMessageDeflate: false });
  // One-time launch codes: what goes on Chromium's command line and in its history instead of the
  // secret. Each opens the app once, then is gone; an unused one expires.
  const codes = new Map<string, number>();
  const takeCode = (code: string): boolean => {
    const now = Date.now();
    for (const [c, until] of codes) if (until < now) codes.delete(c);
    for (const [c] of codes) {
      if (secretMatches(code, c)) {
        codes.delete(c);
        return true;
      }
    }
    return false;
  };
  const unsubscribe = opts.core.events.subscribe((event, payload) => {
    const text = JSON.stringify({ event, payload });
    for (const ws of wss.clients) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  const server = createServer((req, res) => {
    void route(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Erro interno do Balcão.');
      else res.destroy();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = checkOrigin(req.headers, port);
    if (!origin.ok) return send(res, origin.status, 'text/plain; charset=utf-8', 'Acesso recusado.');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);

    // First load: a one-time ?c=CODE becomes an HttpOnly cookie holding the secret, then a redirect
    // drops it from the address bar. The secret itself never appears in a URL.
    const offered = url.searchParams.get('c');
    if (req.method === 'GET' && offered !== null && url.pathname === '/') {
      if (!takeCode(offered)) return send(res, 403, 'text/html; charset=utf-8', EXPIRED_PAGE);
      res.writeHead(303, {
        Location: '/',
        'Set-Cookie': `${cookieName(port)}=${opts.secret}; HttpOnly; SameSite=Strict; Path=/`,
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
      });
      res.end();
      return;
    }
    if (!hasSecret(req.headers, port, opts.secret)) {
      return send(res, 401, 'text/html; charset=utf-8', UNAUTHORIZED_PAGE);
    }
    if (url.pathname.startsWith('/api/')) return api(req, res, url.pathname.slice(5));
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'Método não permitido.');
    return staticFile(res, url.pathname);
  }

  async function api(req: IncomingMessage, res: ServerResponse, channel: string): Promise<void> {
    if (req.method !== 'POST') return json(res, 405, { ok: false, error: { code: 'method', message: 'Use POST.' } });
    if (!Object.hasOwn(CHANNELS, channel)) {
      return json(res, 404, { ok: false, error: HOST_ERRORS.unknownChannel });
    }
    const type = String(req.headers['content-type'] ?? '');
    if (!type.toLowerCase().startsWith('application/json')) {
      return json(res, 415, { ok: false, error: { code: 'content_type', message: 'Pedido inválido: envie JSON.' } });
    }
    let body: unknown;
    try {
      const text = await readBody(req);
      body = text.trim() === '' ? {} : JSON.parse(text);
    } catch (e) {
      const tooBig = e instanceof Error && e.message === 'too-big';
      return json(res, tooBig ? 413 : 400, {
        ok: false,
        error: tooBig ? HOST_ERRORS.tooBig : HOST_ERRORS.invalidJson,
      });
    }
    const result = await opts.core.handle(channel, body, { via: 'http' });
    json(res, 200, result);
  }

  async function staticFile(res: ServerResponse, pathname: string): Promise<void> {
    const file = resolveInside(opts.rendererDir, pathname);
    if (!file) return send(res, 404, 'text/plain; charset=utf-8', 'Não encontrado.');
    let data: Buffer;
    let path = file;
    try {
      data = await readFile(file);
    } catch {
      // Browsers ask for it on their own; answering 204 keeps the console clean.
      if (pathname === '/favicon.ico') {
        res.writeHead(204, { 'Cache-Control': 'max-age=86400' });
        res.end();
        return;
      }
      if (extname(pathname) !== '') return send(res, 404, 'text/plain; charset=utf-8', 'Não encontrado.');
      path = join(opts.rendererDir, 'index.html');
      try {
        data = await readFile(path);
      } catch {
        return send(res, 503, 'text/html; charset=utf-8', NOT_BUILT_PAGE);
      }
    }
    if (path === join(opts.rendererDir, 'index.html')) return send(res, 200, TYPES['.html']!, await withBootstrap(data.toString('utf8')));
    send(res, 200, TYPES[extname(path)] ?? 'application/octet-stream', data);
  }

  /**
   * The page arrives with the answer to its first session.bootstrap (renderer/host/pos-client.ts
   * takes it instead of asking): that round trip sat between the scripts' evaluation and the
   * checkout's first render on every cold load. It is the same answer the page would get a few
   * milliseconds later over POST, for a request that already carries the secret. A data block is
   * never executed (the CSP's script-src does not apply to it); `<` is escaped so no text in it can
   * close the element.
   */
  async function withBootstrap(html: string): Promise<string> {
    const at = html.indexOf('</head>');
    if (at < 0) return html;
    const answer = await opts.core.handle('session.bootstrap', {}, { via: 'http' });
    const block = `<script type="application/json" id="${BOOTSTRAP_ELEMENT_ID}">${JSON.stringify(answer).replace(/</g, '\\u003c')}</script>`;
    return html.slice(0, at) + block + html.slice(at);
  }

  function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Security-Policy': hostCsp(port),
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    });
    res.end(body);
  }

  function json(res: ServerResponse, status: number, value: unknown): void {
    send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const origin = checkOrigin(req.headers, port);
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (!origin.ok || url.pathname !== EVENTS_PATH) {
      socket.end(`HTTP/1.1 ${origin.ok ? 404 : 403} ${origin.ok ? 'Not Found' : 'Forbidden'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    if (!hasSecret(req.headers, port, opts.secret)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    // ws turns Nagle off on the socket (small frames both ways) and reads bytes pipelined behind the handshake.
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const onRpc = rpcEndpoint({ sendText: (text) => ws.readyState === ws.OPEN && ws.send(text) }, (channel, input) =>
        opts.core.handle(channel, input, { via: 'http' }),
      );
      ws.on('message', (data, isBinary) => onRpc({ binary: isBinary, data: toBuffer(data) }));
      ws.on('error', () => ws.terminate());
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Loopback only: another machine on the shop's network cannot reach the checkout.
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    server,
    port,
    launchCode(ttlMs = 120_000) {
      const code = randomBytes(24).toString('hex');
      codes.set(code, Date.now() + ttlMs);
      return code;
    },
    async close() {
      unsubscribe();
      // "Going away": the page reconnects to the next host. Sockets that do not answer the close
      // handshake at once are cut, so closing never waits on a client.
      for (const ws of wss.clients) ws.close(1001);
      const cut = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate();
      }, 500);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      clearTimeout(cut);
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        // Stop keeping it, but drain it so the client still reads our 413 instead of a reset.
        req.off('data', onData);
        req.resume();
        reject(new Error('too-big'));
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** ws hands a text or binary message as one Buffer, or as fragments / an ArrayBuffer on request. */
function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

const UNAUTHORIZED_PAGE = `<!doctype html><html lang="pt-BR"><meta charset="utf-8"><title>Balcão</title>
<body style="font-family:sans-serif;padding:2rem"><h1>Acesso não autorizado</h1>
<p>Abra o Balcão pelo endereço mostrado quando ele foi iniciado (npm start ou npm run host).</p></body></html>`;

const EXPIRED_PAGE = `<!doctype html><html lang="pt-BR"><meta charset="utf-8"><title>Balcão</title>
<body style="font-family:sans-serif;padding:2rem"><h1>Endereço já usado ou vencido</h1>
<p>Cada endereço de abertura do Balcão vale uma vez. Reinicie o Balcão (npm start) para receber um novo.</p></body></html>`;

const NOT_BUILT_PAGE = `<!doctype html><html lang="pt-BR"><meta charset="utf-8"><title>Balcão</title>
<body style="font-family:sans-serif;padding:2rem"><h1>Interface não encontrada</h1>
<p>Rode <code>npm run build:renderer</code> e abra o Balcão de novo.</p></body></html>`;
