import { describe, expect, it } from 'vitest';
import type { EmissionState, EmissionView } from '../../../../shared/emission.ts';
import { stripSales, type LastSale } from '../../../../renderer/state/emission.ts';
import { usePrinting } from '../../../../renderer/state/printing.ts';

const sale = (saleId: number): LastSale => ({ saleId, totalCents: 100 * saleId, changeCents: 0, finishedAt: 0 });
const view = (saleId: number, state: EmissionState) => ({ saleId, state }) as EmissionView;

describe('the in-flight strip', () => {
  it('shows moving sales and problems nobody took on; settled sales leave', () => {
    const flights = [sale(1), sale(2), sale(3), sale(4), sale(5)];
    const views = new Map<number, EmissionView>([
      [1, view(1, 'authorized')],
      [2, view(2, 'sending')],
      [3, view(3, 'rejected')],
      [4, view(4, 'blocked')],
      [5, view(5, 'contingency')],
    ]);
    expect(stripSales({ flights, views, dismissed: new Set() }).map((s) => [s.sale.saleId, s.state])).toEqual([
      [2, 'sending'],
      [3, 'rejected'],
      [4, 'blocked'],
    ]);
    expect(stripSales({ flights, views, dismissed: new Set([3]) }).map((s) => s.sale.saleId)).toEqual([2, 4]);
    // A sale the core has not reported yet is on its way.
    expect(stripSales({ flights: [sale(9)], views, dismissed: new Set() })[0]?.state).toBe('pending');
  });
});

describe('print job states on screen', () => {
  it('keeps the newest job of a sale and ignores a late "queued" answer', () => {
    const apply = (e: Parameters<ReturnType<typeof usePrinting.getState>['apply']>[0]) => usePrinting.getState().apply(e);
    apply({ saleId: 7, ok: false, message: null, jobId: 'p3', kind: 'receipt', state: 'printing' });
    apply({ saleId: 7, ok: true, message: null, jobId: 'p3', kind: 'receipt', state: 'done' });
    apply({ saleId: 7, ok: false, message: null, jobId: 'p3', kind: 'receipt', state: 'queued' });
    expect(usePrinting.getState().bySale.get(7)?.state).toBe('done');
    apply({ saleId: 7, ok: false, message: null, jobId: 'p2', kind: 'receipt', state: 'failed' });
    expect(usePrinting.getState().bySale.get(7)?.jobId).toBe('p3');
    apply({ saleId: 7, ok: false, message: null, jobId: 'p4', kind: 'drawer', state: 'failed' });
    expect(usePrinting.getState().bySale.get(7)?.jobId).toBe('p3');
  });
});
