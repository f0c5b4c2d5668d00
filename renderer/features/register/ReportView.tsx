// The X or Z report on screen (the same figures the paper carries), and the closing comparison.
import { reportPaymentLabel } from '../../../shared/fiscal/tpag.ts';
import { formatBRL } from '../../../shared/money.ts';
import { GROUP_LABEL_PT } from '../../../shared/register/methods.ts';
import type { ClosingLine, RegisterReport } from '../../../shared/register/report.ts';

const dt = (ms: number) => new Date(ms).toLocaleString('pt-BR', { dateStyle: 'short', timeStyle: 'short' });

export function ClosingTable({ lines }: { lines: ClosingLine[] }) {
  return (
    <table className="report-table" data-testid="closing-table">
      <thead>
        <tr>
          <th>Forma</th>
          <th>Esperado</th>
          <th>Declarado</th>
          <th>Diferença</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <tr key={l.group} data-testid={`closing-${l.group}`} data-diff={l.differenceCents}>
            <td>{GROUP_LABEL_PT[l.group]}</td>
            <td>{formatBRL(l.expectedCents)}</td>
            <td>{formatBRL(l.declaredCents)}</td>
            <td className={l.differenceCents < 0 ? 'bad' : l.differenceCents > 0 ? 'warn' : 'good'}>
              {formatBRL(l.differenceCents)} {l.differenceCents < 0 ? '(falta)' : l.differenceCents > 0 ? '(sobra)' : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ReportView({ report }: { report: RegisterReport }) {
  const r = report;
  return (
    <section className="report" data-testid={`report-${r.kind}`} data-sales-cents={r.sales.cents}>
      <h3>
        {r.kind === 'Z' ? `Redução Z nº ${r.zNumber}` : 'Leitura X (parcial)'} — caixa {r.terminalId}
      </h3>
      <p className="muted">
        Aberto em {dt(r.openedMs)}
        {r.closedMs ? `, fechado em ${dt(r.closedMs)}` : `, lido em ${dt(r.generatedMs)}`}
      </p>
      <div className="report-grid">
        <dl>
          <dt>Fundo de troco</dt>
          <dd>{formatBRL(r.openingCents)}</dd>
          <dt>Suprimentos ({r.suprimentos.count})</dt>
          <dd>{formatBRL(r.suprimentos.cents)}</dd>
          <dt>Sangrias ({r.sangrias.count})</dt>
          <dd>{formatBRL(r.sangrias.cents)}</dd>
          <dt>Vendas ({r.sales.count})</dt>
          <dd data-testid="report-sales">{formatBRL(r.sales.cents)}</dd>
          <dt>Descontos ({r.discounts.count})</dt>
          <dd>{formatBRL(r.discounts.cents)}</dd>
          <dt>Itens cancelados ({r.cancelledItems.count})</dt>
          <dd>{formatBRL(r.cancelledItems.cents)}</dd>
          <dt>Vendas canceladas ({r.cancelledSales.count})</dt>
          <dd>{formatBRL(r.cancelledSales.cents)}</dd>
          <dt>Notas canceladas ({r.cancelledNotes.count})</dt>
          <dd>{formatBRL(r.cancelledNotes.cents)}</dd>
          <dt>Contingência pendente ({r.contingencyPending.count})</dt>
          <dd>{formatBRL(r.contingencyPending.cents)}</dd>
        </dl>
        <div>
          <h4>Por forma de pagamento</h4>
          <table className="report-table">
            <tbody>
              {r.byMethod.map((m) => (
                <tr key={m.method}>
                  <td>
                    {reportPaymentLabel(m.method)} ({m.count})
                  </td>
                  <td>{formatBRL(m.amountCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h4>Por operador</h4>
          <table className="report-table">
            <tbody>
              {r.byOperator.map((o) => (
                <tr key={o.operatorId}>
                  <td>
                    {o.name} ({o.count})
                  </td>
                  <td>{formatBRL(o.totalCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h4>Numeração</h4>
          {r.numbering.length === 0 ? (
            <p className="muted">Nenhuma nota numerada.</p>
          ) : (
            <table className="report-table">
              <tbody>
                {r.numbering.map((n) => (
                  <tr key={n.serie}>
                    <td>Série {n.serie}</td>
                    <td>
                      {n.first} a {n.last} ({n.count})
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
    </section>
  );
}
