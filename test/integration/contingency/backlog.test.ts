// 150 notes issued while the shop was offline, transmitted on recovery through the shared
// scheduler against a binding rate limit: all authorized with the printed chave, no 429 met.
import { afterEach, describe, expect, it } from 'vitest';
import { makeContingencyRig, type ContingencyRig } from './rig.ts';

let rig: ContingencyRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

// bench:offline drains 1,000; here enough notes for three rate windows.
const N = 150;

describe('backlog on recovery', () => {
  it(`${N} contingency notes drained without a 429, oldest first, every chave as printed`, async () => {
    // 50 credits per 1.5 s window: the backlog needs several windows, so the budget really binds.
    rig = await makeContingencyRig({ sandbox: { rateLimit: 50, rateWindowMs: 1_500 }, contingency: { concurrency: 4 } });
    const r = rig;
    expect((await r.finalize(0)).emission.state).toBe('authorized'); // the client learns the budget
    await r.linkDown('refuse');
    const sales: number[] = [];
    for (let i = 1; i <= N; i++) {
      const s = await r.finalize(i);
      if (s.emission.state !== 'contingency') throw new Error(`sale ${i}: ${s.emission.state}`);
      sales.push(s.saleId);
    }
    expect(r.contingency.counts().contingencyNotes).toBe(N);
    const rows = sales.map((id) => r.journal.emissions.latestForSale(id)!);
    expect(new Set(rows.map((x) => x.numero)).size).toBe(N);
    expect(rows.map((x) => Number(x.numero))).toEqual(Array.from({ length: N }, (_, i) => i + 1));

    const t0 = Date.now();
    await r.linkUp();
    await r.until(() => r.contingency.counts().contingencyNotes === 0, 50_000, 'backlog drained');
    const elapsed = Date.now() - t0;
    expect(r.exchanges.filter((e) => e.status === 429)).toEqual([]);
    const byRef = new Map(r.sandbox.notes().map((n) => [n.ref, n]));
    for (const x of rows) {
      const note = byRef.get(x.ref);
      expect(note?.status).toBe('autorizado');
      expect(note?.chave).toBe(x.chave);
      expect(note?.posts).toBe(1);
      expect(r.journal.emissions.get(x.id)?.state).toBe('authorized');
    }
    // Oldest first: the sandbox saw the numbers in (nearly) ascending order (4 in flight at once).
    const order = r.sandbox
      .notes()
      .filter((n) => n.offline)
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((n) => n.numero);
    expect(order[0]).toBeLessThanOrEqual(4);
    for (let i = 0; i < order.length; i++) expect(Math.abs((order[i] as number) - (i + 1))).toBeLessThanOrEqual(4);
    // It took more than one rate window: the scheduler waited instead of meeting 429s.
    expect(elapsed).toBeGreaterThan(1_500);
  }, 90_000);
});
