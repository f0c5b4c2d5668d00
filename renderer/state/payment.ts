// The finalize call: exactly one sale per clientId, however many times Enter is pressed or the call
// is retried after a lost answer (the core deduplicates by clientId; this guards the UI side).
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { ChannelOutputs } from '../../shared/contract.ts';
import { formatBRL } from '../../shared/money.ts';
import { MANAGER_PIN_REFUSALS } from '../../shared/errors.ts';
import { call, messageOf, PosCallError, pos } from '../pos.ts';
import { useCart } from './cart.ts';
import { buildDraft, computeTotals } from './cart-logic.ts';
import { useEmission } from './emission.ts';
import { useSearch } from './search.ts';
import { useUi } from './ui.ts';
import { createFinalizeQueue, type QueuedSale, type QueueState, type ReturnedSale } from './finalize-queue.ts';

export interface PaymentUiState {
  error: string | null;
  /** Error codes from the core that a manager PIN resolves (discount above the limit). */
  needsManager: boolean;
  setError(error: string | null): void;
}

export const usePaymentUi = create<PaymentUiState>()((set) => ({
  error: null,
  needsManager: false,
  setError(error) {
    set({ error, needsManager: false });
  },
}));

/**
 * The sale in progress was cancelled: its live charges are removed at the PSP, and a PIX the bank
 * already confirmed goes to the manager's list (refund) instead of waiting hours to be noticed.
 */
export async function abandonDraftPix(clientId: string | null): Promise<void> {
  if (!clientId) return;
  try {
    const charges = await call(pos().pix.forDraft({ clientId }));
    for (const c of charges) {
      if (c.state === 'creating' || c.state === 'active' || c.state === 'paid') await call(pos().pix.cancel({ txid: c.txid }));
    }
  } catch {
    // The core keeps what it could not remove: unpaid charges expire at the PSP, paid ones reach the manager.
  }
}

/**
 * Takes a payment off the draft. A PIX the bank already confirmed is money received: its charge is
 * handed to the manager's list (refund) instead of vanishing with the line.
 */
export async function removePaymentAt(index: number): Promise<void> {
  const p = useCart.getState().payments[index];
  if (!p) return;
  useCart.getState().removePayment(index);
  if (!p.pixTxid) return;
  try {
    const after = await call(pos().pix.cancel({ txid: p.pixTxid }));
    if (after.state === 'orphan') usePaymentUi.getState().setError('Pix removido da venda: o valor recebido ficou na lista do gerente para devolver.');
  } catch (err) {
    usePaymentUi.getState().setError(messageOf(err));
  }
}

/** The in-flight strip shows these: sent, not answered yet, and refused ones waiting to come back. */
export const useFinalizeQueue = create<QueueState>()(
  persist(() => ({ pending: [] as QueuedSale[], returned: [] as ReturnedSale[] }), {
    name: 'balcao.finalize.v1',
    version: 1,
    storage: createJSONStorage(() => localStorage),
  }),
);

// A manager's PIN for an override lives in memory only, never in localStorage: a sale re-sent after
// a restart without it is refused and comes back for the PIN.
const managerPins = new Map<string, string>();

const queue = createFinalizeQueue<ChannelOutputs['sales.finalize']>({
  send(sale) {
    const c = sale.snapshot;
    const draft = buildDraft({
      clientId: c.clientId,
      lines: c.lines,
      saleDiscountCents: c.saleDiscountCents,
      payments: c.payments,
      customerDocument: c.customerDocument,
      managerPin: managerPins.get(c.clientId) ?? null,
    });
    // background: the core answers once the sale is in the journal; the note authorizes while the
    // next customer's items are scanned, and its states arrive as 'emission.changed'.
    return call(pos().sales.finalize({ ...draft, background: true }));
  },
  read: () => useFinalizeQueue.getState(),
  write: (state) => useFinalizeQueue.setState(state, true),
  answered(sale, done) {
    managerPins.delete(sale.snapshot.clientId);
    useEmission.getState().apply(done.emission);
    useEmission.getState().setLastSale({ saleId: done.saleId, totalCents: sale.totalCents, changeCents: sale.changeCents, finishedAt: sale.paidAt });
  },
  returned(sale) {
    useUi.getState().say({ tone: 'error', text: returnedText(sale) });
    bringBackReturned();
  },
  describe(err) {
    return {
      code: err instanceof PosCallError ? err.code : 'unknown',
      message: messageOf(err),
      needsManager: err instanceof PosCallError && MANAGER_PIN_REFUSALS.includes(err.code),
    };
  },
});

