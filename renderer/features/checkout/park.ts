// Put the sale being rung up aside (espera) in the core's durable list, and clear the till for the
// next customer. Payments already typed are dropped: nothing was charged yet.
import { formatBRL } from '../../../shared/money.ts';
import { call, messageOf, pos } from '../../pos.ts';
import { useCart } from '../../state/cart.ts';
import { computeTotals } from '../../state/cart-logic.ts';
import { useSearch } from '../../state/search.ts';
import { useUi } from '../../state/ui.ts';

export async function parkCurrentSale(parkKey: string): Promise<void> {
  const cart = useCart.getState();
  const totals = computeTotals(cart.lines, cart.saleDiscountCents, []);
  try {
    await call(
      pos().till.park({
        cart: {
          lines: cart.lines,
          nextSeq: cart.nextSeq,
          saleDiscountCents: cart.saleDiscountCents,
          customerDocument: cart.customerDocument,
          totalCents: totals.totalCents,
        },
      }),
    );
    useCart.getState().reset();
    useSearch.getState().clear();
    useUi.getState().say({ tone: 'info', text: `Venda de ${formatBRL(totals.totalCents)} em espera. Com o caixa livre, ${parkKey} recupera.` });
  } catch (err) {
    useUi.getState().say({ tone: 'error', text: messageOf(err) });
  }
}
