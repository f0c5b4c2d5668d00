// The store server: PostgreSQL behind an HTTP(S) API for the lanes (shared/store/protocol.ts).
// Plain HTTP only on loopback; anywhere else it needs TLS (the CLI makes a self-signed certificate
// whose fingerprint lanes pin at pairing).
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import {
  DayQuery,
  HelloResponse,
  ManagerSessionRequest,
  MonthQuery,
  PairRequest,
  PairResponse,
  PairingCodeRequest,
  PullQuery,
  PushRequest,
  ReleaseRequest,
  ReleaseResponse,
  RenewRequest,
  RevokeLaneRequest,
  type RevokeLaneResponse,
  STORE_PROTOCOL_VERSION,
  STORE_ROUTES,
  StoreError,
} from '../shared/store/protocol.ts';
import { type Principal, ManagerSessions, authenticate } from './auth.ts';
import type { Clock } from './clock.ts';
import { CreditLeases, noteLaneSeen } from './credits.ts';
import { migrate } from './db/migrate.ts';
import { ChangeNotifier } from './db/notifier.ts';
import { type Db, createPool } from './db/pool.ts';
import { ingest } from './events.ts';
import { RawJson, checkProtocol, parse, readJson, sendJson, toErrorBody } from './http.ts';
import { laneStates, notePull, revokeLane } from './lanes.ts';
import { createPairingCode, redeemPairingCode } from './pairing.ts';
import { RECORDS_CHANNEL, latestVersion, readChanges, writeRecords } from './records.ts';
import { dayReport, monthReport } from './reports.ts';
import { type TlsMaterial, fingerprint256, isLoopback } from './tls.ts';

export interface StoreOptions {
  databaseUrl: string;
  host?: string;
  port?: number;
  tls?: TlsMaterial | null;
  now?: Clock;
  poolSize?: number;
  /** Focus requests per minute per token (100; tests may lower it). */
  creditLimit?: number;
  /** Where errors that are not the caller's fault are written (never secrets or bodies). */
  log?: (line: string) => void;
}

type Access = 'none' | 'lane' | 'manager';
interface Ctx {
  principal: Principal | null;
  url: URL;
  body: unknown;
  signal: AbortSignal;
}
interface Route {
  access: Access;
  /** Body size limit for POSTs (records carry whole catalogs). */
  limit?: number;
  run(ctx: Ctx): Promise<unknown>;
}

const MB = 1024 * 1024;

function laneOf(p: Principal | null): string {
  if (p?.kind !== 'lane') throw new StoreError('unauthorized');
  return p.laneId;
}

function query<T extends z.ZodType>(schema: T, url: URL): z.infer<T> {
  return parse(schema, Object.fromEntries(url.searchParams));
}

/** The store's id and name, created with the schema. */
async function storeIdentity(db: Db): Promise<{ id: string; name: string }> {
  await db.query(`INSERT INTO store_meta (key, value) VALUES ('store_id', $1), ('store_name', 'Loja') ON CONFLICT DO NOTHING`, [randomUUID()]);
  const rows = (await db.query<{ key: string; value: string }>('SELECT key, value FROM store_meta')).rows;
  const get = (k: string) => rows.find((r) => r.key === k)?.value ?? '';
  return { id: get('store_id'), name: get('store_name') };
}

export class StoreServer {
  readonly url: string;
  readonly fingerprint: string | null;
  readonly db: Db;
  readonly #notifier: ChangeNotifier;
  readonly #close: () => Promise<void>;

  private constructor(url: string, fingerprint: string | null, db: Db, notifier: ChangeNotifier, close: () => Promise<void>) {
    this.url = url;
    this.fingerprint = fingerprint;
    this.db = db;
    this.#notifier = notifier;
    this.#close = close;
  }

  /** Long-polls waiting for a change right now. */
  get waitingPolls(): number {
    return this.#notifier.waiting;
  }

  static async start(opts: StoreOptions): Promise<StoreServer> {
    const host = opts.host ?? '127.0.0.1';
    const tls = opts.tls ?? null;
    if (tls === null && !isLoopback(host)) throw new Error(`the store listens on ${host}: TLS is required beyond loopback`);
    const now = opts.now ?? Date.now;
    const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    const db = createPool(opts.databaseUrl, opts.poolSize ?? 10);
    let notifier: ChangeNotifier | null = null;
    try {
      await migrate(db);
      const identity = await storeIdentity(db);
      notifier = new ChangeNotifier(opts.databaseUrl, RECORDS_CHANNEL, await latestVersion(db));
      await notifier.start();
      const fingerprint = tls === null ? null : fingerprint256(tls.cert);
      const routes = buildRoutes({
        db,
        now,
        notifier,
        identity,
        fingerprint,
        credits: new CreditLeases(db, now, opts.creditLimit),
        sessions: new ManagerSessions(db, now),
      });
      const handler = (req: IncomingMessage, res: ServerResponse) => void handle(routes, db, now, log, req, res);
      const server = tls === null ? createHttpServer(handler) : createHttpsServer({ key: tls.key, cert: tls.cert }, handler);
      server.keepAliveTimeout = 65_000;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(opts.port ?? 0, host, () => resolve());
      });
      const port = (server.address() as AddressInfo).port;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      const n = notifier;
      return new StoreServer(`${tls === null ? 'http' : 'https'}://${shownHost}:${port}`, fingerprint, db, n, async () => {
        await n.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await db.end();
      });
    } catch (e) {
      await notifier?.close();
      await db.end().catch(() => {});
      throw e;
    }
  }

  close(): Promise<void> {
    return this.#close();
  }
}

