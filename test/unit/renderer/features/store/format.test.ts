import { describe, expect, it } from 'vitest';
import { brMonthToIso, dayBR, thisMonthBR } from '../../../../../renderer/features/store/format.ts';

describe('the Loja screen dates', () => {
  it('reads mm/aaaa into the protocol month and refuses anything else', () => {
    expect(brMonthToIso('11/2026')).toBe('2026-11');
    expect(brMonthToIso(' 3/2026 ')).toBe('2026-03');
    expect(brMonthToIso('13/2026')).toBeNull();
    expect(brMonthToIso('00/2026')).toBeNull();
    expect(brMonthToIso('2026-11')).toBeNull();
    expect(brMonthToIso('11/26')).toBeNull();
  });
  it('shows this month as mm/aaaa and a protocol day as dd/mm/aaaa', () => {
    expect(thisMonthBR()).toMatch(/^\d{2}\/\d{4}$/);
    expect(dayBR('2026-11-30')).toBe('30/11/2026');
  });
});
