import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseBrCode } from '../../../shared/pix/brcode.ts';
import { PixError } from '../../../main/pix/errors.ts';
import { makePixRig, type PixRig } from './rig.ts';

let rig: PixRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

const CLIENT = 'cli_pix_0001';

describe('PixService: a charge confirmed by the PSP, exactly once', () => {
  it('journals, creates, sees the payment and hands the NFC-e fields over', async () => {
    rig = await makePixRig();
    const view = await rig.service.create(CLIENT, 2590);
    expect(view.state).toBe('active');
    expect(parseBrCode(view.brCode!)).toMatchObject({ dynamic: true });
    expect(rig.events[0]?.state).toBe('creating'); // committed before the PUT left
    // Asking again for the same draft and amount does not create a second charge.
    expect((await rig.service.create(CLIENT, 2590)).txid).toBe(view.txid);
    expect(rig.psp.state.cobs.size).toBe(1);

    expect(() => rig!.service.paymentData(CLIENT, view.txid, 2590)).toThrow(PixError);
    rig.service.start();
    rig.psp.pay(view.txid);
    await vi.waitFor(() => expect(rig!.repo.require(view.txid).state).toBe('paid'));
    const data = rig.service.paymentData(CLIENT, view.txid, 2590);
    expect(data).toEqual({
      method: '17',
      amountCents: 2590,
      integration: '1',
      acquirerCnpj: rig.psp.cnpj,
      authorization: rig.psp.state.cobs.get(view.txid)!.pix[0]!.endToEndId,
    });
    expect(() => rig!.service.paymentData('cli_other_01', view.txid, 2590)).toThrow(PixError);
    expect(() => rig!.service.paymentData(CLIENT, view.txid, 2591)).toThrow(PixError);
    rig.service.markUsed(CLIENT, 42);
    expect(rig.repo.require(view.txid)).toMatchObject({ state: 'used', saleId: 42 });
  });

  it('a confirmed PIX taken off the sale stays money to refund: the sale marks used only the charges it carries', async () => {
    rig = await makePixRig();
    const first = await rig.service.create(CLIENT, 1200);
    rig.psp.pay(first.txid);
    rig.service.start();
    await vi.waitFor(() => expect(rig!.repo.require(first.txid).state).toBe('paid'));
    // The cashier removes that payment line (the panel's "remover"): the charge goes to the manager.
    expect((await rig.service.cancel(first.txid)).state).toBe('orphan');
    // The sale is then paid another way and committed without it.
    rig.service.markUsed(CLIENT, 7, []);
    expect(rig.repo.require(first.txid).state).toBe('orphan');
    expect(rig.service.attention().map((v) => v.txid)).toEqual([first.txid]);
  });

  it('the profile closing while a poll is on the wire never throws out of the poller (the app would die)', async () => {
    rig = await makePixRig();
    await rig.service.create(CLIENT, 990);
    rig.psp.setFaults({ latencyMs: 200 });
    const gets = rig.psp.state.counters.get;
    const failures: unknown[] = [];
    const onRejection = (e: unknown) => failures.push(e);
    process.on('unhandledRejection', onRejection);
    try {
      rig.service.start();
      // A status question reached the PSP and waits for its answer: close the journal under it.
      await vi.waitFor(() => expect(rig!.psp.state.counters.get).toBeGreaterThan(gets));
      rig.service.stop();
      rig.journal.close();
      await rig.client.close(); // lets the in-flight answer arrive and the pass run to its end
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      // A start-up resolution that finds the journal closed ends quietly too.
      await rig.service.resolveThenPoll();
      expect(failures).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  it('removes the charge when the cashier gives up, so it can no longer be paid', async () => {
    rig = await makePixRig();
    const view = await rig.service.create(CLIENT, 1000);
    const after = await rig.service.cancel(view.txid);
    expect(after.state).toBe('removed');
    expect(rig.psp.state.cobs.get(view.txid)?.status).toBe('REMOVIDA_PELO_USUARIO_RECEBEDOR');
    expect(rig.psp.pay(view.txid).ok).toBe(false);
  });

  it('a payment that lands after the cashier gave up is flagged and refunded with one action', async () => {
    rig = await makePixRig();
    const view = await rig.service.create(CLIENT, 1500);
    rig.psp.pay(view.txid); // paid at the PSP while the cashier cancels
    const after = await rig.service.cancel(view.txid);
    expect(after.state).toBe('orphan');
    expect(rig.service.attention().map((v) => v.txid)).toEqual([view.txid]);
    const refunded = await rig.service.refund(view.txid);
    expect(refunded.state).toBe('refunded');
    const pix = rig.psp.state.cobs.get(view.txid)!.pix[0]!;
    expect(pix.devolucoes).toHaveLength(1);
    expect(pix.devolucoes[0]?.valor).toBe('15.00');
    await expect(rig.service.refund(view.txid)).rejects.toMatchObject({ code: 'pix_not_refundable' });
  });

  it('an expired charge is removed at the PSP; paid-after-expiry (a PSP bug) is caught by reconciliation', async () => {
    rig = await makePixRig();
    rig.config.expirySeconds = 60;
    const view = await rig.service.create(CLIENT, 700);
    rig.psp.setFaults({ payAfterExpiry: true });
    rig.psp.state.advance(61_000);
    rig.service.start();
    await vi.waitFor(() => expect(rig!.repo.require(view.txid).state).toBe('removed'));
    expect(rig.repo.require(view.txid).problemCode).toBe('pix_expired');
    // The PSP lets a payment through anyway (forced, as a buggy PSP would).
    rig.psp.state.cobs.get(view.txid)!.status = 'ATIVA';
    rig.psp.pay(view.txid, { force: true });
    const now = rig.psp.state.now();
    const summary = await rig.service.reconcile(new Date(now - 3_600_000), new Date(now + 60_000));
    expect(summary).toMatchObject({ received: 1, matched: 1 });
    expect(rig.repo.require(view.txid).state).toBe('orphan');
  });

  it('a PUT whose answer was lost is resolved by GET after a restart: one charge, not two', async () => {
    rig = await makePixRig({ timeoutMs: 1_000 });
    await rig.client.getCharge('BLC00000000000000000000000000000000'); // token in hand
    rig.psp.setFaults({ dropAfterCommit: 1 });
    const view = await rig.service.create(CLIENT, 1234);
    expect(view.state).toBe('creating');
    expect(view.problem?.code).toBeDefined();
    expect(rig.psp.state.cobs.size).toBe(1); // it did reach the PSP
    await rig.restart();
    await rig.service.resolveAtStart();
    expect(rig.repo.require(view.txid).state).toBe('active');
    expect(rig.psp.state.counters.put).toBe(1);
    expect(rig.psp.state.cobs.size).toBe(1);
  });

  it('a PUT that never reached the PSP is sent after a restart', async () => {
    rig = await makePixRig({ timeoutMs: 300 });
    await rig.client.getCharge('BLC00000000000000000000000000000000');
    rig.psp.setFaults({ hang: 1 });
    const view = await rig.service.create(CLIENT, 999);
    expect(view.state).toBe('creating');
    expect(rig.psp.state.cobs.size).toBe(0);
    // The short deadline made the PUT above give up; the one after the restart must not (on a loaded
    // machine 300 ms is not enough for an answer): the restarted till keeps the usual deadline.
    await rig.restart({ timeoutMs: 3_000 });
    await rig.service.resolveAtStart();
    expect(rig.repo.require(view.txid).state).toBe('active');
    expect(rig.psp.state.cobs.size).toBe(1);
  });

  it('a paid charge of a sale committed before a crash becomes used at start', async () => {
    rig = await makePixRig();
    const view = await rig.service.create(CLIENT, 800);
    rig.psp.pay(view.txid);
    rig.service.start();
    await vi.waitFor(() => expect(rig!.repo.require(view.txid).state).toBe('paid'));
    rig.sales.set(CLIENT, 7);
    await rig.restart();
    await rig.service.resolveAtStart();
    expect(rig.repo.require(view.txid)).toMatchObject({ state: 'used', saleId: 7 });
  });

  it('wrong credentials: a pt-BR refusal, nothing charged, the sale can take another method', async () => {
    rig = await makePixRig();
    rig.psp.state.clients.get(rig.creds.clientId)!.clientSecret = 'trocado';
    await expect(rig.service.create(CLIENT, 500)).rejects.toMatchObject({ code: 'pix_auth', message: expect.stringContaining('credenciais') });
    expect(rig.psp.state.cobs.size).toBe(0);
    expect(rig.repo.forClient(CLIENT)[0]?.state).toBe('failed');
  });

  it('static Pix only when enabled, marked unconfirmed until the statement shows it', async () => {
    rig = await makePixRig();
    expect(() => rig!.service.createStatic(CLIENT, 300)).toThrow(expect.objectContaining({ code: 'pix_static_disabled' }));
    rig.config.staticFallback = true;
    const view = rig.service.createStatic(CLIENT, 300);
    expect(view).toMatchObject({ kind: 'static', unconfirmed: true });
    expect(parseBrCode(view.brCode!)).toMatchObject({ dynamic: false, amountCents: 300, txid: view.txid });
    expect(rig.service.paymentData(CLIENT, view.txid, 300)).toMatchObject({ method: '20', integration: '2', authorization: null });
    rig.psp.payStatic(300, view.txid);
    const now = rig.psp.state.now();
    expect(await rig.service.reconcile(new Date(now - 60_000), new Date(now + 60_000))).toMatchObject({ confirmedStatic: 1 });
    expect(rig.service.forClient(CLIENT)[0]?.unconfirmed).toBe(false);
  });
});
