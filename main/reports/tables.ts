// The period report's tables as CSV (one per chart, plus the sales list), for the manager's
// spreadsheet.
import type { DatabaseSync } from 'node:sqlite';
import type { PeriodReport } from '../../shared/register/period.ts';
import { reportPaymentLabel } from '../../shared/fiscal/tpag.ts';
import { STATE_LABEL_PT, type EmissionState } from '../../shared/emission.ts';
import { csvMoney, toCsv } from './csv.ts';
import { materialiseScope } from './scope.ts';
import { formatDateTimeBR } from '../../shared/datetime.ts';

export type CsvTable = 'sales' | 'methods' | 'products' | 'operators' | 'hours' | 'days';

const money = (c: number) => ({ number: csvMoney(c) });
const int = (n: number) => ({ number: String(n) });

export function periodCsv(db: DatabaseSync, r: PeriodReport, table: CsvTable, names: (id: string) => string): string {
  switch (table) {
    case 'methods':
      return toCsv(
        ['Forma de pagamento', 'Pagamentos', 'Valor (R$)'],
        r.byMethod.map((m) => [reportPaymentLabel(m.method), int(m.count), money(m.amountCents)]),
      );
    case 'products':
      return toCsv(
        ['Produto', 'Descrição', 'Quantidade', 'Valor (R$)'],
        r.topProducts.map((p) => [p.productId, p.description, { number: (p.qtyE4 / 10_000).toString().replace('.', ',') }, money(p.totalCents)]),
      );
    case 'operators':
      return toCsv(
        ['Operador', 'Vendas', 'Valor (R$)'],
        r.byOperator.map((o) => [o.name, int(o.count), money(o.totalCents)]),
      );
    case 'hours':
      return toCsv(
        ['Hora', 'Vendas', 'Valor (R$)'],
        r.byHour.map((h) => [`${String(h.hour).padStart(2, '0')}h`, int(h.count), money(h.totalCents)]),
      );
    case 'days':
      return toCsv(
        ['Dia', 'Vendas', 'Valor (R$)', 'Notas canceladas'],
        r.byDay.map((d) => [`${d.day.slice(8, 10)}/${d.day.slice(5, 7)}/${d.day.slice(0, 4)}`, int(d.count), money(d.totalCents), int(d.cancelled)]),
      );
    case 'sales': {
      // The sales list comes from the raw rows (the aggregates hold no sale ids).
      materialiseScope(db, { fromDay: r.from, toDay: r.to, ...(r.terminalId !== null ? { terminalId: r.terminalId } : {}) });
      const rows = db
        .prepare(
          `SELECT r.id, r.created_at, r.operator_id, r.total_cents, r.discount_cents, r.state,
           (SELECT e.numero FROM emissions e WHERE e.sale_id = r.id ORDER BY e.attempt DESC LIMIT 1) AS numero,
           (SELECT e.serie FROM emissions e WHERE e.sale_id = r.id ORDER BY e.attempt DESC LIMIT 1) AS serie
         FROM temp.report_scope r ORDER BY r.id`,
        )
        .all();
      return toCsv(
        ['Venda', 'Data e hora', 'Operador', 'Série', 'Número', 'Situação', 'Desconto (R$)', 'Total (R$)'],
        rows.map((x) => [
          String(x.id),
          formatDateTimeBR(String(x.created_at)),
          names(String(x.operator_id)),
          x.serie == null ? '' : String(x.serie),
          x.numero == null ? '' : String(x.numero),
          STATE_LABEL_PT[String(x.state) as EmissionState] ?? String(x.state),
          money(Number(x.discount_cents)),
          money(Number(x.total_cents)),
        ]),
      );
    }
  }
}
