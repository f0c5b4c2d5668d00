import { describe, expect, it } from 'vitest';
import { brDateToIso, todayLocal } from '../../../../../renderer/features/history/dates.ts';

describe('history dates', () => {
  it('shows today as dd/mm/aaaa in local time', () => {
    expect(todayLocal(new Date(2026, 10, 4, 23, 59))).toBe('04/11/2026');
  });
  it('reads dd/mm/aaaa into an ISO date and refuses impossible dates', () => {
    expect(brDateToIso('24/11/2026')).toBe('2026-11-24');
    expect(brDateToIso('1/2/2026')).toBe('2026-02-01');
    expect(brDateToIso('31/02/2026')).toBeNull();
    expect(brDateToIso('2026-11-24')).toBeNull();
    expect(brDateToIso('')).toBeNull();
  });
});
