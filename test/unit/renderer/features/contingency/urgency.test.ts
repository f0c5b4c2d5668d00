import { describe, expect, it } from 'vitest';
import { urgencyOf } from '../../../../../renderer/features/contingency/urgency.ts';

const H = 3_600_000;

describe('urgencyOf', () => {
  it('alerts at 12 h of age and marks the note late at 24 h', () => {
    expect(urgencyOf(23 * H)).toBe('ok');
    expect(urgencyOf(12 * H + 1)).toBe('ok');
    expect(urgencyOf(12 * H)).toBe('warn');
    expect(urgencyOf(1)).toBe('warn');
    expect(urgencyOf(0)).toBe('late');
    expect(urgencyOf(-5 * H)).toBe('late');
  });
});
