// The big running total and what makes it up; the customer document when one was given.
import { formatBRL } from '../../../shared/money.ts';
import { useCart } from '../../state/cart.ts';
import { computeTotals } from '../../state/cart-logic.ts';
import { DocumentText } from './DocumentText.tsx';

export function TotalPanel() {
  const lines = useCart((s) => s.lines);
  const saleDiscount = useCart((s) => s.saleDiscountCents);
  const doc = useCart((s) => s.customerDocument);
  const t = computeTotals(lines, saleDiscount, []);
  const discount = t.itemDiscountCents + t.saleDiscountCents;
  return (
    <section className="total-panel">
      <div className="total-label">TOTAL</div>
      <div className="total-big" data-testid="sale-total" data-cents={t.totalCents}>
        {formatBRL(t.totalCents)}
      </div>
      <dl className="total-parts">
        <dt>Itens</dt>
        <dd data-testid="item-count">{t.itemCount}</dd>
        <dt>Subtotal</dt>
        <dd>{formatBRL(t.grossCents)}</dd>
        {discount > 0 ? (
          <>
            <dt>Descontos</dt>
            <dd data-testid="discount-total">− {formatBRL(discount)}</dd>
          </>
        ) : null}
        {doc ? (
          <>
            <dt>CPF/CNPJ na nota</dt>
            <dd data-testid="customer-doc">
              <DocumentText value={doc} />
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}