function returnedText(sale: ReturnedSale): string {
  return `A venda de ${formatBRL(sale.totalCents)} NÃO foi registrada: ${sale.message} Ela volta para a tela de pagamento assim que o caixa ficar livre.`;
}

/**
 * A refused sale comes back on the payment screen, with its payments and clientId, as soon as the
 * till holds no other sale and no dialog is up (a sale started meanwhile is never overwritten).
 */
export function bringBackReturned(): void {
  const ui = useUi.getState();
  const cart = useCart.getState();
  if (useFinalizeQueue.getState().returned.length === 0) return;
  if (ui.screen !== 'checkout' || ui.dialog || cart.lines.length > 0 || cart.payments.length > 0) return;
  const sale = queue.takeReturned();
  if (!sale) return;
  useCart.getState().restoreSale(sale.snapshot);
  useSearch.getState().clear();
  ui.say(null);
  ui.go('payment');
  usePaymentUi.setState({ error: `Venda NÃO registrada: ${sale.message}`, needsManager: sale.needsManager });
}

/**
 * After a restart (or a reload) with sales still unanswered: send them again (same clientId, the
 * core keeps one sale per id). A cart that still holds one of them (the page died between writing
 * the queue and clearing the cart) is that same sale: cleared, not sold twice.
 */
export function resumeFinalizeQueue(): void {
  const cart = useCart.getState();
  const pending = useFinalizeQueue.getState().pending;
  if (cart.clientId && pending.some((p) => p.snapshot.clientId === cart.clientId)) cart.reset();
  queue.resume();
  bringBackReturned();
}

/**
 * The last payment key. Checks what the cashier can fix on this screen, then hands the sale to the
 * queue (durable first, then sent) and frees the till at once: the code field takes the next scan
 * without waiting for the core's answer, which lands in the in-flight strip.
 */
export function finalizeSale(): boolean {
  const cart = useCart.getState();
  if (cart.clientId && queue.inFlight(cart.clientId)) return false;
  const totals = computeTotals(cart.lines, cart.saleDiscountCents, cart.payments);
  if (totals.itemCount === 0) {
    usePaymentUi.setState({ error: 'A venda não tem itens. Volte (Esc) e passe os produtos.' });
    return false;
  }
  if (totals.remainingCents > 0) {
    usePaymentUi.setState({ error: `Ainda falta pagar ${formatBRL(totals.remainingCents)}. Escolha a forma de pagamento (F2 a F8).` });
    return false;
  }
  const clientId = cart.ensureClientId();
  if (cart.managerPin) managerPins.set(clientId, cart.managerPin);
  queue.submit({
    snapshot: {
      clientId,
      lines: cart.lines,
      nextSeq: cart.nextSeq,
      saleDiscountCents: cart.saleDiscountCents,
      customerDocument: cart.customerDocument,
      payments: cart.payments,
    },
    totalCents: totals.totalCents,
    changeCents: totals.changeCents,
    paidAt: Date.now(),
  });
  useCart.getState().reset();
  useSearch.getState().clear();
  usePaymentUi.setState({ error: null, needsManager: false });
  const ui = useUi.getState();
  ui.say({ tone: 'ok', text: totals.changeCents > 0 ? `Venda finalizada. Troco: ${formatBRL(totals.changeCents)}.` : 'Venda finalizada. Caixa livre.' });
  ui.go('checkout');
  return true;
}
