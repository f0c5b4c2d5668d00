// The payments entered so far (split payment), each removable.
import { formatBRL } from '../../../shared/money.ts';
import { brandLabel } from '../../../shared/fiscal/tpag.ts';
import type { Payment } from '../../../shared/sale.ts';
import { paymentLabel } from '../../../shared/fiscal/tpag.ts';
import { removePaymentAt } from '../../state/payment.ts';
import type { Totals } from '../../state/cart-logic.ts';

export function PaymentList({ payments, totals }: { payments: Payment[]; totals: Totals }) {
  return (
    <section className="pay-list">
      <h3>Pagamentos</h3>
      {payments.length === 0 ? <p className="hint">Nenhum pagamento ainda.</p> : null}
      <ul>
        {payments.map((p, i) => (
          <li key={i} data-testid="payment-row" data-method={p.method}>
            <span>
              {paymentLabel(p.method, p.description)}
              {p.card?.brand ? ` · ${brandLabel(p.card.brand)}` : ''}
              {p.card?.authorization ? ` · aut. ${p.card.authorization}` : ''}
              {p.pixTxid ? (p.method === '20' ? ' · não confirmado' : ' · confirmado pelo banco') : ''}
            </span>
            <span className="money">{formatBRL(p.amountCents)}</span>
            <button type="button" className="link-button" onClick={() => void removePaymentAt(i)} aria-label="Remover pagamento">
              remover
            </button>
          </li>
        ))}
      </ul>
      {totals.changeCents > 0 ? (
        <p className="change-line" data-testid="change-line">
          Troco: <strong>{formatBRL(totals.changeCents)}</strong>
        </p>
      ) : null}
    </section>
  );
}
