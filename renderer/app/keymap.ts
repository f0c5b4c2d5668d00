// The F-key map, one place: the handlers and the on-screen legend both read it, so what the legend
// says is what the key does. Peers disagree on keys; these follow the most common Brazilian habits
// (Enter on an empty field or F10 to pay, `qty*code`, F-keys per payment method).
export type CheckoutAction =
  | 'settings'
  | 'search'
  | 'customer'
  | 'itemDiscount'
  | 'saleDiscount'
  | 'cancelItem'
  | 'cancelSale'
  | 'history'
  | 'contingency'
  | 'pay'
  | 'register'
  | 'reports';

export interface KeyBinding<A extends string> {
  key: string;
  label: string;
  action: A;
  managerOnly?: boolean;
}

export const CHECKOUT_KEYS: readonly KeyBinding<CheckoutAction>[] = [
  { key: 'F1', label: 'Configurações', action: 'settings', managerOnly: true },
  { key: 'F2', label: 'Buscar produto', action: 'search' },
  { key: 'F3', label: 'CPF/CNPJ na nota', action: 'customer' },
  { key: 'F4', label: 'Desconto no item', action: 'itemDiscount' },
  { key: 'F5', label: 'Desconto na venda', action: 'saleDiscount' },
  { key: 'F6', label: 'Cancelar item', action: 'cancelItem' },
  { key: 'F7', label: 'Cancelar venda', action: 'cancelSale' },
  { key: 'F8', label: 'Vendas', action: 'history' },
  { key: 'F9', label: 'Contingência', action: 'contingency', managerOnly: true },
  { key: 'F10', label: 'Pagamento', action: 'pay' },
  { key: 'F11', label: 'Caixa', action: 'register' },
  { key: 'F12', label: 'Relatórios', action: 'reports', managerOnly: true },
];

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

export const FKEY = /^F([1-9]|1[0-2])$/;
