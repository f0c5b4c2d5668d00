// Total, paid, still due and troco: the numbers the cashier reads aloud.
import { formatBRL } from '../../../shared/money.ts';
import type { Totals } from '../../state/cart-logic.ts';

export function PaymentSummary({ totals }: { totals: Totals }) {
  return (
    <section className="pay-summary">
      <div>
        <span>Total</span>
        <strong data-testid="pay-total">{formatBRL(totals.totalCents)}</strong>
      </div>
      <div>
        <span>Pago</span>
        <strong data-testid="pay-paid">{formatBRL(totals.paidCents)}</strong>
      </div>
      <div className={totals.remainingCents > 0 ? 'due' : 'covered'}>
        <span>Falta pagar</span>
        <strong data-testid="pay-remaining" data-cents={totals.remainingCents}>
          {formatBRL(totals.remainingCents)}
        </strong>
      </div>
      <div className={totals.changeCents > 0 ? 'change' : ''}>
        <span>Troco</span>
        <strong data-testid="pay-change" data-cents={totals.changeCents}>
          {formatBRL(totals.changeCents)}
        </strong>
      </div>
    </section>
  );
}
