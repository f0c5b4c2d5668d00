// The Focus details real shops meet (focus-nfce-api §1.2, §1.4, §2.3, §4.6, §8 items 2, 9, 23, 34),
// each through the real client and engine against the sandbox: what the manager sees, and that no
// second POST ever leaves without a GET first.
import { afterEach, describe, expect, it } from 'vitest';
import { makeRig, type Rig } from './harness.ts';
import { saleFor } from './fixtures.ts';
import { EmissionError } from '../../../main/emission/types.ts';

let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

const postsOf = (r: Rig, ref: string) => r.sandbox.notes().find((n) => n.ref === ref)?.posts ?? 0;
const operations = (r: Rig, ref: string) =>
  r.journal.emissions.answers(r.journal.emissions.getByRef(ref)!.id).map((a) => `${a.operation}:${a.kind}:${a.httpStatus ?? ''}`);

describe('configuration problems end blocked with the fix, not rejected', () => {
  it('a missing CSC (422 erro_validacao naming it) blocks the sale with a stable code, and a resend after the fix authorizes it', async () => {
    rig = await makeRig();
    rig.sandbox.controls.set({ company: { cscConfigured: false, idTokenConfigured: false } });
    const r = await rig.engine.finalize(await saleFor(1, 'csc_missing_01'));
    expect(r.emission.state).toBe('blocked');
    expect(r.emission.problem?.title).toBe('CSC não cadastrado na Focus');
    expect(r.emission.problem?.fix).toMatch(/painel da Focus/);
    expect(r.emission.problem?.title).not.toMatch(/Erro na Focus/);
    expect(rig.journal.emissions.getByRef(r.emission.ref)?.codigoApi).toBe('csc_nao_configurado');
    rig.sandbox.controls.reset();
    const again = await rig.engine.resend(r.saleId, 'gerente');
    expect(again.state).toBe('authorized');
  });

  it("a 401 with a plain-text body is an authentication failure with the manager's fix", async () => {
    rig = await makeRig({ client: { token: 'tokenerrado123' } });
    const r = await rig.engine.finalize(await saleFor(2, 'auth_text_01'));
    expect(r.emission.state).toBe('blocked');
    expect(r.emission.problem?.title).toBe('Token da Focus recusado');
    expect(r.emission.problem?.fix).toMatch(/Configurações/);
    expect(operations(rig, r.emission.ref)).toEqual(['emit:api-error:401']);
  });
});

describe('answers that say nothing about the note: unknown outcome, GET first', () => {
  it('a proxy 404 page (no Focus codigo) on the POST is resolved by GET, which finds the ref absent, then one POST', async () => {
    rig = await makeRig();
    rig.sandbox.controls.set({ proxyNotFound: { count: 1, match: { method: 'POST', pathPrefix: '/v2/nfce' } } });
    const r = await rig.engine.finalize(await saleFor(3, 'proxy404_post'));
    expect(r.emission.state).toBe('authorized');
    expect(operations(rig, r.emission.ref)).toEqual(['emit:api-error:404', 'query:api-error:404', 'emit:ok:201']);
    expect(postsOf(rig, r.emission.ref)).toBe(1);
  });

  it('a proxy 404 page on the GET after a lost answer never triggers a second POST', async () => {
    rig = await makeRig({ client: { defaultDeadlineMs: 300 }, engine: { emitDeadlineMs: 300 } });
    // The POST is processed (authorized) but its answer never arrives; then the first GET meets a proxy page.
    rig.sandbox.controls.set({
      hang: { count: 1, afterCommit: true, match: { method: 'POST', pathPrefix: '/v2/nfce' } },
      proxyNotFound: { count: 1, match: { method: 'GET', pathPrefix: '/v2/nfce/' } },
    });
    const r = await rig.engine.finalize(await saleFor(4, 'proxy404_get'));
    await rig.idle();
    const view = rig.engine.view(r.saleId);
    expect(view?.state).toBe('authorized');
    expect(postsOf(rig, r.emission.ref)).toBe(1);
    const ops = operations(rig, r.emission.ref);
    expect(ops.filter((o) => o.startsWith('emit:'))).toHaveLength(1);
    expect(ops).toContain('query:api-error:404');
  });

  it('an unrecognised 409 after the POST was processed is unknown: GET adopts the authorized note', async () => {
    rig = await makeRig();
    rig.sandbox.controls.set({ conflict: { count: 1, match: { method: 'POST', pathPrefix: '/v2/nfce' } } });
    const r = await rig.engine.finalize(await saleFor(5, 'conflict_409'));
    expect(r.emission.state).toBe('authorized');
    expect(operations(rig, r.emission.ref)).toEqual(['emit:api-error:409', 'query:ok:200']);
    expect(postsOf(rig, r.emission.ref)).toBe(1);
  });

  it('202 processando_autorizacao from a slow SEFAZ is followed by GET until the final answer', async () => {
    rig = await makeRig({ sandboxOptions: { latencyMs: 250 } });
    rig.sandbox.controls.set({ slowSefaz: true });
    const r = await rig.engine.finalize(await saleFor(6, 'slow_202'));
    expect(r.emission.state).toBe('authorized');
    const ops = operations(rig, r.emission.ref);
    expect(ops[0]).toBe('emit:ok:202');
    expect(ops.slice(1).every((o) => o.startsWith('query:ok:200'))).toBe(true);
    expect(ops.length).toBeGreaterThan(1);
    expect(postsOf(rig, r.emission.ref)).toBe(1);
  });
});

describe("cancellation past SEFAZ's deadline", () => {
  it('tells the operator the deadline passed and that resending will not help', async () => {
    rig = await makeRig();
    const r = await rig.engine.finalize(await saleFor(7, 'cancel_late'));
    expect(r.emission.state).toBe('authorized');
    // SEFAZ's clock is ahead of ours: our window says yes, SEFAZ answers 501.
    rig.sandbox.controls.setClockOffset(31 * 60_000);
    const err = await rig.engine.cancel(r.saleId, 'Cliente desistiu da compra no caixa', 'gerente').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(EmissionError);
    expect((err as EmissionError).code).toBe('cancel_window_closed');
    expect((err as Error).message).toMatch(/30 minutos/);
    expect((err as Error).message).not.toMatch(/envie de novo/);
    expect(rig.engine.view(r.saleId)?.state).toBe('authorized');
  });
});
