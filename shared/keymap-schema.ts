// The key map's schema, apart from shared/keymap.ts: the checkout reads the key map at startup and
// must not pull zod into the renderer's startup bundle; only settings (main, the contract) validate.
import { z } from 'zod';
import { ASSIGNABLE_KEYS, CHECKOUT_ACTIONS } from './keymap.ts';

export const KeyMapOverrides = z.partialRecord(z.enum(CHECKOUT_ACTIONS), z.enum(ASSIGNABLE_KEYS));
export type KeyMapOverrides = z.infer<typeof KeyMapOverrides>;
