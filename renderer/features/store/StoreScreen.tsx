// "Loja": this lane's link with the store server (issue #16). Pairing and unpairing, this lane's
// sync state (last push, what waits to go up, last update from the store, whether the store
// answers, how Focus credits are shared) and the store-wide views. Manager only (the core checks).
import { useCallback, useEffect, useState } from 'react';
import type { StoreSyncView } from '../../../shared/contract.ts';
import { useKeys } from '../../app/useKeys.ts';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { call, messageOf, pos } from '../../pos.ts';
import { isManager, useSession } from '../../state/session.ts';
import { useUi } from '../../state/ui.ts';
import { useManagerAction } from '../settings/useManagerAction.tsx';
import { PairSection } from './PairSection.tsx';
import { StoreReports } from './StoreReports.tsx';
import { whenBR } from './format.ts';

const CREDITS_LABEL: Record<StoreSyncView['credits']['mode'], string> = {
  alone: 'Este caixa usa sozinho o limite de 100 envios por minuto do token.',
  lease: 'Cota de envios à Focus recebida do servidor da loja.',
  reserve: 'Servidor da loja fora do ar: este caixa usa a sua reserva de envios',
  share: 'Servidor da loja fora do ar: este caixa usa só a sua parte do limite de envios',
};

function creditsText(c: StoreSyncView['credits']): string {
  const reserve = c.reserve > 0 ? ` (${c.reserve} por minuto).` : ': nenhuma (a loja já deu todas); as notas esperam a sua parte do limite.';
  const perMinute = c.mode === 'share' ? ` (${c.share} por minuto).` : c.mode === 'reserve' ? reserve : '';
  return `${CREDITS_LABEL[c.mode]}${perMinute}`;
}

export function StoreScreen() {
  const manager = useSession(isManager);
  const [view, setView] = useState<StoreSyncView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const action = useManagerAction();
  const load = useCallback(() => {
    call(pos().store.state({})).then(setView, (e: unknown) => setError(messageOf(e)));
  }, []);
  useEffect(() => {
    load();
    const t = setInterval(load, 3_000);
    return () => clearInterval(t);
  }, [load]);
  useKeys((e) => {
    if (e.key === 'Escape' && !document.querySelector('[role="dialog"]')) {
      e.preventDefault();
      useUi.getState().go('settings');
    }
  });
  if (!manager)
    return (
      <p className="error-line" role="alert">
        Só o gerente pode abrir a tela da loja.
      </p>
    );
  return (
    <div className="settings" data-testid="store-screen">
      <header className="screen-head">
        <h2>Loja (várias caixas)</h2>
        <button type="button" onClick={() => useUi.getState().go('settings')}>
          Voltar (Esc)
        </button>
      </header>
      <ErrorLine text={error} testId="store-load-error" />
      {view && !view.paired ? <PairSection onPaired={setView} /> : null}
      {view?.paired ? (
        <section className="chart-box" data-testid="store-state">
          <h3>
            {view.laneName} na loja {view.storeName}
          </h3>
          <dl className="facts">
            <dt>Servidor</dt>
            <dd>{view.storeUrl}</dd>
            <dt>Situação</dt>
            <dd data-testid="store-reachable">
              {view.reachable === false ? `Sem contato — ${view.error?.message ?? ''}` : view.reachable ? 'Conectado' : 'Conectando…'}
            </dd>
            <dt>Último envio</dt>
            <dd data-testid="store-last-push">{whenBR(view.lastPushMs)}</dd>
            <dt>A enviar</dt>
            <dd data-testid="store-backlog">{view.backlog === 0 ? 'nada' : `${view.backlog} registro(s)`}</dd>
            <dt>Última atualização da loja</dt>
            <dd data-testid="store-last-pull">{whenBR(view.lastPullMs)}</dd>
            {view.clockSkewMs !== null && Math.abs(view.clockSkewMs) >= 60_000 ? (
              <>
                <dt>Relógio</dt>
                <dd className="error-line">
                  O relógio deste caixa difere do servidor em {Math.round(Math.abs(view.clockSkewMs) / 60_000)} min. Acerte a hora.
                </dd>
              </>
            ) : null}
            <dt>Envios à Focus</dt>
            <dd data-testid="store-credits">
              {creditsText(view.credits)}
              {view.credits.waiting ? (
                <strong className="error-line" data-testid="store-credits-waiting">
                  {' '}
                  Aguardando vez na Focus: a nota sai assim que houver envio livre.
                </strong>
              ) : null}
            </dd>
          </dl>
          <div className="row">
            <button
              type="button"
              data-testid="store-sync-now"
              onClick={() => void call(pos().store.syncNow({})).then(setView, (e: unknown) => setError(messageOf(e)))}
            >
              Sincronizar agora
            </button>
            <button
              type="button"
              data-testid="store-unpair"
              onClick={() =>
                action.request(
                  'Desparear este caixa do servidor da loja',
                  async (pin) => {
                    const v = await call(pos().store.unpair(pin ? { managerPin: pin } : {}));
                    setView(v);
                    return v;
                  },
                  'Caixa despareado. Ele continua vendendo sozinho.',
                )
              }
            >
              Desparear
            </button>
          </div>
          {action.message ? <p className={action.message.tone === 'ok' ? 'ok-line' : 'error-line'}>{action.message.text}</p> : null}
          {action.dialog}
        </section>
      ) : null}
      {view?.paired ? <StoreReports /> : null}
    </div>
  );
}
