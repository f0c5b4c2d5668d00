// Cancel the sale in progress (nothing was sent yet): confirm, then the till is free.
import { formatBRL } from '../../../shared/money.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { useCart } from '../../state/cart.ts';
import { computeTotals } from '../../state/cart-logic.ts';
import { useUi } from '../../state/ui.ts';
import { useSession } from '../../state/session.ts';
import { pos } from '../../pos.ts';
import { needsManagerApproval } from './approval.ts';
import { abandonDraftPix } from '../../state/payment.ts';

export function CancelSaleDialog() {
  const lines = useCart((s) => s.lines);
  const discount = useCart((s) => s.saleDiscountCents);
  const t = computeTotals(lines, discount, []);
  const close = () => useUi.getState().close();
  function confirm() {
    const done = () => {
      // For the X/Z reports (vendas canceladas); the cart is freed whatever the answer.
      void pos()
        .register.cartCancelled({ lines: t.itemCount, totalCents: t.totalCents })
        .catch(() => {});
      void abandonDraftPix(useCart.getState().clientId);
      useCart.getState().reset();
      useUi.getState().say({ tone: 'info', text: 'Venda cancelada. Caixa livre.' });
      useUi.getState().close();
    };
    const { settings, operator } = useSession.getState();
    if (t.itemCount > 0 && needsManagerApproval(t.totalCents, settings?.cancelSaleApprovalAboveCents ?? 0, operator?.role)) {
      useUi.getState().open({
        kind: 'managerPin',
        reason: `Cancelar a venda em andamento (${formatBRL(t.totalCents)}) precisa da autorização do gerente.`,
        onApproved: done,
      });
      return;
    }
    done();
  }
  return (
    <Dialog title="Cancelar a venda em andamento?" testId="cancel-sale-dialog" onClose={close}>
      <p className="dialog-text">
        {t.itemCount} {t.itemCount === 1 ? 'item' : 'itens'}, total {formatBRL(t.totalCents)}. Nenhuma nota foi emitida para esta venda.
      </p>
      <div className="dialog-actions">
        <button type="button" onClick={close}>
          Não, continuar a venda (Esc)
        </button>
        <button
          type="button"
          className="danger"
          data-autofocus
          data-testid="confirm-cancel-sale"
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              confirm();
            }
          }}
          onClick={confirm}
        >
          Sim, cancelar a venda (Enter)
        </button>
      </div>
    </Dialog>
  );
}
