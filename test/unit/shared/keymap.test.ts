import { describe, expect, it } from 'vitest';
import { actionForKey, DEFAULT_KEYS, keyMapConflicts, overridesOf, resolveKeyMap } from '../../../shared/keymap.ts';
import { KeyMapOverrides } from '../../../shared/keymap-schema.ts';

describe('the checkout key map', () => {
  it('has no conflict by default and resolves a key to its action', () => {
    const map = resolveKeyMap({});
    expect(keyMapConflicts(map)).toEqual([]);
    expect(actionForKey(map, 'F10')).toBe('pay');
    expect(actionForKey(map, 'Insert')).toBe('reprint');
    expect(actionForKey(map, 'x')).toBeNull();
  });

  it('finds one key given to two actions', () => {
    expect(keyMapConflicts(resolveKeyMap({ pay: 'F2' }))).toEqual([{ key: 'F2', actions: ['search', 'pay'] }]);
    expect(keyMapConflicts(resolveKeyMap({ pay: 'F12', park: 'F10' }))).toEqual([]);
  });

  it('stores only what differs from the defaults', () => {
    expect(overridesOf({ ...DEFAULT_KEYS, pay: 'F12', park: 'F10' })).toEqual({ pay: 'F12', park: 'F10' });
    expect(overridesOf(DEFAULT_KEYS)).toEqual({});
  });

  it('refuses unknown actions and keys a scanner or a text field needs', () => {
    expect(KeyMapOverrides.safeParse({ pay: 'Enter' }).success).toBe(false);
    expect(KeyMapOverrides.safeParse({ pay: 'Home' }).success).toBe(false);
    expect(KeyMapOverrides.safeParse({ fly: 'F2' }).success).toBe(false);
    expect(KeyMapOverrides.safeParse({ pay: 'PageDown' }).success).toBe(true);
  });
});
