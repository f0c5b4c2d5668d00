import { describe, expect, it } from 'vitest';
import { pinProblem } from '../../../shared/pin.ts';

describe('PIN rule', () => {
  it.each([
    ['4826', null],
    ['50713', null],
    ['83920417', null],
    ['123', 'format'],
    ['123456789', 'format'],
    ['12a4', 'format'],
    ['', 'format'],
    ['0000', 'repeated'],
    ['99999999', 'repeated'],
    ['1234', 'sequential'],
    ['2345', 'sequential'],
    ['9876', 'sequential'],
    ['7890', 'sequential'],
    ['3210', 'sequential'],
    ['1212', 'pattern'],
    ['474747', 'pattern'],
    ['1990', 'pattern'],
    ['2024', 'pattern'],
  ] as const)('%s → %s', (pin, problem) => {
    expect(pinProblem(pin)).toBe(problem);
  });
});