interface Deps {
  db: Db;
  now: Clock;
  notifier: ChangeNotifier;
  identity: { id: string; name: string };
  fingerprint: string | null;
  credits: CreditLeases;
  sessions: ManagerSessions;
}

function buildRoutes(d: Deps): Map<string, Route> {
  const v = STORE_PROTOCOL_VERSION;
  const r = new Map<string, Route>();
  r.set(`GET ${STORE_ROUTES.hello}`, {
    access: 'none',
    run: async (): Promise<HelloResponse> => ({ protocol: v, storeId: d.identity.id, storeName: d.identity.name, serverTimeMs: d.now() }),
  });
  r.set(`POST ${STORE_ROUTES.pair}`, {
    access: 'none',
    run: async ({ body }): Promise<PairResponse> => {
      const a = await redeemPairingCode(d.db, d.now, parse(PairRequest, body));
      return { protocol: v, storeId: d.identity.id, ...a, certFingerprint256: d.fingerprint, serverTimeMs: d.now() };
    },
  });
  r.set(`POST ${STORE_ROUTES.events}`, {
    access: 'lane',
    limit: 16 * MB,
    run: ({ principal, body }) => ingest(d.db, d.now, laneOf(principal), parse(PushRequest, body)),
  });
  r.set(`GET ${STORE_ROUTES.changes}`, {
    access: 'lane',
    run: async ({ principal, url, signal }) => {
      const laneId = laneOf(principal);
      const q = query(PullQuery, url);
      let out = await readChanges(d.db, q.since, q.limit);
      if (out.count === 0 && q.waitMs > 0) {
        await d.notifier.wait(q.since, q.waitMs, signal);
        if (!signal.aborted) out = await readChanges(d.db, q.since, q.limit);
      }
      // Counted after the wait, so a lane paired meanwhile is in it.
      const b = await d.credits.forPull(laneId, q.share);
      await notePull(d.db, laneId, d.now(), out.cursor);
      return new RawJson(out.json(b.lanes, b.reserve));
    },
  });
  r.set(`POST ${STORE_ROUTES.creditsLease}`, { access: 'lane', run: ({ principal, body }) => d.credits.lease(laneOf(principal), body) });
  r.set(`POST ${STORE_ROUTES.creditsRenew}`, { access: 'lane', run: ({ principal, body }) => d.credits.renew(laneOf(principal), parse(RenewRequest, body)) });
  r.set(`POST ${STORE_ROUTES.creditsRelease}`, {
    access: 'lane',
    run: async ({ principal, body }): Promise<ReleaseResponse> => ({
      protocol: v,
      released: await d.credits.release(laneOf(principal), parse(ReleaseRequest, body)),
    }),
  });
  r.set(`POST ${STORE_ROUTES.managerSession}`, {
    access: 'lane',
    run: ({ principal, body }) => {
      const req = parse(ManagerSessionRequest, body);
      return d.sessions.open(laneOf(principal), req.operatorId, req.pin);
    },
  });
  r.set(`POST ${STORE_ROUTES.pairingCode}`, {
    access: 'manager',
    run: ({ body }) => {
      const req = parse(PairingCodeRequest, body);
      return createPairingCode(d.db, d.now, req.ttlMinutes === undefined ? undefined : req.ttlMinutes * 60_000);
    },
  });
  r.set(`POST ${STORE_ROUTES.records}`, {
    access: 'manager',
    limit: 256 * MB,
    run: async ({ body }) => {
      const out = await writeRecords(d.db, d.now, body);
      d.notifier.bump(out.version);
      return out;
    },
  });
  r.set(`GET ${STORE_ROUTES.lanes}`, { access: 'manager', run: () => laneStates(d.db) });
  r.set(`POST ${STORE_ROUTES.revokeLane}`, {
    access: 'manager',
    run: async ({ body }): Promise<RevokeLaneResponse> => ({ protocol: v, revoked: await revokeLane(d.db, parse(RevokeLaneRequest, body).laneId) }),
  });
  r.set(`GET ${STORE_ROUTES.reportDay}`, { access: 'manager', run: ({ url }) => dayReport(d.db, d.now, query(DayQuery, url).day) });
  r.set(`GET ${STORE_ROUTES.reportMonth}`, { access: 'manager', run: ({ url }) => monthReport(d.db, d.now, query(MonthQuery, url).month) });
  return r;
}

async function handle(routes: Map<string, Route>, db: Db, now: Clock, log: (l: string) => void, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  try {
    const url = new URL(req.url ?? '/', 'http://store');
    const route = routes.get(`${req.method} ${url.pathname}`);
    if (route === undefined) throw new StoreError('not_found');
    checkProtocol(req, undefined);
    let principal: Principal | null = null;
    if (route.access !== 'none') {
      principal = await authenticate(db, now, req.headers.authorization);
      if (principal === null) throw new StoreError('unauthorized');
      if (route.access === 'manager' && principal.kind !== 'manager') throw new StoreError('forbidden');
      if (route.access === 'lane' && principal.kind !== 'lane') throw new StoreError('forbidden');
      if (principal.kind === 'lane') await noteLaneSeen(db, principal.laneId, now());
    }
    const body = req.method === 'POST' ? await readJson(req, route.limit ?? MB) : undefined;
    checkProtocol(req, body);
    const out = await route.run({ principal, url, body, signal: abort.signal });
    if (!res.destroyed) sendJson(res, 200, out);
  } catch (err) {
    const { status, body, expected } = toErrorBody(err);
    if (!expected) log(`store: ${req.method} ${req.url?.split('?')[0]}: ${err instanceof Error ? err.message : String(err)}`);
    if (!res.destroyed && !res.headersSent) sendJson(res, status, body);
  }
}
