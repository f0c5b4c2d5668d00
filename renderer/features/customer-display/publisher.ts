// The till's side of the customer display: publishes the cart, the payment and the last sale's
// change whenever they change, and answers a display that just opened.
import { formatQty } from '../../../shared/money.ts';
import { useCart } from '../../state/cart.ts';
import { computeTotals } from '../../state/cart-logic.ts';
import { lineNet } from '../../../shared/cart.ts';
import { useEmission } from '../../state/emission.ts';
import { useUi } from '../../state/ui.ts';
import { usePixCharge } from '../../state/pix.ts';
import { pixPhase } from '../pix/pix-logic.ts';
import { CUSTOMER_CHANNEL, IDLE_VIEW, isCustomerMessage, type CustomerPix, type CustomerView } from './channel.ts';

/** The QR goes to the customer only while it can be paid. */
export function customerPix(now: number): CustomerPix | null {
  const v = usePixCharge.getState().current;
  if (!v?.brCode) return null;
  const phase = pixPhase(v, now);
  if (phase !== 'waiting' && phase !== 'static') return null;
  return { brCode: v.brCode, amountCents: v.amountCents, expiresAt: v.expiresAt };
}

/** The last sale's change stays on the customer's screen this long after payment. */
const DONE_SHOWN_MS = 60_000;

export function customerView(now: number): CustomerView {
  const cart = useCart.getState();
  const active = cart.lines.filter((l) => !l.cancelled);
  if (active.length === 0) {
    const last = useEmission.getState().lastSale;
    if (last && now - last.finishedAt < DONE_SHOWN_MS) {
      return { ...IDLE_VIEW, phase: 'done', totalCents: last.totalCents, paidCents: last.totalCents + last.changeCents, changeCents: last.changeCents };
    }
    return IDLE_VIEW;
  }
  const t = computeTotals(cart.lines, cart.saleDiscountCents, cart.payments);
  return {
    phase: useUi.getState().screen === 'payment' ? 'paying' : 'selling',
    // The newest lines matter to the customer; a 990-item sale does not need to cross whole.
    lines: active.slice(-100).map((l) => ({ seq: l.seq, description: l.description, qty: `${formatQty(l.qtyE4, l.unit)} ${l.unit}`, totalCents: lineNet(l) })),
    totalCents: t.totalCents,
    paidCents: t.paidCents,
    changeCents: t.changeCents,
    pix: customerPix(now),
  };
}

/** Starts publishing; returns the stop function. No-op where BroadcastChannel is missing. */
export function startCustomerPublisher(): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => {};
  const channel = new BroadcastChannel(CUSTOMER_CHANNEL);
  let scheduled = false;
  // Nothing is built or posted until a display says it is there: most tills have none, and a scan
  // should not pay for a screen nobody looks at.
  let displayOpen = false;
  // Coalesced to one message per task: a burst of scans costs one post, after the line rendered.
  const publish = () => {
    if (scheduled || !displayOpen) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      channel.postMessage({ type: 'view', view: customerView(Date.now()) });
    }, 0);
  };
  channel.onmessage = (e: MessageEvent) => {
    if (!isCustomerMessage(e.data) || e.data.type !== 'hello') return;
    displayOpen = true;
    publish();
  };
  const offs = [
    useCart.subscribe(publish),
    useEmission.subscribe((s, prev) => s.lastSale !== prev.lastSale && publish()),
    useUi.subscribe((s, prev) => s.screen !== prev.screen && publish()),
    usePixCharge.subscribe(publish),
  ];
  // A display opened before this page (a reload of the till) answers with hello.
  channel.postMessage({ type: 'ping' });
  return () => {
    for (const off of offs) off();
    channel.close();
  };
}
