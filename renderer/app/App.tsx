// The app shell: bootstraps the session, subscribes to the core's events, and picks the screen.
import { Suspense, useEffect } from 'react';
import { isFinal } from '../../shared/emission.ts';
import { call, hasPos, pos } from '../pos.ts';
import { useEmission } from '../state/emission.ts';
import { useSession } from '../state/session.ts';
import { useUi } from '../state/ui.ts';
import { usePrinting } from '../state/printing.ts';
import { LoginScreen } from '../features/login/LoginScreen.tsx';
import { CheckoutScreen } from '../features/checkout/CheckoutScreen.tsx';
import { useRegister } from '../state/register.ts';
import { useCart } from '../state/cart.ts';
import { bringBackReturned, resumeFinalizeQueue } from '../state/payment.ts';
import { DemoBanner } from './DemoBanner.tsx';
import { StatusBar } from './StatusBar.tsx';
import { KeyLegend } from './KeyLegend.tsx';
import { DialogHost } from './DialogHost.tsx';
import { useIdleLock } from './useIdleLock.ts';
import { OpeningScreen } from '../features/setup/OpeningScreen.tsx';
import { FKEY } from './keymap.ts';
import { startCustomerPublisher } from '../features/customer-display/publisher.ts';
import {
  AuditScreen,
  CatalogScreen,
  ContingencyPanel,
  HistoryScreen,
  JournalRecoveryScreen,
  OperatorsScreen,
  PaymentScreen,
  PixAttentionScreen,
  RecoveryScreen,
  RegisterScreen,
  ReportsScreen,
  SCREENS_TO_WARM,
  SecretsScreen,
  SettingsScreen,
  SetupScreen,
  StoreScreen,
} from './screens.ts';
import { preloadWhenIdle } from './lazy-screen.ts';

/**
 * Events sent while the link to the core was down are lost; the host client says when it is back
 * (session.resumed), so use that moment — and only that one — to re-read the last sale if its
 * note was still moving.
 */
function refreshLastSale(): void {
  const { lastSale, views } = useEmission.getState();
  if (!lastSale) return;
  const view = views.get(lastSale.saleId);
  if (view && isFinal(view.state)) return;
  call(pos().sales.get({ saleId: lastSale.saleId })).then(
    (d) => useEmission.getState().apply(d.emission),
    () => {},
  );
}

function ScreenLoading() {
  return (
    <div className="splash" data-testid="screen-loading">
      Abrindo…
    </div>
  );
}

