// The F-key map, one place: the handlers and the on-screen legend both read it, so what the legend
// says is what the key does. Peers disagree on keys; these follow the most common Brazilian habits
// (Enter on an empty field or F10 to pay, `qty*code`, F-keys per payment method).
import { paymentLabel } from '../../shared/fiscal/tpag.ts';

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
  | 'pay';

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
];

export interface PaymentMethodKey {
  key: string;
  method: string;
  label: string;
  kind: 'cash' | 'card' | 'plain' | 'other';
}

const key = (k: string, method: string, kind: PaymentMethodKey['kind']): PaymentMethodKey => ({ key: k, method, label: paymentLabel(method), kind });

/** tPag codes: 01 dinheiro, 03 crédito, 04 débito, 17 PIX dinâmico, 10/11 vales, 99 outros; labels from the one tPag table. */
export const PAYMENT_KEYS: readonly PaymentMethodKey[] = [
  key('F2', '01', 'cash'),
  key('F3', '03', 'card'),
  key('F4', '04', 'card'),
  key('F5', '17', 'plain'),
  key('F6', '10', 'plain'),
  key('F7', '11', 'plain'),
  key('F8', '99', 'other'),
];

export const FKEY = /^F([1-9]|1[0-2])$/;
