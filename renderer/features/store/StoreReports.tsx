// What the store knows about every lane: their sync state, the day's totals and the accountant's
// month, across lanes. The store asks for a manager's PIN (it keeps the shared operators); the
// lane keeps the store's short session in main, never here.
import { useState } from 'react';
import type { LanesResponse, StoreDayReport, StoreMonthReport } from '../../../shared/store/protocol.ts';
import { formatBRL } from '../../../shared/money.ts';
import { paymentLabel } from '../../../shared/fiscal/tpag.ts';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { call, messageOf, pos } from '../../pos.ts';
import { brDateToIso, todayLocal } from '../history/dates.ts';
import { brMonthToIso, dayBR, thisMonthBR, whenBR } from './format.ts';

export function StoreReports() {
  const [pin, setPin] = useState('');
  const [day, setDay] = useState(() => todayLocal());
  const [month, setMonth] = useState(thisMonthBR);
  const [lanes, setLanes] = useState<LanesResponse | null>(null);
  const [dayReport, setDayReport] = useState<StoreDayReport | null>(null);
  const [monthReport, setMonthReport] = useState<StoreMonthReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const managerPin = pin ? { managerPin: pin } : {};
  async function run<T>(p: Promise<T>, set: (v: T) => void) {
    setError(null);
    try {
      set(await p);
    } catch (err) {
      setError(messageOf(err));
    }
  }
  return (
    <section className="chart-box" data-testid="store-reports">
      <h3>Todas as caixas da loja</h3>
      <div className="row filters">
        <label className="field inline">
          <span>PIN do gerente</span>
          <input type="password" inputMode="numeric" maxLength={8} data-testid="store-pin" value={pin} onChange={(e) => setPin(e.target.value)} />
        </label>
        <button type="button" data-testid="store-lanes" onClick={() => void run(call(pos().store.lanes(managerPin)), setLanes)}>
          Caixas
        </button>
        <label className="field inline">
          <span>Dia</span>
          <input
            type="text"
            inputMode="numeric"
            placeholder="dd/mm/aaaa"
            maxLength={10}
            size={10}
            data-testid="store-day"
            value={day}
            onChange={(e) => setDay(e.target.value)}
          />
        </label>
        <button
          type="button"
          data-testid="store-day-report"
          onClick={() => {
            const iso = brDateToIso(day);
            if (iso === null) setError(`Dia "${day}" inválido. Use dd/mm/aaaa, por exemplo ${todayLocal()}.`);
            else void run(call(pos().store.reportDay({ day: iso, ...managerPin })), setDayReport);
          }}
        >
          Totais do dia
        </button>
        <label className="field inline">
          <span>Mês</span>
          <input
            type="text"
            inputMode="numeric"
            placeholder="mm/aaaa"
            maxLength={7}
            size={7}
            data-testid="store-month"
            value={month}
            onChange={(e) => setMonth(e.target.value)}
          />
        </label>
        <button
          type="button"
          data-testid="store-month-report"
          onClick={() => {
            const iso = brMonthToIso(month);
            if (iso === null) setError(`Mês "${month}" inválido. Use mm/aaaa, por exemplo ${thisMonthBR()}.`);
            else void run(call(pos().store.reportMonth({ month: iso, ...managerPin })), setMonthReport);
          }}
        >
          Mês do contador
        </button>
      </div>
      <ErrorLine text={error} testId="store-error" />
      {lanes ? (
        <table className="contingency-table" data-testid="store-lanes-table">
          <thead>
            <tr>
              <th>Caixa</th>
              <th>Terminal</th>
              <th>Último envio</th>
              <th>A enviar</th>
              <th>Última atualização</th>
              <th>Relógio</th>
            </tr>
          </thead>
          <tbody>
            {lanes.lanes.map((l) => (
              <tr key={l.laneId}>
                <td>
                  {l.name}
                  {l.revoked ? ' (removido)' : ''}
                </td>
                <td>
                  {l.terminalId} / série {l.contingencySerie}
                </td>
                <td>{whenBR(l.lastPushMs)}</td>
                <td>{l.backlog ?? '—'}</td>
                <td>{whenBR(l.lastPullMs)}</td>
                <td>{l.clockSkewMs === null ? '—' : Math.abs(l.clockSkewMs) < 60_000 ? 'certo' : `${Math.round(l.clockSkewMs / 60_000)} min de diferença`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {dayReport ? (
        <table className="contingency-table" data-testid="store-day-table">
          <caption>Totais de {dayBR(dayReport.day)}</caption>
          <thead>
            <tr>
              <th>Caixa</th>
              <th>Vendas</th>
              <th>Total</th>
              <th>Canceladas</th>
              <th>Sangrias</th>
              <th>Suprimentos</th>
            </tr>
          </thead>
          <tbody>
            {[...dayReport.lanes.map((l) => ({ key: l.laneId, name: l.name, t: l.totals })), { key: 'total', name: 'Loja', t: dayReport.total }].map((r) => (
              <tr key={r.key} className={r.key === 'total' ? 'total-row' : undefined}>
                <td>{r.name}</td>
                <td>{r.t.sales.count}</td>
                <td>{formatBRL(r.t.sales.cents)}</td>
                <td>
                  {r.t.cancelledNotes.count} ({formatBRL(r.t.cancelledNotes.cents)})
                </td>
                <td>{formatBRL(r.t.sangrias.cents)}</td>
                <td>{formatBRL(r.t.suprimentos.cents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {dayReport && dayReport.total.byMethod.length > 0 ? (
        <p className="hint" data-testid="store-day-methods">
          {dayReport.total.byMethod.map((m) => `${paymentLabel(m.method)}: ${formatBRL(m.amountCents)}`).join(' · ')}
        </p>
      ) : null}
      {monthReport ? (
        <table className="contingency-table" data-testid="store-month-table">
          <caption>
            Mês {monthReport.month.slice(5)}/{monthReport.month.slice(0, 4)}: {monthReport.total.notes} notas autorizadas,{' '}
            {formatBRL(monthReport.total.totalCents)}, {monthReport.cancelledNotes} canceladas
          </caption>
          <thead>
            <tr>
              <th>Dia</th>
              <th>Notas</th>
              <th>Total</th>
            </tr>
          </thead>
          <tbody>
            {monthReport.total.byDay.map((d) => (
              <tr key={d.day}>
                <td>{dayBR(d.day)}</td>
                <td>{d.notes}</td>
                <td>{formatBRL(d.totalCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