export function App() {
  const phase = useSession((s) => s.phase);
  const loadError = useSession((s) => s.loadError);
  const operator = useSession((s) => s.operator);
  const screen = useUi((s) => s.screen);
  const appPhase = useSession((s) => s.appPhase);
  useIdleLock();

  useEffect(() => {
    if (!hasPos()) {
      useSession.setState({ phase: 'failed', loadError: 'O caixa não está conectado ao sistema. Feche e abra o Balcão de novo.' });
      return;
    }
    const api = pos();
    const offs = [
      api.on('emission.changed', (view) => useEmission.getState().apply(view)),
      api.on('status.changed', (status) => useSession.getState().setStatus(status)),
      api.on('session.resumed', () => refreshLastSale()),
      api.on('print.changed', (p) => {
        usePrinting.getState().apply(p);
        // Only an outcome is news: queued and printing are shown on the sale's card.
        const failed = p.state === 'failed' || (p.state === undefined && !p.ok);
        if (failed && p.kind !== 'drawer')
          useUi
            .getState()
            .say({ tone: 'error', text: `Cupom da venda ${p.saleId} não impresso: ${p.message ?? 'confira a impressora.'} Reimprima em Vendas.` });
        if (failed && p.kind === 'drawer') useUi.getState().say({ tone: 'error', text: `A gaveta não abriu: ${p.message ?? 'confira a impressora.'}` });
      }),
    ];
    // main.tsx has usually started it already (the same call is returned while it is out).
    if (useSession.getState().phase === 'loading') void useSession.getState().bootstrap();
    const stopCustomer = startCustomerPublisher();
    // A sale the core refused comes back as soon as the till is free (see state/finalize-queue.ts).
    const offReturn = [
      useCart.subscribe((c, prev) => c.lines !== prev.lines && c.lines.length === 0 && bringBackReturned()),
      useUi.subscribe((u, prev) => (u.screen !== prev.screen || u.dialog !== prev.dialog) && bringBackReturned()),
    ];
    // F-keys belong to the app: never let the browser reload (F5), search (F3) or open help (F1).
    const blockBrowserKeys = (e: KeyboardEvent) => {
      if (FKEY.test(e.key)) e.preventDefault();
    };
    window.addEventListener('keydown', blockBrowserKeys, true);
    return () => {
      for (const off of [...offs, ...offReturn]) off();
      stopCustomer();
      window.removeEventListener('keydown', blockBrowserKeys, true);
    };
  }, []);

  // The register's open/closed state follows whoever logs in (it is per terminal, in the core).
  useEffect(() => {
    if (!operator) return;
    void useRegister.getState().refresh();
    // Sales a previous run of the page left unanswered go out again (same clientId: one sale).
    resumeFinalizeQueue();
  }, [operator]);

  // Once someone is at a ready till, the other screens' chunks load while nobody waits on them.
  const warm = appPhase === 'ready' && operator !== null;
  useEffect(() => {
    if (!warm) return;
    // The payment screen is the next one a cashier needs: fetched now, not when the page is idle.
    void PaymentScreen.preload().catch(() => {});
    return preloadWhenIdle(SCREENS_TO_WARM);
  }, [warm]);

  if (phase === 'loading') {
    return (
      <div className="splash" data-testid="app-loading">
        Abrindo o caixa…
      </div>
    );
  }
  if (phase === 'failed') {
    return (
      <div className="splash splash-error" data-testid="app-failed" role="alert">
        <p>{loadError}</p>
        <button type="button" className="primary" onClick={() => void useSession.getState().bootstrap()}>
          Tentar de novo
        </button>
      </div>
    );
  }
  if (appPhase !== 'ready') {
    return (
      <div className="app app-setup" data-testid="app" data-screen={appPhase}>
        <main className="main">
          <Suspense fallback={<ScreenLoading />}>
            {appPhase === 'setup' ? (
              <SetupScreen />
            ) : appPhase === 'recovery' ? (
              <RecoveryScreen />
            ) : appPhase === 'journal' ? (
              <JournalRecoveryScreen />
            ) : (
              <SecretsScreen />
            )}
          </Suspense>
        </main>
      </div>
    );
  }
  return (
    <div className="app" data-testid="app" data-screen={operator ? screen : 'login'}>
      <DemoBanner />
      <StatusBar />
      <main className="main">
        <Suspense fallback={<ScreenLoading />}>
          {!operator ? (
            <LoginScreen />
          ) : screen === 'payment' ? (
            <PaymentScreen />
          ) : screen === 'history' ? (
            <HistoryScreen />
          ) : screen === 'settings' ? (
            <SettingsScreen />
          ) : screen === 'contingency' ? (
            <ContingencyPanel />
          ) : screen === 'register' ? (
            <RegisterScreen />
          ) : screen === 'reports' ? (
            <ReportsScreen />
          ) : screen === 'operators' ? (
            <OperatorsScreen />
          ) : screen === 'audit' ? (
            <AuditScreen />
          ) : screen === 'store' ? (
            <StoreScreen />
          ) : screen === 'opening' ? (
            <OpeningScreen />
          ) : screen === 'catalog' ? (
            <CatalogScreen />
          ) : screen === 'pixAttention' ? (
            <PixAttentionScreen />
          ) : (
            <CheckoutScreen />
          )}
        </Suspense>
      </main>
      {operator ? <KeyLegend /> : null}
      <DialogHost />
    </div>
  );
}
