// The checkout: code field on top (always focused), the live search list, the items, the big total,
// and the card of the last sale (emission live, receipt) that never blocks the next one.
import { useCart, cartIsEmpty } from '../../state/cart.ts';
import { isManager, useSession } from '../../state/session.ts';
import { useSearch } from '../../state/search.ts';
import { useUi } from '../../state/ui.ts';
import { usePaymentUi } from '../../state/payment.ts';
import { useKeys } from '../../app/useKeys.ts';
import { useCheckoutBindings, type CheckoutAction } from '../../app/keymap.ts';
import { useEmission } from '../../state/emission.ts';
import { messageOf } from '../../pos.ts';
import { reprint } from '../sale-result/reprint.ts';
import { parkCurrentSale } from './park.ts';
import { InFlightStrip } from './InFlightStrip.tsx';
import { resolveKeyMap } from '../../../shared/keymap.ts';
import { CodeField } from './CodeField.tsx';
import { SearchResults } from './SearchResults.tsx';
import { ItemList } from './ItemList.tsx';
import { TotalPanel } from './TotalPanel.tsx';
import { NoticeLine } from './NoticeLine.tsx';
import { SaleResultCard } from '../sale-result/SaleResultCard.tsx';
import { afterPendingEntries } from './add-item.ts';
import { registerClosed, useRegister } from '../../state/register.ts';

/** While this terminal's register is closed (and the setting requires it), say how to open it. */
function RegisterClosedLine() {
  const closed = useRegister((s) => registerClosed(s.view));
  const key = useCheckoutBindings().find((b) => b.action === 'register')?.key ?? 'PageUp';
  if (!closed) return null;
  return (
    <p className="warn-line" role="status" data-testid="register-closed-line">
      Caixa fechado: faça a abertura ({key}) com o fundo de troco para poder vender.
    </p>
  );
}

function bindingKey(action: CheckoutAction): string {
  return resolveKeyMap(useSession.getState().settings?.keyMap)[action];
}

function needItems(): boolean {
  if (!cartIsEmpty(useCart.getState())) return true;
  useUi.getState().say({ tone: 'info', text: 'A venda ainda não tem itens. Passe um produto primeiro.' });
  return false;
}

export function openPayment(): void {
  if (!needItems()) return;
  useSearch.getState().clear();
  useCart.getState().ensureClientId();
  useUi.getState().say(null);
  usePaymentUi.getState().setError(null);
  useUi.getState().go('payment');
}

export function runCheckoutAction(action: CheckoutAction): void {
  const ui = useUi.getState();
  const manager = isManager(useSession.getState());
  switch (action) {
    case 'settings':
    case 'contingency':
    case 'reports':
      if (!manager) {
        ui.say({ tone: 'error', text: 'Só o gerente abre esta tela. Peça ao gerente para entrar (Trocar operador).' });
        return;
      }
      ui.go(action);
      return;
    case 'search': {
      const s = useSearch.getState();
      if (s.forced) s.clear();
      else s.setForced(true);
      ui.refocus();
      return;
    }
    case 'customer':
      ui.open({ kind: 'customer' });
      return;
    case 'itemDiscount':
      if (needItems()) ui.open({ kind: 'itemDiscount' });
      return;
    case 'saleDiscount':
      if (needItems()) ui.open({ kind: 'saleDiscount' });
      return;
    case 'cancelItem':
      if (needItems()) ui.open({ kind: 'cancelItem' });
      return;
    case 'cancelSale':
      if (useCart.getState().lines.length === 0) {
        ui.say({ tone: 'info', text: 'Não há venda em andamento para cancelar.' });
        return;
      }
      ui.open({ kind: 'cancelSale' });
      return;
    case 'history':
      ui.go('history');
      return;
    case 'register':
      ui.go('register');
      return;
    case 'pay':
      openPayment();
      return;
    case 'quantity':
      if (needItems()) ui.open({ kind: 'quantity' });
      return;
    case 'looseItem':
      if (!useSession.getState().settings?.looseItem.enabled) {
        ui.say({ tone: 'error', text: 'Item avulso não está habilitado nesta loja. O gerente habilita em Cadastro de produtos › Perfis fiscais.' });
        return;
      }
      ui.open({ kind: 'looseItem' });
      return;
    case 'park':
      if (cartIsEmpty(useCart.getState())) ui.open({ kind: 'parked' });
      else void parkCurrentSale(bindingKey('park'));
      return;
    case 'reprint': {
      const last = useEmission.getState().lastSale;
      if (!last) {
        ui.say({ tone: 'info', text: 'Nenhuma venda neste caixa ainda. Para cupons antigos, abra Vendas.' });
        return;
      }
      reprint(last.saleId).catch((err: unknown) => ui.say({ tone: 'error', text: messageOf(err) }));
      return;
    }
  }
}

export function CheckoutScreen() {
  const manager = useSession(isManager);
  const bindings = useCheckoutBindings();
  useKeys((e) => {
    const binding = bindings.find((k) => k.key === e.key);
    if (!binding) return;
    e.preventDefault();
    if (binding.managerOnly && !manager) {
      useUi.getState().say({ tone: 'error', text: `${binding.label}: só o gerente. Peça ao gerente para entrar (Trocar operador).` });
      return;
    }
    afterPendingEntries(() => runCheckoutAction(binding.action));
  });
  return (
    <div className="checkout" data-testid="checkout-screen">
      <div className="checkout-left">
        <CodeField
          onPay={openPayment}
          onDeleteKey={(typed) =>
            afterPendingEntries(() => {
              if (!needItems()) return;
              const seq = /^\d+$/.test(typed.trim()) ? Number(typed.trim()) : null;
              useUi.getState().open({ kind: 'cancelItem', ...(seq !== null ? { seq } : {}) });
            })
          }
        />
        <RegisterClosedLine />
        <NoticeLine />
        <InFlightStrip />
        <SearchResults />
        <ItemList />
      </div>
      <aside className="checkout-right">
        <TotalPanel />
        <SaleResultCard />
      </aside>
    </div>
  );
}
