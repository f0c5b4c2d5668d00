// SEFAZ down, Focus up: Focus's automatic contingency. The answer (autorizado + contingencia_offline)
// is accepted as a contingency note, followed until contingencia_offline_efetivada, and what Focus
// did with the earlier attempt (tentativa_anterior) is recorded.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { makeContingencyRig, type ContingencyRig } from './rig.ts';

let rig: ContingencyRig | null = null;
let server: Server | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

function tentativas(r: ContingencyRig, saleId: number) {
  return r.journal.audit
    .forSale(saleId)
    .filter((e) => e.details.event === 'efetivada')
    .map((e) => e.details.tentativa_anterior as Record<string, unknown>);
}

describe('automatic contingency (SEFAZ down)', () => {
  it('accepted as contingency, followed with GETs after heal until efetivada; tentativa_anterior recorded (inutilized)', async () => {
    rig = await makeContingencyRig();
    const r = rig;
    r.sandbox.controls.set({ sefazDown: { originalAuthorized: false } });
    const s = await r.finalize(1);
    expect(s.emission.state).toBe('contingency_focus');
    expect(s.emission.contingency).toBe(true);
    expect(s.emission.chave?.[34]).toBe('9');
    expect(r.contingency.counts()).toMatchObject({ contingencyNotes: 1, pendingNotes: 1 });
    expect(r.contingency.list().map((i) => [i.saleId, i.state])).toEqual([[s.saleId, 'contingency_focus']]);

    // Not efetivada while SEFAZ is down, however often we look.
    await r.contingency.runPass({ force: true });
    expect(r.journal.emissions.latestForSale(s.saleId)?.state).toBe('contingency_focus');

    r.sandbox.controls.set({ sefazDown: false });
    await r.sandbox.controls.heal();
    await r.until(() => r.journal.emissions.latestForSale(s.saleId)?.state === 'authorized', 10_000, 'efetivada');
    const row = r.journal.emissions.latestForSale(s.saleId)!;
    expect(row.contingenciaEfetivada).toBe(true);
    expect(row.contingenciaOffline).toBe(true);
    const [t] = tentativas(r, s.saleId);
    expect(t?.status).toBeTruthy();
    expect(t?.numero).toBeTruthy();
    expect(r.contingency.list()).toEqual([]);
    expect(r.exchanges.filter((e) => e.status === 429)).toEqual([]);
  });

  it('the nfce_contingencia webhook triggers the follow-up at once (original authorized → cancelado)', async () => {
    rig = await makeContingencyRig({ contingency: { followIntervalMs: 3_600_000 } });
    const r = rig;
    const got: unknown[] = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const parsed = JSON.parse(body) as unknown;
        got.push(parsed);
        void r.contingency.handleWebhook(parsed).then(() => {
          res.writeHead(200).end('{}');
        });
      });
    });
    await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok));
    const hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/focus/webhook`;
    const created = await fetch(`${r.sandbox.url}/v2/hooks`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${r.sandbox.tokens.homologacao}:`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ cnpj: r.sandbox.cnpj, event: 'nfce_contingencia', url: hookUrl }),
    });
    expect(created.ok).toBe(true);

    r.sandbox.controls.set({ sefazDown: { originalAuthorized: true } });
    const s = await r.finalize(1);
    expect(s.emission.state).toBe('contingency_focus');
    r.sandbox.controls.set({ sefazDown: false });
    await r.sandbox.controls.heal();
    // No periodic GET is due for an hour: only the webhook can settle it this fast.
    const until = Date.now() + 10_000;
    while (Date.now() < until && r.journal.emissions.latestForSale(s.saleId)?.state !== 'authorized') {
      await new Promise((ok) => setTimeout(ok, 25));
    }
    expect(got.length).toBeGreaterThan(0);
    expect(r.journal.emissions.latestForSale(s.saleId)?.state).toBe('authorized');
    expect(tentativas(r, s.saleId)[0]?.status).toBe('cancelado');

    // A forged or unknown delivery costs nothing and changes nothing.
    expect(await r.contingency.handleWebhook({ ref: 'nao_existe_123' })).toEqual({ accepted: false, settled: false });
    expect(await r.contingency.handleWebhook({ hello: 'x' })).toEqual({ accepted: false, settled: false });
  });
});
