// Every sale still on its way to a note, and every one that ended in a problem, in one strip under
// the code field. Moving sales leave by themselves once settled; a problem stays, loud, until
// someone opens it in Vendas or takes it on with "Ciente" (it still counts in the status bar).
import { formatBRL } from '../../../shared/money.ts';
import { STATE_LABEL_PT } from '../../../shared/emission.ts';
import { formatNumeroSerie } from '../../../shared/fiscal/numero.ts';
import { PROBLEM, stripSales, useEmission } from '../../state/emission.ts';
import { useUi } from '../../state/ui.ts';
import { useFinalizeQueue } from '../../state/payment.ts';

export function InFlightStrip() {
  const flights = useEmission((s) => s.flights);
  const views = useEmission((s) => s.views);
  const dismissed = useEmission((s) => s.dismissed);
  // Paid and sent, the core's answer not here yet (optimistic finalize), and refused ones.
  const registering = useFinalizeQueue((s) => s.pending);
  const returned = useFinalizeQueue((s) => s.returned);
  const shown = stripSales({ flights, views, dismissed });
  if (shown.length === 0 && registering.length === 0 && returned.length === 0) return null;
  return (
    <ul className="flight-strip" data-testid="flight-strip" aria-live="polite">
      {returned.map((r) => (
        <li key={r.snapshot.clientId} className="flight flight-problem" data-testid="flight-returned" role="alert">
          <span className="money">{formatBRL(r.totalCents)}</span>
          <span>Venda NÃO registrada</span>
          <span className="flight-why">{r.message}</span>
          <span className="muted small">Volta para o pagamento quando o caixa ficar livre.</span>
        </li>
      ))}
      {registering.map((r) => (
        <li key={r.snapshot.clientId} className="flight flight-moving" data-testid="flight" data-state="registering">
          <span className="money">{formatBRL(r.totalCents)}</span>
          <span>Registrando…</span>
        </li>
      ))}
      {shown.map(({ sale, state, view }) => {
        const problem = PROBLEM.includes(state);
        return (
          <li
            key={sale.saleId}
            className={`flight ${problem ? 'flight-problem' : 'flight-moving'}`}
            data-testid="flight"
            data-sale-id={sale.saleId}
            data-state={state}
            role={problem ? 'alert' : undefined}
          >
            <span className="money">{formatBRL(sale.totalCents)}</span>
            <span>{problem ? STATE_LABEL_PT[state] : 'Enviando…'}</span>
            {view?.numero ? <span className="muted small">{formatNumeroSerie(view.numero, view.serie)}</span> : null}
            {problem ? (
              <>
                <span className="flight-why" title={view?.problem?.fix ?? ''}>
                  {view?.problem?.title ?? 'Sem nota válida'}
                </span>
                <button
                  type="button"
                  className="link-button"
                  data-testid="flight-open"
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => useUi.getState().go('history')}
                >
                  Resolver em Vendas
                </button>
                <button
                  type="button"
                  className="link-button"
                  data-testid="flight-dismiss"
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => useEmission.getState().dismiss(sale.saleId)}
                >
                  Ciente
                </button>
              </>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
