import { describe, expect, it } from 'vitest';
import type { EmissionState, EmissionView } from '../../../../shared/emission.ts';
import { AutoPrint } from '../../../../main/core/auto-print.ts';

const v = (saleId: number, state: EmissionState) => ({ saleId, state }) as EmissionView;

describe('receipts that print themselves', () => {
  it('prints once when authorized or in Focus contingency, never for a problem or an unknown sale', () => {
    const printed: number[] = [];
    const auto = new AutoPrint((id) => printed.push(id));
    auto.expect(v(1, 'pending'));
    auto.expect(v(2, 'sending'));
    auto.expect(v(3, 'pending'));
    auto.expect(v(4, 'pending'));
    auto.changed(v(1, 'sending'));
    auto.changed(v(1, 'authorized'));
    auto.changed(v(1, 'authorized'));
    auto.changed(v(2, 'contingency_focus'));
    auto.changed(v(3, 'rejected'));
    auto.changed(v(3, 'authorized')); // a later resend: printed from Vendas, not by itself
    auto.changed(v(4, 'contingency')); // the offline flow prints its own two copies
    auto.changed(v(9, 'authorized'));
    expect(printed).toEqual([1, 2]);
    expect(auto.waiting()).toBe(0);
  });

  it('prints at once a sale already authorized when it is handed over', () => {
    const printed: number[] = [];
    new AutoPrint((id) => printed.push(id)).expect(v(5, 'authorized'));
    expect(printed).toEqual([5]);
  });
});
