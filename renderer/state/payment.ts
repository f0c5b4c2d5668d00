// The finalize call: exactly one sale per clientId, however many times Enter is pressed or the call
// is retried after a lost answer (the core deduplicates by clientId; this guards the UI side).
import { create } from 'zustand';
import { formatBRL } from '../../shared/money.ts';
import { MANAGER_PIN_REFUSALS } from '../../shared/errors.ts';
import { call, messageOf, PosCallError, pos } from '../pos.ts';
import { useCart } from './cart.ts';
import { buildDraft, computeTotals } from './cart-logic.ts';
import { useEmission } from './emission.ts';
import { useSearch } from './search.ts';
import { useUi } from './ui.ts';

export interface PaymentUiState {
  finalizing: boolean;
  error: string | null;
  /** Error codes from the core that a manager PIN resolves (discount above the limit). */
  needsManager: boolean;
  setError(error: string | null): void;
}

export const usePaymentUi = create<PaymentUiState>()((set) => ({
  finalizing: false,
  error: null,
  needsManager: false,
  setError(error) {
    set({ error, needsManager: false });
  },
}));

let inFlight = false;

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

export async function finalizeSale(): Promise<boolean> {
  if (inFlight) return false;
  const cart = useCart.getState();
  const totals = computeTotals(cart.lines, cart.saleDiscountCents, cart.payments);
  if (totals.itemCount === 0) {
    usePaymentUi.setState({ error: 'A venda não tem itens. Volte (Esc) e passe os produtos.' });
    return false;
  }
  if (totals.remainingCents > 0) {
    usePaymentUi.setState({ error: `Ainda falta pagar ${formatBRL(totals.remainingCents)}. Escolha a forma de pagamento (F2 a F8).` });
    return false;
  }
  inFlight = true;
  usePaymentUi.setState({ finalizing: true, error: null, needsManager: false });
  const clientId = cart.ensureClientId();
  const draft = buildDraft({
    clientId,
    lines: cart.lines,
    saleDiscountCents: cart.saleDiscountCents,
    payments: cart.payments,
    customerDocument: cart.customerDocument,
    managerPin: cart.managerPin,
  });
  try {
    // background: the core answers once the sale is in the journal; the note authorizes while the
    // next customer's items are scanned, and its states arrive as 'emission.changed'.
    const done = await call(pos().sales.finalize({ ...draft, background: true }));
    useEmission.getState().apply(done.emission);
    useEmission.getState().setLastSale({
      saleId: done.saleId,
      totalCents: totals.totalCents,
      changeCents: totals.changeCents,
      finishedAt: Date.now(),
    });
    useCart.getState().reset();
    useSearch.getState().clear();
    const ui = useUi.getState();
    ui.say({ tone: 'ok', text: totals.changeCents > 0 ? `Venda registrada. Troco: ${formatBRL(totals.changeCents)}.` : 'Venda registrada. Caixa livre.' });
    ui.go('checkout');
    usePaymentUi.setState({ finalizing: false });
    return true;
  } catch (err) {
    const needsManager = err instanceof PosCallError && MANAGER_PIN_REFUSALS.includes(err.code);
    usePaymentUi.setState({ finalizing: false, error: messageOf(err), needsManager });
    return false;
  } finally {
    inFlight = false;
  }
}
