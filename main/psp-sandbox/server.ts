// Two listeners on 127.0.0.1: the API, over mutual TLS like a real PSP (a client without a
// certificate signed by the simulator's CA never gets past the handshake), and the controls, on
// plain HTTP guarded by a secret, that tests and demo mode use to pay, fault or move the clock.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { handleApi, type Merchant } from './api.ts';
import type { PemPair } from './pki.ts';
import type { Faults, PixRecord, PspState } from './state.ts';

const MAX_BODY = 256 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string, type: string): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, { 'content-type': type, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

function track(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

export interface PspServers {
  api: Server;
  control: Server;
  destroyAll(): void;
}

export interface ControlDeps {
  state: PspState;
  secret: string;
  /** Pays a charge and notifies the webhook, if any. */
  pay(txid: string, opts: { valor?: string; force?: boolean }): { ok: true; pix: PixRecord } | { ok: false; reason: string };
  payStatic(valor: string, txid: string | null): PixRecord;
}

export function createPspServers(state: PspState, merchant: Merchant, tls: { server: PemPair; ca: string }, control: ControlDeps): PspServers {
  const api = createHttpsServer({ key: tls.server.key, cert: tls.server.cert, ca: tls.ca, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    void (async () => {
      let body: string;
      try {
        body = await readBody(req);
      } catch {
        send(res, 413, '', 'text/plain');
        return;
      }
      const f = state.faults;
      if (f.latencyMs > 0) await new Promise((r) => setTimeout(r, f.latencyMs));
      if (f.hang > 0) {
        f.hang--;
        return; // never answered: the client's deadline must save it
      }
      if (f.fail5xx > 0) {
        f.fail5xx--;
        send(
          res,
          503,
          JSON.stringify({ type: 'https://pix.bcb.gov.br/api/v2/error/ServicoIndisponivel', title: 'Serviço Indisponível', status: 503 }),
          'application/problem+json',
        );
        return;
      }
      if (f.garbage > 0) {
        f.garbage--;
        send(res, 200, '<html>gateway</html>', 'application/json');
        return;
      }
      const cert = (req.socket as TLSSocket).getPeerCertificate();
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const answer = handleApi(state, merchant, {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        certClientId: typeof cert?.subject?.CN === 'string' ? cert.subject.CN : '',
      });
      if (state.faults.dropAfterCommit > 0) {
        state.faults.dropAfterCommit--;
        req.socket.destroy();
        return;
      }
      send(res, answer.status, answer.json === undefined ? '' : JSON.stringify(answer.json), answer.problem ? 'application/problem+json' : 'application/json');
    })();
  });

  const controlServer = createHttpServer((req, res) => {
    void (async () => {
      if (req.headers['x-psp-control'] !== control.secret) {
        send(res, 401, '{"erro":"segredo de controle ausente"}', 'application/json');
        return;
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = await readBody(req).catch(() => '');
      const json = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
      const parts = url.pathname.split('/').filter(Boolean);
      if (parts[0] !== '__psp') return send(res, 404, '{}', 'application/json');
      if (req.method === 'POST' && parts[1] === 'pay' && parts[2]) {
        const r = control.pay(decodeURIComponent(parts[2]), {
          ...(typeof json.valor === 'string' ? { valor: json.valor } : {}),
          ...(json.force === true ? { force: true } : {}),
        });
        return send(res, r.ok ? 200 : 409, JSON.stringify(r), 'application/json');
      }
      if (req.method === 'POST' && parts[1] === 'pay-static') {
        return send(res, 200, JSON.stringify(control.payStatic(String(json.valor), typeof json.txid === 'string' ? json.txid : null)), 'application/json');
      }
      if (req.method === 'POST' && parts[1] === 'faults') {
        state.faults = { ...state.faults, ...(json as Partial<Faults>) };
        return send(res, 200, JSON.stringify(state.faults), 'application/json');
      }
      if (req.method === 'POST' && parts[1] === 'advance') {
        state.advance(Number(json.ms ?? 0));
        return send(res, 200, JSON.stringify({ now: state.now() }), 'application/json');
      }
      if (req.method === 'GET' && parts[1] === 'state') {
        return send(res, 200, JSON.stringify({ cobs: [...state.cobs.values()], pix: state.pix, counters: state.counters }), 'application/json');
      }
      return send(res, 404, '{}', 'application/json');
    })().catch(() => send(res, 500, '{}', 'application/json'));
  });

  const apiSockets = track(api);
  const controlSockets = track(controlServer);
  return {
    api,
    control: controlServer,
    destroyAll: () => {
      for (const s of [...apiSockets, ...controlSockets]) s.destroy();
    },
  };
}
