import { describe, expect, it } from 'vitest';
import { createFinalizeQueue, type QueuedSale, type QueueState, type ReturnedSale } from '../../../../renderer/state/finalize-queue.ts';

const sale = (clientId: string, totalCents = 1000): QueuedSale => ({
  snapshot: {
    clientId,
    lines: [],
    nextSeq: 2,
    saleDiscountCents: 0,
    customerDocument: null,
    payments: [{ method: '01', amountCents: totalCents }],
  },
  totalCents,
  changeCents: 0,
  paidAt: 0,
});

/** A page's life over a storage that outlives it (localStorage), with a core that answers by hand. */
function page(disk: { state: QueueState }) {
  const sends: { clientId: string; pendingAtSend: string[]; settle: (ok: boolean) => void }[] = [];
  const answered: string[] = [];
  const returned: ReturnedSale[] = [];
  const q = createFinalizeQueue<{ saleId: number }>({
    send: (s) =>
      new Promise((resolve, reject) => {
        sends.push({
          clientId: s.snapshot.clientId,
          pendingAtSend: disk.state.pending.map((p) => p.snapshot.clientId),
          settle: (ok) => (ok ? resolve({ saleId: sends.length }) : reject(new Error('refused'))),
        });
      }),
    read: () => disk.state,
    write: (s) => {
      disk.state = structuredClone(s);
    },
    answered: (s) => answered.push(s.snapshot.clientId),
    returned: (s) => returned.push(s),
    describe: () => ({ code: 'register_closed', message: 'O caixa está fechado.', needsManager: false }),
  });
  return { q, sends, answered, returned };
}
const settled = () => new Promise((r) => setTimeout(r, 0));

describe('the optimistic finalize queue', () => {
  it('writes the sale durably before it leaves, and forgets it only on the answer', async () => {
    const disk = { state: { pending: [], returned: [] } as QueueState };
    const p = page(disk);
    p.q.submit(sale('a'));
    expect(p.sends.map((s) => s.pendingAtSend)).toEqual([['a']]);
    expect(p.q.inFlight('a')).toBe(true);
    p.sends[0]!.settle(true);
    await settled();
    expect(p.answered).toEqual(['a']);
    expect(disk.state.pending).toEqual([]);
    expect(p.q.inFlight('a')).toBe(false);
  });

  it('a page that dies before the answer sends the same sale (same clientId) at its next start, once', async () => {
    const disk = { state: { pending: [], returned: [] } as QueueState };
    const first = page(disk);
    first.q.submit(sale('a', 1234));
    first.q.submit(sale('b'));
    // The page dies here: no answer reaches it.
    const second = page(disk);
    second.q.resume();
    second.q.resume();
    expect(second.sends.map((s) => s.clientId)).toEqual(['a', 'b']);
    second.sends[0]!.settle(true);
    second.sends[1]!.settle(true);
    await settled();
    expect(disk.state.pending).toEqual([]);
  });

  it('a refused finalize comes back whole (payments, clientId) and loud, once', async () => {
    const disk = { state: { pending: [], returned: [] } as QueueState };
    const p = page(disk);
    p.q.submit(sale('a', 990));
    p.sends[0]!.settle(false);
    await settled();
    expect(p.answered).toEqual([]);
    expect(p.returned.map((r) => [r.snapshot.clientId, r.code])).toEqual([['a', 'register_closed']]);
    expect(disk.state.pending).toEqual([]);
    const back = p.q.takeReturned();
    expect(back?.snapshot.clientId).toBe('a');
    expect(back?.snapshot.payments).toEqual([{ method: '01', amountCents: 990 }]);
    expect(p.q.takeReturned()).toBeNull();
    expect(disk.state.returned).toEqual([]);
  });

  it('a send that throws at once is returned, not lost', async () => {
    const disk = { state: { pending: [], returned: [] } as QueueState };
    const returned: string[] = [];
    const q = createFinalizeQueue<unknown>({
      send: () => {
        throw new Error('no bridge');
      },
      read: () => disk.state,
      write: (s) => {
        disk.state = s;
      },
      answered: () => {},
      returned: (s) => returned.push(s.snapshot.clientId),
      describe: () => ({ code: 'no_bridge', message: 'x', needsManager: false }),
    });
    q.submit(sale('z'));
    await settled();
    expect(returned).toEqual(['z']);
    expect(disk.state.returned.map((r) => r.snapshot.clientId)).toEqual(['z']);
  });
});
