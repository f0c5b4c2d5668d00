// Whether this terminal's register is open (never the expected amounts: the closing is blind).
// Read at login and after every register action; the checkout shows a line while it is closed.
import { create } from 'zustand';
import type { RegisterStateView } from '../../shared/contract.ts';
import { call, pos } from '../pos.ts';

export interface RegisterStore {
  view: RegisterStateView | null;
  refresh(): Promise<void>;
  set(view: RegisterStateView): void;
}

export const useRegister = create<RegisterStore>()((set) => ({
  view: null,
  async refresh() {
    try {
      set({ view: await call(pos().register.state({})) });
    } catch {
      // The checkout still works; the core refuses a sale with its own sentence if it must.
    }
  },
  set(view) {
    set({ view });
  },
}));

export function registerClosed(v: RegisterStateView | null): boolean {
  return v !== null && v.required && v.session === null;
}
