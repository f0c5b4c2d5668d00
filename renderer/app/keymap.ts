// The checkout's keys come from the manager's map (shared/keymap.ts, stored in the settings): the
// handlers and the on-screen legend both read useCheckoutBindings(), so the legend says what the
// key does. Payment keys stay fixed (F-keys per payment method, the most common Brazilian habit).
import { paymentLabel } from '../../shared/fiscal/tpag.ts';
import { ACTION_INFO, CHECKOUT_ACTIONS, resolveKeyMap, type CheckoutAction, type KeyMap } from '../../shared/keymap.ts';
import { useSession } from '../state/session.ts';

export type { CheckoutAction };

export interface KeyBinding<A extends string> {
  key: string;
  label: string;
  action: A;
  managerOnly?: boolean;
}

export function checkoutBindings(map: KeyMap): KeyBinding<CheckoutAction>[] {
  return CHECKOUT_ACTIONS.map((action) => ({
    key: map[action],
    action,
    label: ACTION_INFO[action].label,
    ...(ACTION_INFO[action].managerOnly ? { managerOnly: true } : {}),
  }));
}

/** The live bindings (re-rendered when the manager saves a new map). */
export function useCheckoutBindings(): KeyBinding<CheckoutAction>[] {
  const keyMap = useSession((s) => s.settings?.keyMap);
  return checkoutBindings(resolveKeyMap(keyMap));
}

export interface PaymentMethodKey {
  key: string;
  method: string;
  label: string;
  /** 'pix' opens the charge panel: a PIX payment exists only as a charge the PSP confirmed. */
  kind: 'cash' | 'card' | 'plain' | 'pix' | 'other';
}

const key = (k: string, method: string, kind: PaymentMethodKey['kind']): PaymentMethodKey => ({ key: k, method, label: paymentLabel(method), kind });

/** tPag codes: 01 dinheiro, 03 crédito, 04 débito, 17 PIX dinâmico, 10/11 vales, 99 outros; labels from the one tPag table. */
export const PAYMENT_KEYS: readonly PaymentMethodKey[] = [
  key('F2', '01', 'cash'),
  key('F3', '03', 'card'),
  key('F4', '04', 'card'),
  key('F5', '17', 'pix'),
  key('F6', '10', 'plain'),
  key('F7', '11', 'plain'),
  key('F8', '99', 'other'),
];

/** Keys the app owns: the browser must never act on them (F5 reload, F3 find, F11 full screen, F12 tools). */
export const FKEY = /^F([1-9]|1[0-2])$/;
