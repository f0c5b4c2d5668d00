// Pairing and authentication against a real store and PostgreSQL: one-time codes (used twice,
// expired, unknown), credentials checked on every lane route, manager-only routes, a lane manager's
// PIN session, distinct terminal ids and séries under concurrent pairing, and TLS with a pinnable
// fingerprint when the store is given a certificate.
import { connect } from 'node:tls';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { hashPin } from '../../../main/auth/pin-hash.ts';
import { STORE_PROTOCOL_VERSION, STORE_ROUTES } from '../../../shared/store/protocol.ts';
import { StoreServer } from '../../../store/server.ts';
import { loadOrCreateCert } from '../../../store/tls.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useStore } from './store-harness.ts';
import { TEST_PIN_COST } from '../../fixtures/core-rig.ts';

const { cluster, h } = useStore();

describe('pairing', () => {
  it('a code pairs one lane once; the second use, an unknown code and an expired one are refused by code', async () => {
    const code = (await h.post(STORE_ROUTES.pairingCode, h.admin, {})).body.code as string;
    expect(code).toMatch(/^\d{4}-\d{4}$/);
    const first = await h.post(STORE_ROUTES.pair, null, { code, laneName: 'Caixa 1' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      protocol: 1,
      terminalId: expect.stringMatching(/^LJ\d\d$/),
      contingencySerie: expect.stringMatching(/^9\d\d$/),
      certFingerprint256: null,
    });
    expect(first.body.contingencySerie).not.toBe('900');

    const again = await h.post(STORE_ROUTES.pair, null, { code, laneName: 'Caixa 2' });
    expect(again.status).toBe(403);
    expect(again.body.error.code).toBe('pairing_code_used');
    expect(again.body.error.message).toMatch(/já foi usado/);

    const unknown = await h.post(STORE_ROUTES.pair, null, { code: '0000-0000', laneName: 'Caixa 2' });
    expect(unknown.body.error.code).toBe('pairing_code_invalid');

    const late = (await h.post(STORE_ROUTES.pairingCode, h.admin, { ttlMinutes: 1 })).body.code as string;
    h.clock.ms += 61_000;
    const expired = await h.post(STORE_ROUTES.pair, null, { code: late, laneName: 'Caixa 2' });
    expect(expired.body.error.code).toBe('pairing_code_expired');

    const malformed = await h.post(STORE_ROUTES.pair, null, { code: 'abc', laneName: '' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_request');
    expect(malformed.body.error.fields.length).toBeGreaterThan(0);
  });

  it('every lane route wants the lane credential; manager routes refuse a lane; a wrong protocol version is told by code', async () => {
    const lane = await h.pair('Caixa auth');
    const push = { events: [{ id: crypto.randomUUID(), seq: 1, kind: 'audit', atMs: 1, payload: {} }] };
    expect((await h.post(STORE_ROUTES.events, null, push)).status).toBe(401);
    const wrong = await h.post(STORE_ROUTES.events, 'x'.repeat(43), push);
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('unauthorized');
    expect((await h.get(`${STORE_ROUTES.changes}?since=0`, 'y'.repeat(43))).status).toBe(401);
    expect((await h.post(STORE_ROUTES.events, lane.credential, push)).status).toBe(200);

    const asLane = await h.post(STORE_ROUTES.pairingCode, lane.credential, {});
    expect(asLane.status).toBe(403);
    expect(asLane.body.error.code).toBe('forbidden');
    expect((await h.get(STORE_ROUTES.lanes, lane.credential)).status).toBe(403);
    expect((await h.post(STORE_ROUTES.events, h.admin, push)).status).toBe(403);

    const old = await h.post(STORE_ROUTES.events, lane.credential, { ...push, protocol: 2 });
    expect(old.status).toBe(426);
    expect(old.body.error.code).toBe('protocol_mismatch');
  });

  it("a lane's manager opens a session with a store operator's PIN and asks for a pairing code", async () => {
    const lane = await h.pair('Caixa gerente');
    const op = { id: 'gerente', name: 'Gerente', role: 'manager', pinHash: await hashPin('4827', TEST_PIN_COST), active: true };
    const cashier = { id: 'caixa-9', name: 'Caixa 9', role: 'cashier', pinHash: await hashPin('5183', TEST_PIN_COST), active: true };
    expect(
      (
        await h.post(STORE_ROUTES.records, h.admin, {
          upserts: [
            { entity: 'operator', key: op.id, data: op },
            { entity: 'operator', key: cashier.id, data: cashier },
          ],
        })
      ).status,
    ).toBe(200);
    const bad = await h.post(STORE_ROUTES.managerSession, lane.credential, { operatorId: 'gerente', pin: '0000' });
    expect(bad.body.error.code).toBe('manager_pin_invalid');
    const notManager = await h.post(STORE_ROUTES.managerSession, lane.credential, { operatorId: 'caixa-9', pin: '5183' });
    expect(notManager.body.error.code).toBe('manager_pin_invalid');
    const ok = await h.post(STORE_ROUTES.managerSession, lane.credential, { operatorId: 'gerente', pin: '4827' });
    expect(ok.status).toBe(200);
    const code = await h.post(STORE_ROUTES.pairingCode, ok.body.token, {});
    expect(code.status).toBe(200);
    expect(code.body.code).toMatch(/^\d{4}-\d{4}$/);
    // The session is short-lived.
    h.clock.ms += 16 * 60_000;
    expect((await h.post(STORE_ROUTES.pairingCode, ok.body.token, {})).status).toBe(401);
  });

  it("a revoked lane's credential stops working at once and its série is never handed out again", async () => {
    const lane = await h.pair('Caixa roubado');
    const push = { events: [{ id: crypto.randomUUID(), seq: 1, kind: 'audit', atMs: 1, payload: {} }] };
    expect((await h.post(STORE_ROUTES.events, lane.credential, push)).status).toBe(200);
    expect((await h.post(STORE_ROUTES.revokeLane, h.admin, { laneId: lane.laneId })).body.revoked).toBe(true);
    expect((await h.post(STORE_ROUTES.events, lane.credential, push)).status).toBe(401);
    const next = await h.pair('Caixa novo');
    expect(next.contingencySerie).not.toBe(lane.contingencySerie);
    const state = (await h.get(STORE_ROUTES.lanes, h.admin)).body.lanes.find((l: any) => l.laneId === lane.laneId);
    expect(state.revoked).toBe(true);
  });

  it('lanes pairing at the same time never share a terminal id or a contingency série', async () => {
    const codes = await Promise.all(Array.from({ length: 12 }, () => h.post(STORE_ROUTES.pairingCode, h.admin, {})));
    const paired = await Promise.all(codes.map((c, i) => h.post(STORE_ROUTES.pair, null, { code: c.body.code, laneName: `Caixa ${i}` })));
    expect(paired.map((p) => p.status)).toEqual(paired.map(() => 200));
    const lanes = (await h.get(STORE_ROUTES.lanes, h.admin)).body.lanes as { terminalId: string; contingencySerie: string }[];
    expect(new Set(lanes.map((l) => l.contingencySerie)).size).toBe(lanes.length);
    expect(new Set(lanes.map((l) => l.terminalId)).size).toBe(lanes.length);
    expect(lanes.length).toBeGreaterThanOrEqual(12);
  });
});

describe('TLS', () => {
  it('serves HTTPS with the given certificate and hands its fingerprint over at pairing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'balcao-store-tls-'));
    const tls = loadOrCreateCert(dir, ['127.0.0.1']);
    expect(loadOrCreateCert(dir, ['127.0.0.1']).cert).toBe(tls.cert);
    const store = await StoreServer.start({ databaseUrl: await cluster.createDatabase(), tls, log: () => {} });
    const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });
    try {
      expect(store.url).toMatch(/^https:/);
      const port = Number(new URL(store.url).port);
      const seen = await new Promise<string>((resolve, reject) => {
        const s = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
          resolve(s.getPeerCertificate().fingerprint256.replaceAll(':', '').toLowerCase());
          s.end();
        });
        s.on('error', reject);
      });
      expect(seen).toBe(store.fingerprint);
      const { createPairingCode } = await import('../../../store/pairing.ts');
      const code = await createPairingCode(store.db, Date.now);
      const res = await fetch(`${store.url}${STORE_ROUTES.pair}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ protocol: STORE_PROTOCOL_VERSION, code: code.code, laneName: 'Caixa TLS' }),
        dispatcher,
      } as RequestInit);
      expect(res.status).toBe(200);
      expect((await res.json()).certFingerprint256).toBe(seen);
    } finally {
      await dispatcher.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to listen beyond loopback without TLS', async () => {
    await expect(StoreServer.start({ databaseUrl: cluster.url, host: '0.0.0.0', log: () => {} })).rejects.toThrow(/TLS/);
  });
});
