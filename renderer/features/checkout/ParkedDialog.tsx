// The sales in espera, oldest first, each with its time and total: ↑ ↓ and Enter recall one.
import { useEffect, useState } from 'react';
import type { ParkedSale } from '../../../shared/contract.ts';
import { formatDateBR, formatTimeBR } from '../../../shared/datetime.ts';
import { formatBRL } from '../../../shared/money.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { call, messageOf, pos } from '../../pos.ts';
import { useCart, cartIsEmpty } from '../../state/cart.ts';
import { useUi } from '../../state/ui.ts';

export function ParkedDialog() {
  const [list, setList] = useState<ParkedSale[] | null>(null);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const close = () => useUi.getState().close();

  useEffect(() => {
    call(pos().till.parked({})).then(setList, (err: unknown) => setError(messageOf(err)));
  }, []);

  async function recall(p: ParkedSale | undefined) {
    if (!p) return;
    if (!cartIsEmpty(useCart.getState())) {
      setError('Termine ou ponha em espera a venda atual antes de recuperar outra.');
      return;
    }
    try {
      const cart = await call(pos().till.recall({ id: p.id }));
      useCart.getState().restore(cart);
      useUi.getState().say({ tone: 'info', text: `Venda de ${formatBRL(cart.totalCents)} recuperada. Continue passando os produtos.` });
      close();
    } catch (err) {
      setError(messageOf(err));
    }
  }

  return (
    <Dialog title="Vendas em espera" testId="parked-dialog" onClose={close}>
      <div
        tabIndex={0}
        data-autofocus
        className="parked-list"
        data-testid="parked-list"
        onKeyDown={(e) => {
          if (!list) return;
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((a) => Math.min(list.length - 1, a + 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(0, a - 1));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            void recall(list[active]);
          }
        }}
      >
        {list && list.length === 0 ? (
          <p className="hint" data-testid="parked-empty">
            Nenhuma venda em espera.
          </p>
        ) : null}
        {(list ?? []).map((p, i) => (
          <button
            type="button"
            key={p.id}
            className={`parked-row ${i === active ? 'active' : ''}`}
            data-testid="parked-row"
            data-total={p.totalCents}
            onClick={() => void recall(p)}
          >
            <span>
              {formatDateBR(p.parkedAt)} {formatTimeBR(p.parkedAt)}
            </span>
            <span className="muted">
              {p.operatorName} · {p.itemCount} {p.itemCount === 1 ? 'item' : 'itens'}
            </span>
            <strong className="money">{formatBRL(p.totalCents)}</strong>
          </button>
        ))}
      </div>
      <ErrorLine text={error} testId="parked-error" />
      <div className="dialog-actions">
        <button type="button" onClick={close}>
          Voltar (Esc)
        </button>
      </div>
    </Dialog>
  );
}
