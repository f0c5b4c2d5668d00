// An ECONF whose answer was lost ('unknown') is no longer a dead end: the manager either gives the
// protocol Focus's panel shows (the app asks Focus for that event and records it), or says Focus does
// not have it (the app sends it again as a new journaled event). Against a standalone sandbox: Focus
// ends with exactly one event either way, and the journal says the same.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLane, spawnSandbox, type Lane, type SandboxProcess } from './rig.ts';
import { prepareSale } from '../../../main/sales/prepare.ts';
import { prepareContext } from '../emission/fixtures.ts';

let sb: SandboxProcess;
let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'balcao-econf-resolve-'));
  sb = await spawnSandbox(join(root, 'sandbox'));
});
afterAll(async () => {
  await sb?.close();
  rmSync(root, { recursive: true, force: true });
});

/** A card sale, authorized, then an ECONF whose answer never arrives (Focus processed it or not). */
async function unknownEconf(name: string, processedByFocus: boolean): Promise<{ lane: Lane; saleId: number; ref: string; econfId: number }> {
  const lane = openLane(join(root, `${name}.sqlite`), sb, { engine: { emitDeadlineMs: 1_500 } });
  const card = {
    clientId: `${name}_${Date.now()}`,
    items: [{ productId: 'P001', qtyE4: 10_000, unitPriceCents: 2399, discountCents: 0 }],
    discountCents: 0,
    payments: [{ method: '03', amountCents: 2399, card: { integration: '1' as const, brand: '01', acquirerCnpj: '01027058000191', authorization: 'R07242' } }],
  };
  const r = await lane.engine.finalize((await prepareSale(card, prepareContext())).sale);
  expect(r.emission.state).toBe('authorized');
  await sb.faults({ hang: { count: 1, afterCommit: processedByFocus, match: { method: 'POST', pathPrefix: '/v2/nfce/' } } });
  try {
    const v = await lane.engine.econf(r.saleId, 'gerente');
    expect(v.state).toBe('unknown');
    return { lane, saleId: r.saleId, ref: r.emission.ref, econfId: v.id };
  } finally {
    await sb.reset();
  }
}

const eventsAtFocus = async (ref: string) => (await sb.notes()).find((n) => n.ref === ref)?.econf ?? [];

describe('an ECONF left without an answer, resolved by the manager', () => {
  it('Focus has it: the protocol from its panel is checked with Focus and the event is recorded, never posted again', async () => {
    const { lane, saleId, ref, econfId } = await unknownEconf('econf-found', true);
    const atFocus = await eventsAtFocus(ref);
    expect(atFocus).toHaveLength(1);
    // A protocol that is not this note's: refused in Portuguese, nothing changes.
    await expect(lane.engine.econfResolve(econfId, 'gerente', { kind: 'check', protocolo: '999999999999999' })).rejects.toMatchObject({
      code: 'econf_not_found',
      message: expect.stringMatching(/não tem conciliação com o protocolo 999999999999999 nesta nota/),
    });
    expect(lane.engine.econfList(saleId).map((e) => e.state)).toEqual(['unknown']);

    const v = await lane.engine.econfResolve(econfId, 'gerente', { kind: 'check', protocolo: atFocus[0]!.protocolo });
    expect(v).toMatchObject({ id: econfId, state: 'authorized', numero: 1, protocolo: atFocus[0]!.protocolo });
    expect(lane.journal.sideEffects.listPending()).toEqual([]);
    const effect = lane.journal.db.prepare("SELECT state FROM side_effects WHERE kind = 'econf'").all();
    expect(effect).toEqual([{ state: 'done' }]);
    const audit = lane.journal.audit.forSale(saleId).filter((a) => a.action === 'econf_checked');
    expect(audit.map((a) => a.details.found)).toEqual(expect.arrayContaining([false, true]));
    expect(await eventsAtFocus(ref)).toHaveLength(1);
    // Resolved once: a second resolution is refused.
    await expect(lane.engine.econfResolve(econfId, 'gerente', { kind: 'resend' })).rejects.toMatchObject({ code: 'econf_not_unknown' });
    expect(await eventsAtFocus(ref)).toHaveLength(1);
    await lane.close();
  });

  it('Focus does not have it: sent again as a new journaled event; the unknown one is kept as replaced', async () => {
    const { lane, saleId, ref, econfId } = await unknownEconf('econf-missing', false);
    expect(await eventsAtFocus(ref)).toHaveLength(0);
    const v = await lane.engine.econfResolve(econfId, 'gerente', { kind: 'resend' });
    expect(v.id).not.toBe(econfId);
    expect(v).toMatchObject({ state: 'authorized', numero: 1 });
    expect(lane.engine.econfList(saleId).map((e) => [e.id, e.state])).toEqual([
      [econfId, 'replaced'],
      [v.id, 'authorized'],
    ]);
    const atFocus = await eventsAtFocus(ref);
    expect(atFocus).toHaveLength(1);
    expect(atFocus[0]!.protocolo).toBe(v.protocolo);
    expect(lane.journal.sideEffects.listPending()).toEqual([]);
    const effects = lane.journal.db.prepare("SELECT state FROM side_effects WHERE kind = 'econf' ORDER BY id").all();
    expect(effects).toEqual([{ state: 'failed' }, { state: 'done' }]);
    expect(lane.journal.audit.forSale(saleId).some((a) => a.action === 'econf_resent' && a.details.replaced === econfId)).toBe(true);
    await lane.close();
  });
});
