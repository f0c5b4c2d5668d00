// The shop's internet is down before the sale: contingency at once, then transmission on recovery.
import { afterEach, describe, expect, it } from 'vitest';
import { parseChave } from '../../../shared/fiscal/chave.ts';
import { makeContingencyRig, attemptsOf, type ContingencyRig } from './rig.ts';

let rig: ContingencyRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

describe('link down before a sale', () => {
  it('refused port → offline → contingency receipt; back online → transmitted with the printed chave', async () => {
    rig = await makeContingencyRig();
    const r = rig;
    // A normal sale first: the link works.
    const first = await r.finalize(1);
    expect(first.emission.state).toBe('authorized');

    await r.linkDown('refuse');
    const s1 = await r.finalize(2);
    expect(s1.emission.state).toBe('contingency');
    expect(r.contingency.monitor.state()).toBe('offline');
    // Known offline now: the next sale does not even try the wire.
    const before = r.exchanges.length;
    const s2 = await r.finalize(3);
    expect(s2.emission.state).toBe('contingency');
    expect(r.exchanges.filter((e) => e.method === 'POST').length).toBe(r.exchanges.slice(0, before).filter((e) => e.method === 'POST').length);

    // Each contingency note: printed at once (two copies are the receipt's job), own série, tpEmis 9.
    expect(r.printed.map((v) => v.saleId)).toEqual([s1.saleId, s2.saleId]);
    const rows = [s1, s2].map((s) => r.journal.emissions.latestForSale(s.saleId)!);
    expect(rows.map((x) => [x.serie, x.numero, x.tpEmis])).toEqual([
      ['900', '1', '9'],
      ['900', '2', '9'],
    ]);
    // The first attempt never reached Focus: superseded, nothing to reconcile.
    expect(attemptsOf(r, s2.saleId).map((a) => a.state)).toEqual(['superseded', 'contingency']);
    expect(r.contingency.counts()).toMatchObject({ contingencyNotes: 2, pendingNotes: 2 });
    expect(r.contingency.list().map((i) => [i.saleId, i.state, i.hoursLeft > 23.9])).toEqual([
      [s1.saleId, 'contingency', true],
      [s2.saleId, 'contingency', true],
    ]);

    // The cable is back: probes notice, the backlog goes out with forma_emissao=offline.
    await r.linkUp();
    await r.until(() => rows.every((x) => r.journal.emissions.get(x.id)?.state === 'authorized'), 20_000, 'backlog authorized');
    expect(r.contingency.monitor.state()).toBe('online');
    const notes = r.sandbox.notes();
    for (const x of rows) {
      const now = r.journal.emissions.get(x.id)!;
      const note = notes.find((n) => n.ref === x.ref)!;
      expect(note.offline).toBe(true);
      expect(note.chave).toBe(x.chave); // Focus built the very chave that was printed
      expect(now.chave).toBe(x.chave);
      expect(now.problemTitle).toBeNull();
      expect(note.dataEmissao).toBe(r.journal.sales.require(x.saleId).createdAt);
      expect(parseChave(note.chave ?? '')?.tpEmis).toBe(9);
      expect(note.cnf).toBe(x.cnf);
    }
    expect(r.exchanges.filter((e) => e.status === 429)).toEqual([]);
    expect(r.contingency.counts()).toMatchObject({ contingencyNotes: 0, pendingNotes: 0, oldestContingencyHoursLeft: null });
    expect(r.contingency.list()).toEqual([]);
  });

  it('without a certificate: blocked with the explanation, then sent normally once the link is back', async () => {
    rig = await makeContingencyRig({ certificate: false });
    const r = rig;
    await r.linkDown('refuse');
    const s = await r.finalize(1);
    expect(s.emission.state).toBe('blocked');
    expect(s.emission.problem?.fix).toMatch(/^emissão offline indisponível: importe o certificado A1/);
    expect(r.printed).toEqual([]);
    expect(r.contingency.list().map((i) => i.state)).toEqual(['blocked']);
    expect(r.sandbox.notes()).toEqual([]);
    await r.linkUp();
    await r.until(() => r.journal.emissions.latestForSale(s.saleId)?.state === 'authorized', 20_000, 'normal emission after unblock');
    const rows = attemptsOf(r, s.saleId);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.tpEmis).toBeNull();
    expect(r.sandbox.notes().filter((n) => n.status === 'autorizado')).toHaveLength(1);
  });

  it('SP: blocked with a clear explanation, never a document SEFAZ would refuse', async () => {
    const { SANDBOX_EMITTER } = await import('../../../main/sandbox/index.ts');
    const sp = { ...SANDBOX_EMITTER, uf: 'SP' as const, address: { ...SANDBOX_EMITTER.address, cityCode: '3550308' } };
    rig = await makeContingencyRig({ sandbox: { emitter: sp } });
    const r = rig;
    await r.linkDown('refuse');
    const s = await r.finalize(1);
    expect(s.emission.state).toBe('blocked');
    expect(s.emission.problem?.title).toBe('Contingência off-line não permitida nesta UF');
    expect(s.emission.problem?.fix).toMatch(/São Paulo.*EPEC/);
    expect(r.printed).toEqual([]);
    expect(r.journal.emissions.attemptsForSale(s.saleId).some((a) => a.tpEmis === '9')).toBe(false);
  });
});
