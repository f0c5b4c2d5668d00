import { afterEach, describe, expect, it } from 'vitest';
import { PixClient } from '../../../main/pix/client.ts';
import { createTestPki } from '../../../main/psp-sandbox/pki.ts';
import { startPspSandbox, type PspSandbox } from '../../../main/psp-sandbox/index.ts';

let psp: PspSandbox | null = null;
const clients: PixClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await psp?.close();
  psp = null;
});

const TXID = 'BLC00000000000000000000000000000001';

async function setup(timeoutMs = 3_000) {
  psp = await startPspSandbox();
  const creds = psp.register();
  const make = (over: Partial<{ clientSecret: string; cert: string; key: string }> = {}) => {
    const c = new PixClient(
      { baseUrl: psp!.url, clientId: creds.clientId, clientSecret: creds.clientSecret, cert: creds.cert, key: creds.key, ca: psp!.ca, ...over },
      { timeoutMs },
    );
    clients.push(c);
    return c;
  };
  return { psp, creds, make };
}

describe('PixClient against the PSP simulator (mutual TLS, OAuth2)', () => {
  it('creates, reads, and sees a charge paid; one token serves many calls', async () => {
    const { psp, make } = await setup();
    const client = make();
    const created = await client.createCharge(TXID, { amountCents: 1990, key: 'pix@loja.com.br', expirySeconds: 120 });
    expect(created).toMatchObject({ kind: 'ok', value: { txid: TXID, status: 'ATIVA', valor: { original: '19.90' } } });
    expect(psp.pay(TXID).ok).toBe(true);
    const got = await client.getCharge(TXID);
    expect(got.kind).toBe('ok');
    if (got.kind === 'ok') {
      expect(got.value?.status).toBe('CONCLUIDA');
      expect(got.value?.pix?.[0]?.endToEndId).toMatch(/^E[0-9A-Za-z]{31}$/);
    }
    expect(psp.state.counters.token).toBe(1);
    expect(await client.getCharge('BLC00000000000000000000000000000404')).toEqual({ kind: 'ok', value: null });
  });

  it('names wrong credentials, a certificate for another client, and an expired certificate (nothing sent)', async () => {
    const { psp, creds, make } = await setup();
    expect(await make({ clientSecret: 'errado' }).getCharge(TXID)).toMatchObject({ kind: 'failed', code: 'pix_auth' });
    const other = psp.register();
    expect(await make({ cert: other.cert, key: other.key }).getCharge(TXID)).toMatchObject({ kind: 'failed', code: 'pix_auth' });
    const expired = psp.pki.issueClient(creds.clientId, { notBefore: Date.now() - 10 * 86_400_000, notAfter: Date.now() - 86_400_000 });
    const before = psp.state.counters.token;
    const r = await make({ cert: expired.cert, key: expired.key }).createCharge(TXID, { amountCents: 100, key: 'k', expirySeconds: 60 });
    expect(r).toMatchObject({ kind: 'failed', code: 'pix_client_cert_expired', sent: false });
    expect(psp.state.counters.token).toBe(before);
    expect(psp.state.cobs.size).toBe(0);
  });

  it('never gets past the handshake with a certificate from another CA', async () => {
    const { creds, make } = await setup();
    const foreign = createTestPki().issueClient(creds.clientId);
    const r = await make({ cert: foreign.cert, key: foreign.key }).getCharge(TXID);
    expect(r.kind).not.toBe('ok');
  });

  it('reads 5xx as unavailable, garbage as unknown, a hang as a timeout', async () => {
    // The client's usual deadline: a shorter one made its first, normal call (token + charge over mTLS)
    // time out on a loaded machine. The hang costs that deadline in waiting, not CPU.
    const { psp, make } = await setup();
    const client = make();
    expect((await client.getCharge(TXID)).kind).toBe('ok'); // token in hand
    psp.setFaults({ fail5xx: 1 });
    expect(await client.getCharge(TXID)).toMatchObject({ kind: 'failed', code: 'pix_unavailable', status: 503 });
    psp.setFaults({ garbage: 1 });
    expect(await client.createCharge(TXID, { amountCents: 100, key: 'k', expirySeconds: 60 })).toMatchObject({ kind: 'unknown', code: 'pix_malformed' });
    psp.setFaults({ hang: 1 });
    expect(await client.getCharge(TXID)).toMatchObject({ kind: 'unknown', code: 'pix_timeout' });
  });

  it('lists received Pix and refunds one, idempotently on the refund id', async () => {
    const { psp, make } = await setup();
    const client = make();
    await client.createCharge(TXID, { amountCents: 500, key: 'k', expirySeconds: 60 });
    const paid = psp.pay(TXID);
    if (!paid.ok) throw new Error(paid.reason);
    const list = await client.listReceived(new Date(Date.now() - 60_000), new Date(Date.now() + 60_000));
    expect(list.kind === 'ok' && list.value.map((p) => p.txid)).toEqual([TXID]);
    const r1 = await client.refund(paid.pix.endToEndId, 'R1', 500);
    const r2 = await client.refund(paid.pix.endToEndId, 'R1', 500);
    expect(r1).toMatchObject({ kind: 'ok', value: { status: 'DEVOLVIDO', valor: '5.00' } });
    expect(r2.kind === 'ok' && r2.value.rtrId).toBe(r1.kind === 'ok' && r1.value.rtrId);
    expect(paid.pix.devolucoes).toHaveLength(1);
    expect(await client.refund(paid.pix.endToEndId, 'R2', 1)).toMatchObject({ kind: 'failed', code: 'pix_refused' });
  });
});
