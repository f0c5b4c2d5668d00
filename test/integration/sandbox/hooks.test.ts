// /v2/hooks CRUD and delivery retries (§7.1, §8 item 32).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../main/sandbox/index.ts';
import { call, emit, note, sleep } from './helpers.ts';

let sb: Sandbox;
let receiver: Server;
let hookUrl: string;
let answers: number[];
let hits: string[];

beforeEach(async () => {
  sb = await startSandbox({ webhookRetryDelaysMs: [30, 30] });
  answers = [];
  hits = [];
  receiver = createServer((req, res) => {
    let b = '';
    req.on('data', (c) => (b += c));
    req.on('end', () => {
      hits.push(b);
      res.statusCode = answers.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterEach(async () => {
  await sb.close();
  await new Promise<void>((r) => receiver.close(() => r()));
});

describe('hooks CRUD', () => {
  it('creates, lists, reads and deletes hooks, validating event, URL and the per-event limit', async () => {
    expect((await call(sb, 'POST', '/v2/hooks', { body: { event: 'nfce_xyz', url: hookUrl } })).status).toBe(400);
    expect((await call(sb, 'POST', '/v2/hooks', { body: { event: 'inutilizacao', url: 'ftp://x' } })).status).toBe(400);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await call(sb, 'POST', '/v2/hooks', { body: { event: 'inutilizacao', url: `${hookUrl}/${i}` } });
      expect(r.status).toBe(200);
      ids.push(r.json.id);
    }
    const sixth = await call(sb, 'POST', '/v2/hooks', { body: { event: 'inutilizacao', url: hookUrl } });
    expect(sixth.status).toBe(400);
    const one = await call(sb, 'GET', `/v2/hooks/${ids[0]}`);
    expect(one.json).toMatchObject({ id: ids[0], event: 'inutilizacao', request_count: 0 });
    const del = await call(sb, 'DELETE', `/v2/hooks/${ids[0]}`);
    expect(del.json).toMatchObject({ id: ids[0], deleted: true });
    expect((await call(sb, 'GET', `/v2/hooks/${ids[0]}`)).status).toBe(404);
    expect((await call(sb, 'GET', '/v2/hooks')).json).toHaveLength(4);
    // Hooks belong to the token's environment.
    expect((await call(sb, 'GET', '/v2/hooks', { env: 'producao' })).json).toEqual([]);
  });

  it('retries a failed delivery on the configured schedule', async () => {
    await call(sb, 'POST', '/v2/hooks', { body: { event: 'nfce_contingencia', url: hookUrl } });
    answers = [500, 502];
    sb.controls.set({ sefazDown: true });
    await emit(sb, 'wh_retry', note(sb));
    sb.controls.set({ sefazDown: false });
    await sb.controls.heal();
    for (let i = 0; i < 250 && sb.webhookDeliveries().length < 3; i++) await sleep(20);
    expect(sb.webhookDeliveries().map((d) => [d.attempt, d.status])).toEqual([
      [1, 500],
      [2, 502],
      [3, 200],
    ]);
    expect(hits.map((h) => JSON.parse(h).ref)).toEqual(['wh_retry', 'wh_retry', 'wh_retry']);
  });
});
