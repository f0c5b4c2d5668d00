// Sandbox faults → the outcome kinds the emission engine relies on: an answer that may exist but was
// not read must be unknown-outcome (then query() tells the truth); a request that never left must be
// never-sent. The client must not resend a POST by itself.
import net from 'node:net';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { FocusClient } from '../../../main/focus/client.ts';
import { nfceBody, newRef } from '../../fixtures/focus/nfce.ts';
import { clientFor, sandbox, secretForms, useCleanup } from './sandbox-helpers.ts';

const cleanup = useCleanup();
const EMIT = { method: 'POST', pathPrefix: '/v2/nfce' };

describe('FocusClient under sandbox faults', () => {
  it('latency: the call waits for SEFAZ and still succeeds', async () => {
    const sb = await sandbox();
    const c = clientFor(sb);
    await c.warm();
    sb.controls.set({ latencyMs: 300 });
    const t0 = performance.now();
    const o = await c.emit(newRef(), nfceBody(sb.cnpj));
    expect(o).toMatchObject({ kind: 'ok', body: { status: 'autorizado' } });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('hang → unknown-outcome (timeout) at the deadline; a POST is sent exactly once', async () => {
    const sb = await sandbox();
    const c = clientFor(sb);
    sb.controls.set({ hang: { count: 1, match: EMIT, afterCommit: true } });
    const ref = newRef();
    // How late the client gives up past its deadline is a figure of bench:deadlines, not a test threshold.
    const o = await c.emit(ref, nfceBody(sb.cnpj), { deadlineMs: 500 });
    expect(o).toMatchObject({ kind: 'unknown-outcome', reason: 'timeout' });
    const q = await c.query(ref);
    expect(q).toMatchObject({ kind: 'ok', body: { status: 'autorizado' } });
    expect(sb.notes().find((n) => n.ref === ref)?.posts).toBe(1);
  });

  it('reset after commit → unknown-outcome (reset), then query shows the note authorized', async () => {
    const sb = await sandbox();
    const c = clientFor(sb);
    sb.controls.set({ resetAfterCommit: { count: 1, match: EMIT } });
    const ref = newRef();
    const o = await c.emit(ref, nfceBody(sb.cnpj));
    expect(o).toMatchObject({ kind: 'unknown-outcome', reason: 'reset' });
    expect(await c.query(ref)).toMatchObject({ kind: 'ok', body: { status: 'autorizado' } });
    expect(sb.notes().find((n) => n.ref === ref)?.posts).toBe(1);
  });

  it('5xx → unknown-outcome (server-error) for a POST, not resent', async () => {
    const sb = await sandbox();
    const c = clientFor(sb);
    sb.controls.set({ serverError: { count: 1, match: EMIT, status: 503 } });
    const ref = newRef();
    const o = await c.emit(ref, nfceBody(sb.cnpj));
    expect(o).toMatchObject({ kind: 'unknown-outcome', reason: 'server-error', status: 503 });
    // The 500 came before processing: the ref is unknown, so a later POST of the same ref is safe.
    expect(await c.query(ref)).toMatchObject({ kind: 'api-error', status: 404 });
    expect(await c.emit(ref, nfceBody(sb.cnpj))).toMatchObject({ kind: 'ok', body: { status: 'autorizado' } });
  });

  it('malformed body → unknown-outcome (malformed), then query shows the truth', async () => {
    const sb = await sandbox();
    const c = clientFor(sb);
    sb.controls.set({ malformed: { count: 1, match: EMIT } });
    const ref = newRef();
    expect(await c.emit(ref, nfceBody(sb.cnpj))).toMatchObject({ kind: 'unknown-outcome', reason: 'malformed' });
    expect(await c.query(ref)).toMatchObject({ kind: 'ok', body: { status: 'autorizado' } });
  });

  it('dropConnections (black hole) → unknown-outcome at the deadline', async () => {
    const sb = await sandbox();
    const c = clientFor(sb);
    sb.controls.set({ dropConnections: true });
    const o = await c.emit(newRef(), nfceBody(sb.cnpj), { deadlineMs: 400 });
    expect(o).toMatchObject({ kind: 'unknown-outcome', reason: 'timeout' });
    sb.controls.set({ dropConnections: false });
  });

  it('refused port → never-sent; the token never appears in any outcome text', async () => {
    const probe = net.createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
    const c = new FocusClient({ baseUrl: `http://127.0.0.1:${port}`, token, keepWarmMs: 0 });
    cleanup(() => c.close());
    const outcomes = [
      await c.emit(newRef(), nfceBody('45286317000174')),
      await c.query(newRef()),
      await c.cancel(newRef(), 'Justificativa suficientemente longa'),
    ];
    for (const o of outcomes) {
      expect(o.kind).toBe('never-sent');
      for (const s of secretForms(token)) expect(JSON.stringify(o)).not.toContain(s);
    }
  });

  it('token stays out of outcomes for every fault kind', async () => {
    const sb = await sandbox();
    const c = clientFor(sb, { headersTimeoutMs: 300 });
    const seen: unknown[] = [];
    sb.controls.set({ hang: { count: 1, match: EMIT } });
    seen.push(await c.emit(newRef(), nfceBody(sb.cnpj)));
    sb.controls.set({ resetAfterCommit: { count: 1, match: EMIT } });
    seen.push(await c.emit(newRef(), nfceBody(sb.cnpj)));
    sb.controls.set({ malformed: { count: 1, match: EMIT } });
    seen.push(await c.emit(newRef(), nfceBody(sb.cnpj)));
    sb.controls.set({ serverError: { count: 1, match: EMIT } });
    seen.push(await c.emit(newRef(), nfceBody(sb.cnpj)));
    expect(seen.map((o) => (o as { kind: string }).kind)).toEqual(['unknown-outcome', 'unknown-outcome', 'unknown-outcome', 'unknown-outcome']);
    for (const s of secretForms(sb.tokens.homologacao)) expect(JSON.stringify(seen)).not.toContain(s);
  });
});
