// What the customer sees, sent from the till's window to the customer display (a second page in
// the browser host, a second window on the second screen in Electron) over a BroadcastChannel of
// the same origin: no secret and no core call ever reaches the customer's screen.
export const CUSTOMER_CHANNEL = 'balcao.customer.v1';
export const CUSTOMER_HASH = '#cliente';

export interface CustomerLine {
  seq: number;
  description: string;
  qty: string;
  totalCents: number;
}

export interface CustomerView {
  phase: 'idle' | 'selling' | 'paying' | 'done';
  lines: CustomerLine[];
  totalCents: number;
  paidCents: number;
  changeCents: number;
  /** A PIX charge waiting for the customer's payment: its BR Code (drawn as a QR) and amount. */
  pix: CustomerPix | null;
}

export interface CustomerPix {
  brCode: string;
  amountCents: number;
  /** ISO instant the charge expires; null for a static code. */
  expiresAt: string | null;
}

/** hello: a display is open (it asks for the view); ping: a till that just started asks who is there. */
export type CustomerMessage = { type: 'view'; view: CustomerView } | { type: 'hello' } | { type: 'ping' };

export const IDLE_VIEW: CustomerView = { phase: 'idle', lines: [], totalCents: 0, paidCents: 0, changeCents: 0, pix: null };

export function isCustomerMessage(data: unknown): data is CustomerMessage {
  if (!data || typeof data !== 'object') return false;
  const t = (data as { type?: unknown }).type;
  return t === 'hello' || t === 'ping' || (t === 'view' && typeof (data as { view?: unknown }).view === 'object');
}
