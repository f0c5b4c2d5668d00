// The checkout's key map, one source of truth: the core validates a manager's changes with it, the
// renderer's handlers and the on-screen legend both read the resolved map, so the legend always
// says what the key does. Peers disagree on keys; the defaults follow the most common Brazilian
// habits (F10 or Enter on an empty field to pay, `qty*code`).

export const CHECKOUT_ACTIONS = [
  'settings',
  'search',
  'customer',
  'itemDiscount',
  'saleDiscount',
  'cancelItem',
  'cancelSale',
  'history',
  'contingency',
  'pay',
  'quantity',
  'park',
  'reprint',
  'register',
  'reports',
  'looseItem',
] as const;
export type CheckoutAction = (typeof CHECKOUT_ACTIONS)[number];

/** Keys a manager may assign: the F-keys and Insert and PageUp/PageDown (keys a scanner never sends and text fields do not need). */
export const ASSIGNABLE_KEYS = ['F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'F10', 'F11', 'F12', 'Insert', 'PageUp', 'PageDown', 'End'] as const;
export type AssignableKey = (typeof ASSIGNABLE_KEYS)[number];

export interface ActionInfo {
  label: string;
  managerOnly?: boolean;
}

export const ACTION_INFO: Record<CheckoutAction, ActionInfo> = {
  settings: { label: 'Configurações', managerOnly: true },
  search: { label: 'Buscar produto' },
  customer: { label: 'CPF/CNPJ na nota' },
  itemDiscount: { label: 'Desconto no item' },
  saleDiscount: { label: 'Desconto na venda' },
  cancelItem: { label: 'Cancelar item' },
  cancelSale: { label: 'Cancelar venda' },
  history: { label: 'Vendas' },
  contingency: { label: 'Contingência', managerOnly: true },
  pay: { label: 'Pagamento' },
  quantity: { label: 'Quantidade' },
  park: { label: 'Espera / recuperar' },
  reprint: { label: 'Reimprimir cupom' },
  register: { label: 'Caixa (abertura, sangria, fechamento)' },
  reports: { label: 'Relatórios', managerOnly: true },
  looseItem: { label: 'Item avulso' },
};

export const DEFAULT_KEYS: Record<CheckoutAction, AssignableKey> = {
  settings: 'F1',
  search: 'F2',
  customer: 'F3',
  itemDiscount: 'F4',
  saleDiscount: 'F5',
  cancelItem: 'F6',
  cancelSale: 'F7',
  history: 'F8',
  contingency: 'F9',
  pay: 'F10',
  quantity: 'F11',
  park: 'F12',
  reprint: 'Insert',
  register: 'PageUp',
  reports: 'PageDown',
  looseItem: 'End',
};

/** The manager's changes to DEFAULT_KEYS (validated by shared/keymap-schema.ts at the boundary). */
export type KeyMapOverrides = Partial<Record<CheckoutAction, AssignableKey>>;

export type KeyMap = Record<CheckoutAction, AssignableKey>;

export function resolveKeyMap(overrides: KeyMapOverrides | undefined): KeyMap {
  return { ...DEFAULT_KEYS, ...(overrides ?? {}) };
}

/** Pairs of actions sharing one key, with the key: empty when the map is usable. */
export function keyMapConflicts(map: KeyMap): { key: AssignableKey; actions: [CheckoutAction, CheckoutAction] }[] {
  const seen = new Map<AssignableKey, CheckoutAction>();
  const out: { key: AssignableKey; actions: [CheckoutAction, CheckoutAction] }[] = [];
  for (const action of CHECKOUT_ACTIONS) {
    const key = map[action];
    const first = seen.get(key);
    if (first) out.push({ key, actions: [first, action] });
    else seen.set(key, action);
  }
  return out;
}

/** Only the changes from the defaults are stored, so a new default reaches shops that kept theirs. */
export function overridesOf(map: KeyMap): KeyMapOverrides {
  const out: KeyMapOverrides = {};
  for (const action of CHECKOUT_ACTIONS) if (map[action] !== DEFAULT_KEYS[action]) out[action] = map[action];
  return out;
}

/** The action a key triggers in this map, or null. */
export function actionForKey(map: KeyMap, key: string): CheckoutAction | null {
  for (const action of CHECKOUT_ACTIONS) if (map[action] === key) return action;
  return null;
}
