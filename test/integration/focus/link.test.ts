// Connection behaviour against the sandbox: TLS with its self-signed CA, one kept-alive connection,
// and 429 handling with the sandbox's own rate limiter.
import { describe, expect, it } from 'vitest';
import { startDelayProxy } from '../../../bench/lib/delay-proxy.ts';
import { FocusClient } from '../../../main/focus/client.ts';
import { nfceBody, newRef } from '../../fixtures/focus/nfce.ts';
import { clientFor, sandbox, useCleanup } from './sandbox-helpers.ts';

const cleanup = useCleanup();

describe('FocusClient link behaviour', () => {
  it('speaks TLS with the sandbox CA; without it the request is never-sent (certificate refused)', async () => {
    const sb = await sandbox({ tls: true });
    expect(sb.url).toMatch(/^https:/);
    const c = clientFor(sb);
    expect(await c.emit(newRef(), nfceBody(sb.cnpj))).toMatchObject({ kind: 'ok', body: { status: 'autorizado' } });

    const untrusting = new FocusClient({ baseUrl: sb.url, token: sb.tokens.homologacao, keepWarmMs: 0 });
    cleanup(() => untrusting.close());
    const o = await untrusting.emit(newRef(), nfceBody(sb.cnpj));
    expect(o.kind).toBe('never-sent');
    if (o.kind === 'never-sent') expect(o.reason).toMatch(/TLS|CERT/);
  });

  it('reuses one connection for warm() and a run of calls (counted by a pass-through proxy)', async () => {
    const sb = await sandbox({ tls: true });
    const proxy = await startDelayProxy({ targetPort: sb.port, delayMs: 0 });
    cleanup(() => proxy.close());
    const c = new FocusClient({ baseUrl: `https://127.0.0.1:${proxy.port}`, token: sb.tokens.homologacao, ca: sb.ca, keepWarmMs: 0 });
    cleanup(() => c.close());
    await c.warm();
    expect(proxy.connections()).toBe(1);
    for (let i = 0; i < 5; i++) {
      const ref = newRef();
      expect((await c.emit(ref, nfceBody(sb.cnpj))).kind).toBe('ok');
      expect((await c.query(ref)).kind).toBe('ok');
    }
    expect(proxy.connections()).toBe(1);
  });

  it('on 429 waits for the window reset and resends; meanwhile other calls wait instead of hammering', async () => {
    const sb = await sandbox({ rateLimit: 2 });
    const c = clientFor(sb);
    await c.warm();
    // Jump the sandbox clock to just before the end of its 60 s window so the wait is short.
    sb.controls.setClockOffset(58_500);
    await c.query(newRef());
    expect(c.rateLimit().remaining).toBe(0);
    const statuses: number[] = [];
    c.onExchange((e) => statuses.push(e.status ?? 0));
    const t0 = performance.now();
    const [emitted, queried] = await Promise.all([c.emit(newRef(), nfceBody(sb.cnpj, {}, sb.controls.now())), c.query(newRef())]);
    const waited = performance.now() - t0;
    expect(emitted).toMatchObject({ kind: 'ok', body: { status: 'autorizado' } });
    expect(queried).toMatchObject({ kind: 'api-error', status: 404 });
    expect(waited).toBeGreaterThanOrEqual(900);
    // The client knew nothing was left, so it did not even try before the reset.
    expect(statuses.filter((s) => s === 429)).toHaveLength(0);
    expect(statuses.filter((s) => s !== 429)).toHaveLength(2);
  });

  it('a 429 from the server (credits spent elsewhere) is waited out and the emission resent', async () => {
    const sb = await sandbox({ rateLimit: 1 });
    const other = clientFor(sb);
    await other.query(newRef()); // another terminal spends the only credit
    sb.controls.setClockOffset(58_500);
    const c = clientFor(sb);
    const statuses: number[] = [];
    c.onExchange((e) => statuses.push(e.status ?? 0));
    const ref = newRef();
    const o = await c.emit(ref, nfceBody(sb.cnpj, {}, sb.controls.now()));
    expect(o).toMatchObject({ kind: 'ok', body: { status: 'autorizado' } });
    expect(statuses[0]).toBe(429);
    expect(statuses.at(-1)).toBe(201);
    expect(sb.notes().filter((n) => n.ref === ref)).toHaveLength(1);
  });
});
