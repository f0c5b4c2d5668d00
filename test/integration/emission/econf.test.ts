// ECONF end to end: the engine journals the intent, the real client posts it, the sandbox records
// the event; the manager's completion reaches Focus; a lost answer is never re-posted on its own.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeRig, type Rig } from './harness.ts';
import { prepareContext, saleFor } from './fixtures.ts';
import { prepareSale } from '../../../main/sales/prepare.ts';
import { EmissionError } from '../../../main/emission/types.ts';
import type { SaleDraft } from '../../../shared/sale.ts';

let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

const E2E = 'E00038166202611301200abcdefghijk';

async function cardSale(clientId: string) {
  const draft: SaleDraft = {
    clientId,
    items: [{ productId: 'P001', qtyE4: 10_000, unitPriceCents: 2399, discountCents: 0 }],
    discountCents: 0,
    payments: [
      { method: '17', amountCents: 1000 },
      { method: '03', amountCents: 1000, card: { integration: '1', brand: '01', acquirerCnpj: '01027058000191', authorization: 'R07242' } },
      { method: '01', amountCents: 1000 },
    ],
  };
  return (await prepareSale(draft, prepareContext())).sale;
}

describe('ECONF', () => {
  it('attaches the electronic payments of an authorized note with what the manager completed', async () => {
    rig = await makeRig();
    const r = await rig.engine.finalize(await cardSale('econf_ok_01'));
    expect(r.emission.state).toBe('authorized');
    const v = await rig.engine.econf(r.saleId, 'gerente', [{ seq: 1, institutionCnpj: '18236120000158', authorization: E2E }]);
    expect(v).toMatchObject({ state: 'authorized', numero: 1 });
    expect(v.protocolo).toMatch(/^\d{15}$/);
    const note = rig.sandbox.notes().find((n) => n.ref === r.emission.ref);
    expect(note?.econf?.[0]?.detalhes).toEqual([
      {
        forma_pagamento: '17',
        valor_pagamento: '10.00',
        data_pagamento: r.emission.authorizedAt?.slice(0, 10) ?? expect.any(String),
        indicador_pagamento: '0',
        cnpj_instituicao_financeira: '18236120000158',
        numero_autorizacao: E2E,
      },
      {
        forma_pagamento: '03',
        valor_pagamento: '10.00',
        data_pagamento: expect.any(String),
        indicador_pagamento: '0',
        cnpj_instituicao_financeira: '01027058000191',
        bandeira_operadora: '01',
        numero_autorizacao: 'R07242',
      },
    ]);
    expect(rig.engine.econfList(r.saleId)).toHaveLength(1);
    expect(
      rig.journal.audit
        .forSale(r.saleId)
        .filter((a) => a.action === 'econf')
        .map((a) => a.actor),
    ).toEqual(['gerente']);
  });

  it('refuses a cash-only sale and a note that is not authorized, with codes', async () => {
    rig = await makeRig();
    const cash = await rig.engine.finalize(await saleFor(1, 'econf_cash_01'));
    const e1 = await rig.engine.econf(cash.saleId, 'gerente').catch((e: unknown) => e);
    expect((e1 as EmissionError).code).toBe('econf_nothing');
    rig.sandbox.controls.set({ reject: { count: 1, status_sefaz: '778', mensagem_sefaz: 'Rejeicao: Informado NCM inexistente' } });
    const rejected = await rig.engine.finalize(await cardSale('econf_rej_01'));
    expect(rejected.emission.state).toBe('rejected');
    const e2 = await rig.engine.econf(rejected.saleId, 'gerente').catch((e: unknown) => e);
    expect((e2 as EmissionError).code).toBe('not_authorized');
  });

  it('a lost answer leaves the event unknown and a second attach is refused; an intent journaled before a crash is sent at start', async () => {
    rig = await makeRig({ engine: { emitDeadlineMs: 300 } });
    const r = await rig.engine.finalize(await cardSale('econf_lost_01'));
    rig.sandbox.controls.set({ hang: { count: 1, afterCommit: true, match: { method: 'POST', pathPrefix: `/v2/nfce/${r.emission.ref}/econf` } } });
    const v = await rig.engine.econf(r.saleId, 'gerente');
    expect(v.state).toBe('unknown');
    expect(((await rig.engine.econf(r.saleId, 'gerente').catch((e: unknown) => e)) as EmissionError).code).toBe('econf_open');
    expect(rig.sandbox.notes().find((n) => n.ref === r.emission.ref)?.econf).toHaveLength(1);

    const r2 = await rig.engine.finalize(await cardSale('econf_crash_01'));
    // The process died right after committing the intent: the 'pending' row and its pending side effect.
    const emissionId = rig.journal.emissions.latestForSale(r2.saleId)!.id;
    const detalhes = [{ forma_pagamento: '17', valor_pagamento: '10.00', data_pagamento: '2026-11-30' }];
    const { lastInsertRowid } = rig.journal.db
      .prepare(
        "INSERT INTO econf_events(sale_id, emission_id, ref, state, actor, request_json, created_ms, updated_ms) VALUES (?, ?, ?, 'pending', 'gerente', ?, 0, 0)",
      )
      .run(r2.saleId, emissionId, r2.emission.ref, JSON.stringify(detalhes));
    const effect = rig.journal.sideEffects.begin({
      kind: 'econf',
      saleId: r2.saleId,
      emissionId,
      ref: r2.emission.ref,
      actor: 'gerente',
      payload: { econfId: Number(lastInsertRowid), detalhes },
    });
    rig.journal.db.prepare('UPDATE econf_events SET side_effect_id = ? WHERE id = ?').run(effect.id, Number(lastInsertRowid));
    expect(rig.journal.sideEffects.listPending().map((e) => e.kind)).toEqual(['econf', 'econf']);
    await rig.restart();
    await rig.engine.start();
    expect(rig.engine.econfList(r2.saleId)[0]?.state).toBe('authorized');
    expect(rig.sandbox.notes().find((n) => n.ref === r2.emission.ref)?.econf).toHaveLength(1);
    // The event whose answer was lost is closed as unconfirmed (never re-posted); nothing stays pending.
    expect(rig.engine.econfList(r.saleId)[0]?.state).toBe('unknown');
    expect(rig.sandbox.notes().find((n) => n.ref === r.emission.ref)?.econf).toHaveLength(1);
    expect(rig.journal.sideEffects.listPending()).toEqual([]);
    expect(rig.journal.audit.forSale(r.saleId).some((a) => a.action === 'econf_unconfirmed')).toBe(true);
  });

  it('registers automatically after authorization where the shop asks for it', async () => {
    rig = await makeRig({ settings: { econfAfterAuthorization: true } });
    const r = await rig.engine.finalize(await cardSale('econf_auto_01'));
    expect(r.emission.state).toBe('authorized');
    await vi.waitFor(() => expect(rig!.engine.econfList(r.saleId)[0]?.state).toBe('authorized'));
    const cash = await rig.engine.finalize(await saleFor(2, 'econf_auto_cash'));
    await rig.idle();
    expect(rig.engine.econfList(cash.saleId)).toEqual([]);
  });
});
