// The items of the sale being rung up, newest at the bottom and always in view.
import { memo } from 'react';
import { formatBRL, formatQty } from '../../../shared/money.ts';
import { VirtualList } from '../../components/VirtualList.tsx';
import { useCart } from '../../state/cart.ts';
import { lineGross, lineNet } from '../../../shared/cart.ts';
import type { CartLine } from '../../state/cart-logic.ts';

// Two lines of name fit: a long product name wraps instead of being cut to a few letters.
const ROW = 50;

/**
 * One line. A scan adds a line without touching the others (the store keeps their objects), so the
 * rows already on screen are not rendered again for each new item.
 */
const ItemRow = memo(function ItemRow({ line: l }: { line: CartLine }) {
  return (
    <div className={`item-row ${l.cancelled ? 'cancelled' : ''}`} data-testid="item-row" data-seq={l.seq} data-cancelled={l.cancelled}>
      <span className="seq">{String(l.seq).padStart(3, '0')}</span>
      <span className="desc" title={`${l.description} · código ${l.code}`}>
        <span className="desc-name" data-testid="item-name">
          {l.description}
        </span>
        {l.cancelled ? <em className="tag"> CANCELADO</em> : null}
        {l.discountCents > 0 ? <em className="tag"> desc. {formatBRL(l.discountCents)}</em> : null}
      </span>
      <span className="num qty-price" data-testid="item-qty">
        {formatQty(l.qtyE4, l.unit)} {l.unit} × {formatBRL(l.unitPriceCents)}
      </span>
      <span className="num" data-testid="item-total">
        {formatBRL(l.cancelled ? lineGross(l.qtyE4, l.unitPriceCents) : lineNet(l))}
      </span>
    </div>
  );
});

export function ItemList() {
  const lines = useCart((s) => s.lines);
  if (lines.length === 0) {
    return (
      <div className="items items-empty" data-testid="item-list" data-count={0}>
        <p>Caixa livre. Passe o primeiro produto.</p>
      </div>
    );
  }
  return (
    <div className="items">
      <div className="item-head">
        <span>#</span>
        <span>Descrição</span>
        <span className="num">Qtd × Preço</span>
        <span className="num">Total</span>
      </div>
      <VirtualList
        count={lines.length}
        rowHeight={ROW}
        stickToEnd
        testId="item-list"
        renderRow={(i) => {
          const l = lines[i];
          return l ? <ItemRow line={l} /> : null;
        }}
      />
    </div>
  );
}
