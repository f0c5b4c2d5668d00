// The checkout's keys come from the manager's map (shared/keymap.ts, stored in the settings): the
// handlers and the on-screen legend both read useKeyMap(), so the legend says what the key does.
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
  return CHECKOUT_ACTIONS.map((action) => ({ key: map[action], action, label: ACTION_INFO[action].label, ...(ACTION_INFO[action].managerOnly ? { managerOnly: true } : {}) }));
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
  kind: 'cash' | 'card' | 'plain' | 'other';
}

/** tPag codes: 01 dinheiro, 03 crédito, 04 débito, 17 PIX dinâmico, 10/11 vales, 99 outros. */
export const PAYMENT_KEYS: readonly PaymentMethodKey[] = [
  { key: 'F2', method: '01', label: 'Dinheiro', kind: 'cash' },
  { key: 'F3', method: '03', label: 'Cartão de crédito', kind: 'card' },
  { key: 'F4', method: '04', label: 'Cartão de débito', kind: 'card' },
  { key: 'F5', method: '17', label: 'PIX', kind: 'plain' },
  { key: 'F6', method: '10', label: 'Vale-alimentação', kind: 'plain' },
  { key: 'F7', method: '11', label: 'Vale-refeição', kind: 'plain' },
  { key: 'F8', method: '99', label: 'Outros', kind: 'other' },
];

export function paymentLabel(method: string): string {
  return PAYMENT_KEYS.find((k) => k.method === method)?.label ?? `Forma ${method}`;
}

/** Keys the app owns: the browser must never act on them (F5 reload, F3 find, F11 full screen, F12 tools). */
export const FKEY = /^F([1-9]|1[0-2])$/;
