// The HTTP(S) loop: read the request, admin bypass, rate limit, "before" faults (drop, hang, 5xx),
// route, "after commit" faults (hang, reset, malformed), then write with the Rate-Limit headers.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { ADMIN_PREFIX, handleAdmin, type AdminDeps } from './admin.ts';
import { extractToken } from './auth.ts';
import type { SandboxContext } from './context.ts';
import type { Webhooks } from './hooks.ts';
import { apiError, type ApiRequest, type ApiResponse } from './http.ts';
import { route } from './router.ts';

const MAX_BODY_BYTES = 2 * 1024 * 1024;

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function write(res: ServerResponse, r: ApiResponse, headers: Record<string, string>, head: boolean): void {
  if (res.destroyed || res.writableEnded) return;
  let body: string | Uint8Array = '';
  const h: Record<string, string> = { ...headers, ...r.headers };
  if (r.json !== undefined) {
    body = JSON.stringify(r.json);
    h['content-type'] = 'application/json; charset=utf-8';
  } else if (r.text !== undefined) {
    body = r.text;
    h['content-type'] = r.contentType ?? 'text/plain; charset=utf-8';
  } else if (r.bytes !== undefined) {
    body = r.bytes;
    h['content-type'] = r.contentType ?? 'application/octet-stream';
  }
  h['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(r.status, h);
  res.end(head ? undefined : body);
}

export interface ServerDeps {
  ctx: SandboxContext;
  webhooks: Webhooks;
  admin: AdminDeps;
  tls?: { key: string; cert: string };
}

export interface SandboxServer {
  server: Server;
  /** Destroy every connection, including held (hanging) ones. */
  destroyAll: () => void;
}

export function createSandboxServer(deps: ServerDeps): SandboxServer {
  const { ctx, webhooks } = deps;
  const sockets = new Set<Socket>();

  /** Never answer: the socket stays open until the client gives up (or the sandbox closes). */
  const hold = (res: ServerResponse) => {
    res.on('error', () => {});
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const head = method === 'HEAD';
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch (e) {
      if (e instanceof BodyTooLarge) {
        write(res, apiError(413, 'requisicao_invalida', 'Corpo da requisição grande demais (máximo 2 MB).'), { connection: 'close' }, head);
      } else {
        req.socket.destroy();
      }
      return;
    }

    if (path.startsWith(ADMIN_PREFIX)) {
      write(res, await handleAdmin(deps.admin, method, path, raw), {}, head);
      return;
    }

    if (ctx.faults.value.dropConnections) return hold(res);
    const token = extractToken(req.headers, url.searchParams);
    const rl = ctx.limiter.take(token ?? '(sem token)', ctx.rateLimit, ctx.now());
    const rlHeaders = {
      'rate-limit-limit': String(rl.limit),
      'rate-limit-remaining': String(rl.remaining),
      'rate-limit-reset': String(rl.resetSeconds),
    };
    if (!rl.allowed) {
      write(
        res,
        apiError(429, 'limite_requisicoes_excedido', `Limite de ${rl.limit} requisições por minuto excedido. Tente novamente em ${rl.resetSeconds} segundos.`),
        rlHeaders,
        head,
      );
      return;
    }
    if (ctx.faults.take('proxyNotFound', method, path)) {
      // A proxy in front of Focus: HTML, no codigo, no Rate-Limit headers; nothing reached Focus.
      write(
        res,
        {
          status: 404,
          text: '<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>',
          contentType: 'text/html',
        },
        {},
        head,
      );
      return;
    }
    const hang = ctx.faults.take('hang', method, path);
    if (hang && !hang.afterCommit) return hold(res);
    const serverError = ctx.faults.take('serverError', method, path);
    if (serverError) {
      const status = serverError.status ?? 500;
      write(
        res,
        { status, text: `<html><body><h1>${status} Internal Server Error</h1></body></html>`, contentType: 'text/html; charset=utf-8' },
        rlHeaders,
        head,
      );
      return;
    }

    const apiReq: ApiRequest = { method, path, query: url.searchParams, headers: req.headers, rawBody: raw };
    let response: ApiResponse;
    try {
      response = await route(ctx, webhooks, apiReq);
    } catch (e) {
      response = apiError(500, 'erro_interno', `Erro interno do simulador: ${e instanceof Error ? e.message : String(e)}`);
    }

    if (hang) return hold(res);
    if (ctx.faults.take('resetAfterCommit', method, path)) {
      req.socket.destroy();
      return;
    }
    if (ctx.faults.take('conflict', method, path)) {
      // §1.4: a 409 Focus does not document for NFC-e, answered after the request was processed.
      write(res, apiError(409, 'conflito', 'Conflito ao processar a requisição. Tente novamente.'), rlHeaders, head);
      return;
    }
    if (ctx.faults.take('malformed', method, path)) {
      const full = response.json !== undefined ? JSON.stringify(response.json) : '{}';
      const cut = `${full.slice(0, Math.max(1, Math.floor(full.length / 2)))}<html>`;
      write(res, { status: response.status, text: cut, contentType: 'application/json; charset=utf-8' }, rlHeaders, head);
      return;
    }
    write(res, response, rlHeaders, head);
  };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    onRequest(req, res).catch(() => {
      if (!res.headersSent) res.destroy();
    });
  };
  const server = deps.tls ? createHttpsServer({ key: deps.tls.key, cert: deps.tls.cert }, handler) : createHttpServer(handler);
  server.keepAliveTimeout = 30_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  });
  server.on('secureConnection', (s: Socket) => {
    s.on('error', () => {});
  });
  server.on('clientError', (_err, socket) => {
    socket.destroy();
  });
  return {
    server,
    destroyAll: () => {
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
  };
}
