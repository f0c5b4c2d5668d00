import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { makeRig, type Rig } from './harness.ts';
import { saleFor, PRODUCTS } from './fixtures.ts';
import { checkInvariant } from './invariant.ts';
import { archivePath } from '../../../main/emission/archive.ts';
import { EmissionError } from '../../../main/emission/types.ts';
import type { ContingencyPort } from '../../../main/emission/types.ts';

let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('EmissionEngine against the Focus sandbox', () => {
  it('commits, authorizes, publishes every step, keeps the answer and archives the XML', async () => {
    rig = await makeRig();
    const r = await rig.engine.finalize(await saleFor(1, 'cli_happy_01'));
    expect(r.created).toBe(true);
    expect(r.emission.state).toBe('authorized');
    expect(r.emission.chave).toMatch(/^\d{44}$/);
    expect(r.emission.cancelDeadline).toBeGreaterThan(Date.now() + 29 * 60_000);
    expect(rig.events.filter((e) => e.saleId === r.saleId).map((e) => e.state)).toEqual(['pending', 'sending', 'authorized']);
    const note = rig.sandbox.notes().find((n) => n.ref === r.emission.ref);
    expect(note?.status).toBe('autorizado');
    expect(note?.chave?.replace(/^NFe/, '')).toBe(r.emission.chave);
    const answers = rig.journal.emissions.answers(rig.journal.emissions.getByRef(r.emission.ref)!.id);
    expect(answers.map((a) => [a.operation, a.kind])).toEqual([['emit', 'ok']]);
    expect(JSON.parse(answers[0]!.body!).status).toBe('autorizado');
    const file = archivePath(rig.dir, r.emission.chave!, 'nfe');
    await until(() => existsSync(file));
    expect(readFileSync(file, 'utf8')).toContain(r.emission.chave!);
    await until(() => rig!.journal.emissions.getByRef(r.emission.ref)!.xmlArchivedMs !== null);
  });

  it('a resent finalize (same clientId) returns the same sale and never emits twice', async () => {
    rig = await makeRig();
    const sale = await saleFor(2, 'cli_twice_01');
    const [a, b] = await Promise.all([rig.engine.finalize(sale), rig.engine.finalize(sale)]);
    const c = await rig.engine.finalize(sale);
    expect(new Set([a.saleId, b.saleId, c.saleId]).size).toBe(1);
    expect([a.created, b.created, c.created].filter(Boolean)).toHaveLength(1);
    expect(c.emission.state).toBe('authorized');
    expect(
      rig.sandbox
        .notes()
        .filter((n) => n.ref === a.emission.ref)
        .map((n) => n.posts),
    ).toEqual([1]);
  });

  it('a SEFAZ rejection is kept with its code and a plain explanation; resend after the fix reuses the ref', async () => {
    rig = await makeRig();
    rig.sandbox.controls.set({ reject: { count: 1, status_sefaz: '778', mensagem_sefaz: 'Rejeicao: Informado NCM inexistente [nItem:1]' } });
    const r = await rig.engine.finalize(await saleFor(1, 'cli_reject_01'));
    expect(r.emission).toMatchObject({ state: 'rejected', statusSefaz: '778' });
    expect(r.emission.mensagemSefaz).toMatch(/NCM inexistente/);
    expect(r.emission.problem?.title).toBeTruthy();
    expect(r.emission.problem?.fix).toMatch(/NCM inexistente/);
    // The manager fixes the product (new NCM) and resends.
    const p = PRODUCTS[1]!;
    rig.catalog.set({ ...p, ncm: '19052010' });
    const v = await rig.engine.resend(r.saleId, 'gerente1');
    expect(v).toMatchObject({ state: 'authorized', ref: r.emission.ref, problem: null, statusSefaz: '100' });
    expect(rig.journal.sales.get(r.saleId)!.items[0]!.ncm).toBe('19052010');
    const note = rig.sandbox.notes().find((n) => n.ref === r.emission.ref)!;
    expect(note.posts).toBe(2);
    expect((note.request.items as { codigo_ncm?: string }[])[0]?.codigo_ncm).toBe('19052010');
    expect(rig.journal.audit.forSale(r.saleId).map((e) => e.action)).toEqual(['resend']);
    await expect(rig.engine.resend(r.saleId, 'gerente1')).rejects.toMatchObject({ code: 'not_resendable' });
  });

  it('refuses to resend a denied note, naming its state in Portuguese', async () => {
    rig = await makeRig();
    rig.sandbox.controls.set({ deny: { count: 1, status_sefaz: '302', mensagem_sefaz: 'Uso Denegado: Irregularidade fiscal do destinatario' } });
    const r = await rig.engine.finalize(await saleFor(1, 'cli_denied_01'));
    expect(r.emission.state).toBe('denied');
    expect(r.emission.problem?.code).toBe('denied');
    const err = await rig.engine.resend(r.saleId, 'gerente1').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(EmissionError);
    expect((err as EmissionError).code).toBe('not_resendable');
    expect((err as EmissionError).message).toContain('"Denegada"');
    expect((err as EmissionError).message).not.toMatch(/denied/);
    expect(
      rig.sandbox
        .notes()
        .filter((n) => n.ref === r.emission.ref)
        .map((n) => n.posts),
    ).toEqual([1]);
  });

  it('a company problem (certificate expired) blocks the sale visibly until the manager resends', async () => {
    rig = await makeRig();
    rig.sandbox.controls.set({ company: { certificateExpired: true } });
    const r = await rig.engine.finalize(await saleFor(3, 'cli_block_01'));
    expect(r.emission.state).toBe('blocked');
    expect(r.emission.problem).not.toBeNull();
    rig.sandbox.controls.set({ company: { certificateExpired: false } });
    expect((await rig.engine.resend(r.saleId, 'gerente1')).state).toBe('authorized');
  });

  it('cancels within 30 minutes with justificativa, audits, archives the cancel XML; refuses after the window', async () => {
    let now = Date.now();
    rig = await makeRig({ engine: { clock: { now: () => now } } });
    const r = await rig.engine.finalize(await saleFor(1, 'cli_cancel_01'));
    await expect(rig.engine.cancel(r.saleId, 'curta', 'gerente1')).rejects.toMatchObject({ code: 'invalid_justificativa' });
    const v = await rig.engine.cancel(r.saleId, 'Cliente desistiu da compra no caixa', 'gerente1');
    expect(v.state).toBe('cancelled');
    expect(v.cancelDeadline).toBeNull();
    expect(rig.sandbox.notes().find((n) => n.ref === r.emission.ref)?.status).toBe('cancelado');
    expect(rig.journal.audit.forSale(r.saleId)).toEqual([
      expect.objectContaining({
        actor: 'gerente1',
        action: 'cancel',
        details: expect.objectContaining({ justificativa: 'Cliente desistiu da compra no caixa' }),
      }),
    ]);
    await until(() => existsSync(archivePath(rig!.dir, v.chave!, 'can')));

    const late = await rig.engine.finalize(await saleFor(2, 'cli_cancel_02'));
    now += 31 * 60_000;
    const err = await rig.engine.cancel(late.saleId, 'Cliente desistiu da compra no caixa', 'gerente1').catch((e) => e);
    expect(err).toBeInstanceOf(EmissionError);
    expect(err.code).toBe('cancel_window_closed');
    expect(err.message).toMatch(/30 minutos/);
    expect(rig.sandbox.notes().find((n) => n.ref === late.emission.ref)?.status).toBe('autorizado');
  });

  it('asks Focus to e-mail the note and audits it', async () => {
    rig = await makeRig();
    const r = await rig.engine.finalize(await saleFor(1, 'cli_email_01'));
    await expect(rig.engine.email(r.saleId, ['não é e-mail'], 'op1')).rejects.toMatchObject({ code: 'invalid_emails' });
    await rig.engine.email(r.saleId, ['cliente@example.com'], 'op1');
    expect(rig.sandbox.emails()).toEqual([expect.objectContaining({ ref: r.emission.ref, emails: ['cliente@example.com'] })]);
    expect(rig.journal.audit.forSale(r.saleId).map((e) => e.action)).toEqual(['email']);
  });

  it('after a connection reset that followed the authorization, adopts the note by GET without a second POST', async () => {
    rig = await makeRig();
    rig.sandbox.controls.set({ resetAfterCommit: { count: 1 } });
    const r = await rig.engine.finalize(await saleFor(1, 'cli_reset_01'));
    expect(r.emission.state).toBe('authorized');
    const states = rig.events.filter((e) => e.saleId === r.saleId).map((e) => e.state);
    expect(states).toEqual(['pending', 'sending', 'unknown', 'authorized']);
    expect(rig.sandbox.notes().find((n) => n.ref === r.emission.ref)?.posts).toBe(1);
    const ops = rig.journal.emissions.answers(rig.journal.emissions.getByRef(r.emission.ref)!.id).map((a) => `${a.operation}:${a.kind}`);
    expect(ops).toEqual(['emit:unknown-outcome', 'query:ok']);
  });

  it('at start, resolves what a previous run left open before taking new sales', async () => {
    rig = await makeRig();
    const j = rig.journal;
    // Left 'sending' after its POST reached Focus (authorized there), and left 'sending' before it left.
    const a = j.sales.commitSale(await saleFor(1, 'cli_start_a'), { environment: 'homologacao' });
    j.emissions.transition(a.emission.id, 'pending', 'sending', { emittedMs: Date.now() });
    const { buildNfceRequest } = await import('../../../shared/nfce/payload.ts');
    const body = buildNfceRequest({ sale: a.sale, emitter: rig.settings.emitter, environment: 'homologacao' });
    expect((await rig.client.emit(a.emission.ref, body)).kind).toBe('ok');
    const b = j.sales.commitSale(await saleFor(2, 'cli_start_b'), { environment: 'homologacao' });
    j.emissions.transition(b.emission.id, 'pending', 'sending', { emittedMs: Date.now() });
    const c = j.sales.commitSale(await saleFor(3, 'cli_start_c'), { environment: 'homologacao' });
    await rig.restart();
    const order: string[] = [];
    rig.engine.on('emission.changed', (v) => order.push(`${v.ref}:${v.state}`));
    const next = await rig.engine.finalize(await saleFor(4, 'cli_start_d'));
    expect(next.emission.state).toBe('authorized');
    for (const ref of [a.emission.ref, b.emission.ref, c.emission.ref]) {
      expect(rig.journal.emissions.getByRef(ref)?.state).toBe('authorized');
      // Every old one settled before the new sale was even committed.
      expect(order.indexOf(`${ref}:authorized`)).toBeLessThan(order.indexOf(`${next.emission.ref}:pending`));
    }
    expect(rig.sandbox.notes().find((n) => n.ref === a.emission.ref)?.posts).toBe(1);
    expect(checkInvariant(rig.journal, rig.sandbox.notes())).toMatchObject({ sales: 4, authorized: 4, lost: 0, duplicated: 0, unresolved: 0 });
  });

  it('returns at the authorization deadline with the sale still in flight, and finishes in the background', async () => {
    rig = await makeRig({ settings: { authorizationDeadlineMs: 150 } });
    rig.sandbox.controls.set({ latencyMs: 600 });
    // Still `sending` when finalize returns: it did not wait for the 600 ms answer. How close to the deadline it
    // returns is measured by bench:offline (silent_drop_over_deadline_max_ms), not asserted here.
    const r = await rig.engine.finalize(await saleFor(1, 'cli_deadline_01'));
    expect(r.emission.state).toBe('sending');
    await until(() => rig!.events.some((e) => e.saleId === r.saleId && e.state === 'authorized'));
  });

  it('hands the sale to the contingency port when the link is offline (no POST) or the deadline passes', async () => {
    const calls: [number, string][] = [];
    let link: 'online' | 'offline' = 'offline';
    const port: ContingencyPort = {
      linkState: () => link,
      // Like the offline flow: a new attempt of its own, announced on the same event stream.
      divert: async (saleId, reason) => {
        calls.push([saleId, reason]);
        const row = rig!.journal.addAttempt(saleId, { state: 'contingency', environment: 'homologacao', patch: { tpEmis: '9' } });
        return rig!.engine.announce(row.id);
      },
      onRelease: () => () => {},
    };
    rig = await makeRig({ engine: { contingency: port }, settings: { authorizationDeadlineMs: 150 } });
    const off = await rig.engine.finalize(await saleFor(1, 'cli_offline_01'));
    expect(calls).toEqual([[off.saleId, 'offline']]);
    expect(off.emission).toMatchObject({ state: 'contingency', attempt: 2, contingency: true });
    expect(rig.events.filter((e) => e.saleId === off.saleId).map((e) => e.state)).toEqual(['pending', 'contingency']);
    expect(rig.sandbox.notes()).toEqual([]);
    link = 'online';
    rig.sandbox.controls.set({ latencyMs: 600 });
    const slow = await rig.engine.finalize(await saleFor(2, 'cli_offline_02'));
    expect(calls[1]).toEqual([slow.saleId, 'deadline']);
    expect(slow.emission).toMatchObject({ state: 'contingency', attempt: 2 });
    // The first attempt still resolves, so the offline flow can reconcile (cancel) it.
    const first = rig.journal.emissions.attemptsForSale(slow.saleId)[0]!;
    await until(() => rig!.journal.emissions.get(first.id)?.state === 'authorized');
  });

  it('maps Focus automatic contingency (SEFAZ down) to contingency_focus', async () => {
    rig = await makeRig();
    rig.sandbox.controls.set({ sefazDown: true });
    const r = await rig.engine.finalize(await saleFor(1, 'cli_sefaz_01'));
    expect(r.emission.state).toBe('contingency_focus');
    expect(r.emission.contingency).toBe(true);
    expect(r.emission.cancelDeadline).toBeNull();
  });

  it('turns a denial into a visible, final state', async () => {
    rig = await makeRig();
    rig.sandbox.controls.set({ deny: { count: 1 } });
    const r = await rig.engine.finalize(await saleFor(1, 'cli_deny_01'));
    expect(r.emission.state).toBe('denied');
    expect(r.emission.problem).not.toBeNull();
  });
});
