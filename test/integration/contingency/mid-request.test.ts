// The link falls while the POST is out: the cashier waits at most the authorization deadline, gets
// a contingency receipt, and when the link returns the earlier attempt is reconciled — cancelled if
// it had been authorized, nothing if it never arrived. One sale, one valid note.
import { afterEach, describe, expect, it } from 'vitest';
import { SUBSTITUTION_TITLE } from '../../../main/contingency/reconciler.ts';
import { makeContingencyRig, attemptsOf, type ContingencyRig } from './rig.ts';

let rig: ContingencyRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

function validNotesOf(r: ContingencyRig, saleId: number) {
  const refs = new Set(attemptsOf(r, saleId).map((a) => a.ref));
  return r.sandbox.notes().filter((n) => refs.has(n.ref) && n.status === 'autorizado');
}

describe('link falling mid-request', () => {
  it('no answer (requests dropped) → contingency at the deadline; the attempt never arrived → nothing to cancel', async () => {
    rig = await makeContingencyRig({ authorizationDeadlineMs: 1_500, emitDeadlineMs: 3_000 });
    const r = rig;
    expect((await r.finalize(1)).emission.state).toBe('authorized');

    r.sandbox.controls.set({ dropConnections: true });
    const s = await r.finalize(2);
    expect(s.emission.state).toBe('contingency');
    expect(s.ms).toBeGreaterThanOrEqual(1_400);
    expect(r.printed.map((v) => v.saleId)).toEqual([s.saleId]);
    const [first] = attemptsOf(r, s.saleId);
    expect(['sending', 'unknown']).toContain(first?.state);

    // While the link is down a new sale goes straight to contingency.
    await r.until(() => r.contingency.monitor.state() === 'offline', 10_000, 'monitor offline');
    const s2 = await r.finalize(3);
    expect(s2.emission.state).toBe('contingency');
    // Known offline: straight to contingency, no attempt of this sale on the wire (its latency is bench:offline's known_offline_*).
    const refs = attemptsOf(r, s2.saleId).map((a) => a.ref);
    expect(r.exchanges.filter((e) => e.method === 'POST' && refs.some((ref) => e.path.includes(ref)))).toEqual([]);

    r.sandbox.controls.set({ dropConnections: false });
    await r.until(
      () =>
        [s.saleId, s2.saleId].every((id) => r.journal.emissions.latestForSale(id)?.state === 'authorized') &&
        attemptsOf(r, s.saleId)[0]?.state === 'superseded',
      30_000,
      'recovered',
    );
    expect(attemptsOf(r, s.saleId).map((a) => a.state)).toEqual(['superseded', 'authorized']);
    expect(validNotesOf(r, s.saleId)).toHaveLength(1);
    expect(validNotesOf(r, s.saleId)[0]?.chave).toBe(attemptsOf(r, s.saleId)[1]?.chave);
    expect(r.sandbox.notes().some((n) => n.status === 'cancelado')).toBe(false);
  });

  it('the earlier attempt was authorized after all → cancelled inside the window and superseded', async () => {
    rig = await makeContingencyRig({ authorizationDeadlineMs: 1_500, emitDeadlineMs: 3_000 });
    const r = rig;
    r.sandbox.controls.set({ hang: { count: 1, afterCommit: true } });
    const s = await r.finalize(1);
    expect(s.emission.state).toBe('contingency');
    const [a1, a2] = attemptsOf(r, s.saleId);
    await r.until(
      () => r.journal.emissions.get(a1!.id)?.state === 'superseded' && r.journal.emissions.get(a2!.id)?.state === 'authorized',
      30_000,
      'reconciled',
    );
    const notes = r.sandbox.notes();
    expect(notes.find((n) => n.ref === a1!.ref)?.status).toBe('cancelado');
    expect(notes.find((n) => n.ref === a2!.ref)?.status).toBe('autorizado');
    expect(validNotesOf(r, s.saleId)).toHaveLength(1);
    const audit = r.journal.audit.forSale(s.saleId).map((e) => e.details.event ?? e.action);
    expect(audit).toContain('earlier-attempt-cancelled');
  });

  it('past the 30-minute window → flagged to the manager for cancelamento por substituição', async () => {
    let skew = 0;
    rig = await makeContingencyRig({ authorizationDeadlineMs: 1_500, emitDeadlineMs: 3_000, skewMs: () => skew });
    const r = rig;
    r.sandbox.controls.set({ hang: { count: 1, afterCommit: true } });
    const s = await r.finalize(1);
    expect(s.emission.state).toBe('contingency');
    skew = 31 * 60_000;
    const [a1] = attemptsOf(r, s.saleId);
    await r.until(() => r.journal.emissions.get(a1!.id)?.problemTitle === SUBSTITUTION_TITLE, 30_000, 'flagged');
    const row = r.journal.emissions.get(a1!.id)!;
    expect(row.state).toBe('authorized');
    expect(row.problemFix).toMatch(/evento 110112/);
    const item = r.contingency.list().find((i) => i.problem?.title === SUBSTITUTION_TITLE);
    expect(item?.saleId).toBe(s.saleId);
    // Nothing was cancelled at Focus: the manager decides with the accountant.
    expect(r.sandbox.notes().find((n) => n.ref === a1!.ref)?.status).toBe('autorizado');
  });
});
