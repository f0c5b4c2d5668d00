// Notes issued in contingency and not yet authorized: their age, a countdown to the 24-hour legal
// limit (alerts at 12 h and 24 h), "Enviar agora", and the rejected ones with their fix.
// Refreshed when the core pushes a change, never on a timer; the countdown ticks locally.
import { useCallback, useEffect, useState } from 'react';
import type { ContingencyItem } from '../../../shared/contract.ts';
import { formatBRL } from '../../../shared/money.ts';
import { formatChave } from '../../../shared/fiscal/chave.ts';
import { formatDateTimeBR } from '../../../shared/datetime.ts';
import { useKeys } from '../../app/useKeys.ts';
import { formatRemaining, useNow } from '../../components/Countdown.tsx';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { Kbd } from '../../components/Kbd.tsx';
import { StateChip } from '../../components/StateChip.tsx';
import { call, messageOf, pos } from '../../pos.ts';
import { useEmission } from '../../state/emission.ts';
import { useSession } from '../../state/session.ts';
import { useUi } from '../../state/ui.ts';
import { isContingency } from '../../../shared/emission.ts';
import { HOUR_MS as HOUR } from '../../../shared/contingency.ts';
import { urgencyOf } from './urgency.ts';

/**
 * Only a note issued in contingency runs against the 24-hour limit; a sale parked without a note
 * (no certificate, SP…) or an earlier attempt flagged to the manager has no countdown.
 */
function hasNote(i: ContingencyItem): boolean {
  return isContingency(i.state) && i.numero !== '';
}

export function ContingencyPanel() {
  const [items, setItems] = useState<ContingencyItem[] | null>(null);
  const [loadedAt, setLoadedAt] = useState(() => Date.now());
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const views = useEmission((s) => s.views);
  const status = useSession((s) => s.status);
  const now = useNow();

  const load = useCallback(async () => {
    try {
      const list = await call(pos().contingency.list({}));
      setItems(list);
      setLoadedAt(Date.now());
      setError(null);
    } catch (err) {
      setError(messageOf(err));
    }
  }, []);
  // Reload when the core reports a change (emission events or the status counters), not by polling.
  useEffect(() => {
    void load();
  }, [load, views, status?.contingencyNotes, status?.pendingNotes]);

  async function sendNow() {
    if (busy) return;
    setBusy(true);
    setMessage(null);
    try {
      const r = await call(pos().contingency.sendNow({}));
      setMessage(r.queued > 0 ? `${r.queued} ${r.queued === 1 ? 'nota enviada' : 'notas enviadas'} para transmissão.` : 'Nenhuma nota esperando envio.');
      await load();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  useKeys((e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      useUi.getState().go('checkout');
    } else if (e.key === 'F9') {
      e.preventDefault();
      void sendNow();
    }
  });

  const list = items ?? [];
  // The core's own alert wins when it sends one; the local countdown keeps it moving.
  const urgency = (i: ContingencyItem) => {
    if (!hasNote(i)) return 'ok';
    const local = urgencyOf(i.hoursLeft * HOUR - (now - loadedAt));
    return i.alert === '24h' ? 'late' : i.alert === '12h' && local === 'ok' ? 'warn' : local;
  };
  const lateCount = list.filter((i) => urgency(i) === 'late').length;
  const warnCount = list.filter((i) => urgency(i) === 'warn').length;

  return (
    <div className="contingency" data-testid="contingency-panel">
      <header className="screen-head">
        <h2>Contingência</h2>
        <button type="button" className="primary" data-testid="contingency-send" disabled={busy} onClick={() => void sendNow()}>
          <Kbd>F9</Kbd> Enviar agora
        </button>
        <button type="button" onClick={() => useUi.getState().go('checkout')}>
          Voltar ao caixa (Esc)
        </button>
      </header>
      {lateCount > 0 ? (
        <p className="alert alert-bad" role="alert" data-testid="alert-24h">
          {lateCount} {lateCount === 1 ? 'nota passou' : 'notas passaram'} do prazo de 24 horas. Envie agora; se a SEFAZ recusar, fale com o contador.
        </p>
      ) : null}
      {warnCount > 0 ? (
        <p className="alert alert-warn" role="alert" data-testid="alert-12h">
          {warnCount} {warnCount === 1 ? 'nota está' : 'notas estão'} há mais de 12 horas em contingência. Verifique a internet e envie agora.
        </p>
      ) : null}
      {message ? (
        <p className="ok-line" data-testid="contingency-message">
          {message}
        </p>
      ) : null}
      {status?.link === 'offline' && list.length > 0 ? (
        <p className="hint" data-testid="contingency-offline">
          Sem conexão com a Focus agora: as vendas desta lista são enviadas sozinhas assim que a internet voltar. Nada se perde.
        </p>
      ) : null}
      <ErrorLine text={error} testId="contingency-error" />
      {items !== null && list.length === 0 ? (
        <p className="hint" data-testid="contingency-empty">
          Nenhuma nota em contingência. Tudo transmitido.
        </p>
      ) : null}
      <table className="contingency-table">
        {list.length > 0 ? (
          <thead>
            <tr>
              <th>Nota</th>
              <th>Emitida em</th>
              <th className="num">Valor</th>
              <th>Estado</th>
              <th>Prazo (24 h)</th>
            </tr>
          </thead>
        ) : null}
        <tbody>
          {list.map((it) => {
            const left = it.hoursLeft * HOUR - (now - loadedAt);
            const u = urgency(it);
            return (
              <tr key={it.saleId} data-testid="contingency-row" data-urgency={u} className={`urg-${u}`}>
                <td>
                  {it.numero ? (
                    <>
                      nº {it.numero} série {it.serie}
                      <div className="chave small">{formatChave(it.chave)}</div>
                    </>
                  ) : (
                    <>
                      Venda {it.saleId}
                      <div className="muted small">sem nota emitida ainda</div>
                    </>
                  )}
                  {it.problem ? (
                    <div className="problem" data-testid="contingency-problem">
                      <strong>{it.problem.title}</strong>
                      <p>{it.problem.fix}</p>
                    </div>
                  ) : null}
                </td>
                <td>
                  {formatDateTimeBR(it.createdAt)}
                  {it.ageHours !== undefined ? <div className="muted small">há {formatRemaining(it.ageHours * HOUR + (now - loadedAt))}</div> : null}
                </td>
                <td className="num">{formatBRL(it.totalCents)}</td>
                <td>
                  <StateChip state={it.state} />
                </td>
                <td data-testid="contingency-countdown">
                  {!hasNote(it) ? '—' : u === 'late' ? `vencido há ${formatRemaining(-left)}` : `faltam ${formatRemaining(left)}`}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
