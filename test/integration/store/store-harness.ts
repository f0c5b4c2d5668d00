// A store on a throwaway PostgreSQL database, a fake clock the test moves, an admin token, and a
// tiny JSON client speaking the protocol: what every store integration test starts from.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { STORE_PROTOCOL_VERSION, STORE_ROUTES } from '../../../shared/store/protocol.ts';
import type { PairResponse, SaleEventPayload } from '../../../shared/store/protocol.ts';
import { createAdminToken } from '../../../store/auth.ts';
import { StoreServer, type StoreOptions } from '../../../store/server.ts';
import type { PgCluster } from '../../fixtures/pg-cluster.ts';
import { sharedPgCluster } from '../../fixtures/pg-shared.ts';

export interface Reply {
  status: number;
  body: any;
}

export interface Harness {
  store: StoreServer;
  databaseUrl: string;
  admin: string;
  clock: { ms: number };
  get(path: string, token?: string | null): Promise<Reply>;
  post(path: string, token: string | null, body: Record<string, unknown>): Promise<Reply>;
  pair(name?: string): Promise<PairResponse>;
  close(): Promise<void>;
}

export const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);

export async function startStore(cluster: PgCluster, opts: Partial<StoreOptions> = {}): Promise<Harness> {
  const databaseUrl = await cluster.createDatabase();
  const clock = { ms: T0 };
  const store = await StoreServer.start({ databaseUrl, now: () => clock.ms, log: () => {}, ...opts });
  const admin = await createAdminToken(store.db, () => clock.ms, 'test');
  const call = async (method: string, path: string, token: string | null | undefined, body?: unknown): Promise<Reply> => {
    const headers: Record<string, string> = {};
    if (token) headers['authorization'] = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${store.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, body: await res.json() };
  };
  const h: Harness = {
    store,
    databaseUrl,
    admin,
    clock,
    get: (path, token) => call('GET', path, token),
    post: (path, token, body) => call('POST', path, token, { protocol: STORE_PROTOCOL_VERSION, ...body }),
    async pair(name = 'Caixa') {
      const code = await h.post(STORE_ROUTES.pairingCode, admin, {});
      const r = await h.post(STORE_ROUTES.pair, null, { code: code.body.code, laneName: name });
      if (r.status !== 200) throw new Error(`pairing failed: ${JSON.stringify(r.body)}`);
      return r.body as PairResponse;
    },
    close: () => store.close(),
  };
  return h;
}

/** Stands for what `beforeAll` will have made: every property read goes to it (methods bound). */
function later<T extends object>(get: () => T | undefined, what: string): T {
  return new Proxy({} as T, {
    get(_, key) {
      const target = get();
      if (target === undefined) throw new Error(`${what} is not started yet (use it inside a test)`);
      const v: unknown = Reflect.get(target, key);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/**
 * The run's shared PostgreSQL cluster (test/fixtures/pg-shared.ts; each file makes databases of its
 * own on it) and, unless `store: false`, one store on a fresh database (started in `beforeAll`,
 * stopped in `afterAll`). The returned handles are usable inside tests.
 */
export function useStore(opts: { store?: boolean } = {}): { cluster: PgCluster; h: Harness } {
  let cluster: PgCluster | undefined;
  let h: Harness | undefined;
  beforeAll(async () => {
    cluster = await sharedPgCluster();
    if (opts.store !== false) h = await startStore(cluster);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await cluster?.stop();
  });
  return { cluster: later(() => cluster, 'the PostgreSQL cluster'), h: later(() => h, 'the store') };
}

export interface SaleSpec {
  saleId?: string;
  day?: string;
  totalCents: number;
  /** Defaults to one payment of the total in cash. */
  payments?: { method: string; amountCents: number }[];
  changeCents?: number;
  discountCents?: number;
  operatorId?: string;
  state?: SaleEventPayload['emission']['state'];
  cfop?: string;
}

export function salePayload(s: SaleSpec): SaleEventPayload {
  const discount = s.discountCents ?? 0;
  return {
    saleId: s.saleId ?? randomUUID(),
    day: s.day ?? '2026-11-30',
    atMs: T0,
    operatorId: s.operatorId ?? 'caixa-1',
    sessionId: 1,
    grossCents: s.totalCents + discount,
    discountCents: discount,
    totalCents: s.totalCents,
    changeCents: s.changeCents ?? 0,
    payments: s.payments ?? [{ method: '01', amountCents: s.totalCents + (s.changeCents ?? 0) }],
    items: [{ productId: 'p1', cfop: s.cfop ?? '5102', qtyE4: 10_000, totalCents: s.totalCents }],
    emission: { state: s.state ?? 'authorized', serie: 1, number: 1 },
  };
}

export function event(seq: number, kind: string, payload: object, id: string = randomUUID()) {
  return { id, seq, kind, atMs: T0 + seq, payload };
}
