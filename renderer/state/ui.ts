// Which screen and which dialog are up, and the one-line message under the code field. The code
// field takes focus back whenever no dialog or other screen needs the keyboard.
import { create } from 'zustand';
import type { TillProduct } from '../../shared/contract.ts';

export type Screen =
  | 'checkout'
  | 'payment'
  | 'history'
  | 'settings'
  | 'contingency'
  | 'operators'
  | 'audit'
  | 'opening'
  | 'catalog'
  | 'register'
  | 'reports'
  | 'store'
  | 'pixAttention';

export type Dialog =
  | { kind: 'cancelItem'; seq?: number }
  | { kind: 'cancelSale' }
  | { kind: 'itemDiscount' }
  | { kind: 'saleDiscount' }
  | { kind: 'customer' }
  | { kind: 'quantity'; seq?: number }
  | { kind: 'parked' }
  | { kind: 'looseItem' }
  | { kind: 'managerPin'; reason: string; onApproved: (pin: string) => void }
  | { kind: 'changePin' }
  | { kind: 'weight'; product: TillProduct; onWeight: (qtyE4: number) => void };

export interface Notice {
  tone: 'error' | 'info' | 'ok';
  text: string;
}

export interface UiState {
  screen: Screen;
  dialog: Dialog | null;
  notice: Notice | null;
  /** Bumped to ask the code field to take focus again. */
  focusTick: number;
  go(screen: Screen): void;
  open(dialog: Dialog): void;
  close(): void;
  say(notice: Notice | null): void;
  refocus(): void;
}

export const useUi = create<UiState>()((set) => ({
  screen: 'checkout',
  dialog: null,
  notice: null,
  focusTick: 0,
  go(screen) {
    set((s) => ({ screen, dialog: null, focusTick: s.focusTick + 1 }));
  },
  open(dialog) {
    set({ dialog });
  },
  close() {
    set((s) => ({ dialog: null, focusTick: s.focusTick + 1 }));
  },
  say(notice) {
    set({ notice });
  },
  refocus() {
    set((s) => ({ focusTick: s.focusTick + 1 }));
  },
}));
