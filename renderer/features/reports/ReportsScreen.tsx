// Relatórios (PageDown by default, manager): a day or a period with charts (hour, payment method, products,
// operators), CSV export of each table, the accountant's month (zip) and the numbering gaps with
// their inutilização.
import { useEffect, useState } from 'react';
import type { PeriodReport } from '../../../shared/register/period.ts';
import { reportPaymentLabel } from '../../../shared/fiscal/tpag.ts';
import { formatBRL, formatQty } from '../../../shared/money.ts';
import { useKeys } from '../../app/useKeys.ts';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { call, messageOf, pos } from '../../pos.ts';
import { useUi } from '../../state/ui.ts';
import { BarList, ColumnChart } from './Bars.tsx';
import { MonthSection } from './MonthSection.tsx';
import { GapsSection } from './GapsSection.tsx';

function today(): string {
  return new Date().toLocaleDateString('sv-SE');
}

type Table = 'sales' | 'methods' | 'products' | 'operators' | 'hours' | 'days';

/** '2026-03-09' → '09/03' (a day's column in the chart). */
const dayMonth = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}`;

export function ReportsScreen() {
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(today);
  /** '' = every terminal of this journal. */
  const [terminal, setTerminal] = useState('');
  const [report, setReport] = useState<PeriodReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  useKeys((e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      useUi.getState().go('checkout');
    }
  });

  async function load() {
    setError(null);
    try {
      setReport(await call(pos().reports.period({ from, to, ...scope() })));
    } catch (err) {
      setError(messageOf(err));
    }
  }
  useEffect(() => {
    void load();
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  function scope(): { terminalId?: string } {
    return terminal === '' ? {} : { terminalId: terminal };
  }

  async function downloadCsv(table: Table) {
    try {
      const { filename, csv } = await call(pos().reports.csv({ from, to, table, ...scope() }));
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      a.click();
      URL.revokeObjectURL(url);
    } catch (err) {
      setError(messageOf(err));
    }
  }

  const r = report;
  // The terminals the last report saw (whatever its filter), and the chosen one even if it has none.
  const terminals = [...new Set([...(r?.terminals ?? []), ...(terminal ? [terminal] : [])])].sort();
  return (
    <div className="reports" data-testid="reports-screen">
      <div className="screen-head">
        <h2>Relatórios</h2>
        <label className="field inline">
          <span>De</span>
          <input type="date" data-testid="report-from" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="field inline">
          <span>Até</span>
          <input type="date" data-testid="report-to" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <label className="field inline">
          <span>Caixa</span>
          <select data-testid="report-terminal" value={terminal} onChange={(e) => setTerminal(e.target.value)}>
            <option value="">Todos os caixas</option>
            {terminals.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" data-testid="report-load" onClick={() => void load()}>
          Ver
        </button>
        <button type="button" onClick={() => useUi.getState().go('checkout')}>
          Voltar (Esc)
        </button>
      </div>
      <ErrorLine text={error} />
      {r ? (
        <div className="reports-body">
          <div className="report-cards">
            <div className="card">
              <span>Vendas</span>
              <strong data-testid="period-sales" data-cents={r.sales.cents}>
                {formatBRL(r.sales.cents)}
              </strong>
              <small>{r.sales.count} vendas</small>
            </div>
            <div className="card">
              <span>Ticket médio</span>
              <strong>{formatBRL(r.averageCents)}</strong>
            </div>
            <div className="card">
              <span>Descontos</span>
              <strong>{formatBRL(r.discounts.cents)}</strong>
              <small>{r.discounts.count} vendas</small>
            </div>
            <div className="card">
              <span>Notas canceladas</span>
              <strong>{formatBRL(r.cancelledNotes.cents)}</strong>
              <small>{r.cancelledNotes.count}</small>
            </div>
            <div className="card">
              <span>Contingência pendente</span>
              <strong>{formatBRL(r.contingencyPending.cents)}</strong>
              <small>{r.contingencyPending.count}</small>
            </div>
            <div className="card">
              <span>Itens cancelados</span>
              <strong data-testid="period-cancelled-items" data-cents={r.cancelledItems.cents}>
                {formatBRL(r.cancelledItems.cents)}
              </strong>
              <small>{r.cancelledItems.count} itens</small>
            </div>
            <div className="card">
              <span>Vendas abandonadas</span>
              <strong>{formatBRL(r.cancelledSales.cents)}</strong>
              <small>{r.cancelledSales.count} carrinhos</small>
            </div>
            <div className="card">
              <span>Sangrias</span>
              <strong data-testid="period-sangrias" data-cents={r.sangrias.cents}>
                {formatBRL(r.sangrias.cents)}
              </strong>
              <small>{r.sangrias.count}</small>
            </div>
            <div className="card">
              <span>Suprimentos</span>
              <strong data-testid="period-suprimentos" data-cents={r.suprimentos.cents}>
                {formatBRL(r.suprimentos.cents)}
              </strong>
              <small>{r.suprimentos.count}</small>
            </div>
            <div className="card" data-testid="period-numbering">
              <span>Numeração</span>
              {r.numbering.length === 0 ? <small>Nenhuma nota numerada</small> : null}
              {r.numbering.map((n) => (
                <small key={n.serie}>
                  Série {n.serie}: nº {n.first} a {n.last} ({n.count})
                </small>
              ))}
            </div>
          </div>
          {r.byDay.length > 1 ? (
            <section className="chart-box wide">
              <h3>
                Vendas por dia{' '}
                <button type="button" className="link-button" onClick={() => void downloadCsv('days')}>
                  CSV
                </button>
              </h3>
              <ColumnChart
                testId="chart-days"
                bars={r.byDay.map((d) => ({ label: dayMonth(d.day), value: d.totalCents, text: `${d.count} · ${formatBRL(d.totalCents)}` }))}
              />
            </section>
          ) : null}
          <section className="chart-box">
            <h3>
              Vendas por hora{' '}
              <button type="button" className="link-button" onClick={() => void downloadCsv('hours')}>
                CSV
              </button>
            </h3>
            <ColumnChart
              testId="chart-hours"
              bars={r.byHour
                .filter((h) => h.hour >= 6 || h.count > 0)
                .map((h) => ({ label: String(h.hour), value: h.totalCents, text: formatBRL(h.totalCents) }))}
            />
          </section>
          <section className="chart-box">
            <h3>
              Por forma de pagamento{' '}
              <button type="button" className="link-button" onClick={() => void downloadCsv('methods')}>
                CSV
              </button>
            </h3>
            <BarList
              testId="chart-methods"
              bars={r.byMethod.map((m) => ({ label: reportPaymentLabel(m.method), value: m.amountCents, text: formatBRL(m.amountCents) }))}
            />
          </section>
          <section className="chart-box">
            <h3>
              Produtos mais vendidos{' '}
              <button type="button" className="link-button" onClick={() => void downloadCsv('products')}>
                CSV
              </button>
            </h3>
            <BarList
              testId="chart-products"
              bars={r.topProducts.map((p) => ({ label: p.description, value: p.totalCents, text: `${formatQty(p.qtyE4)} · ${formatBRL(p.totalCents)}` }))}
            />
          </section>
          <section className="chart-box">
            <h3>
              Por operador{' '}
              <button type="button" className="link-button" onClick={() => void downloadCsv('operators')}>
                CSV
              </button>
            </h3>
            <BarList
              testId="chart-operators"
              bars={r.byOperator.map((o) => ({ label: o.name, value: o.totalCents, text: `${o.count} · ${formatBRL(o.totalCents)}` }))}
            />
          </section>
          <p>
            <button type="button" data-testid="csv-sales" onClick={() => void downloadCsv('sales')}>
              Exportar vendas do período (CSV)
            </button>
          </p>
        </div>
      ) : null}
      <MonthSection />
      <GapsSection />
    </div>
  );
}
