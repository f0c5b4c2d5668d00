// The accountant's summary of a month: authorized (not cancelled) notes by day, by CFOP and by
// payment method, as CSV and as a PDF (pdfkit), from the export's own list of notes.
import type { DatabaseSync } from 'node:sqlite';
import PDFDocument from 'pdfkit';
import { reportPaymentLabel } from '../../shared/fiscal/tpag.ts';
import { formatBRL } from '../../shared/money.ts';
import { csvMoney, toCsv } from './csv.ts';

export interface MonthSummary {
  byDay: { day: string; notes: number; totalCents: number }[];
  byCfop: { cfop: string; items: number; totalCents: number }[];
  byMethod: { method: string; count: number; amountCents: number }[];
  totalCents: number;
  notes: number;
}

/** `saleIds` are written to a temp table first (the month's authorized notes). */
export function monthSummary(db: DatabaseSync, saleIds: readonly number[]): MonthSummary {
  db.exec('CREATE TEMP TABLE IF NOT EXISTS export_scope (sale_id INTEGER PRIMARY KEY)');
  db.exec('DELETE FROM temp.export_scope');
  const ins = db.prepare('INSERT OR IGNORE INTO temp.export_scope(sale_id) VALUES (?)');
  db.exec('BEGIN');
  try {
    for (const id of saleIds) ins.run(id);
    db.exec('COMMIT');
  } catch (e) {
    db.exec('ROLLBACK');
    throw e;
  }
  const byDay = db
    .prepare(
      'SELECT s.local_day AS d, COUNT(*) AS n, SUM(s.total_cents) AS t FROM sales s JOIN temp.export_scope x ON x.sale_id = s.id GROUP BY s.local_day ORDER BY s.local_day',
    )
    .all()
    .map((r) => ({ day: String(r.d), notes: Number(r.n), totalCents: Number(r.t) }));
  const byCfop = db
    .prepare(
      'SELECT i.cfop AS c, COUNT(*) AS n, SUM(i.total_cents) AS t FROM sale_items i JOIN temp.export_scope x ON x.sale_id = i.sale_id GROUP BY i.cfop ORDER BY i.cfop',
    )
    .all()
    .map((r) => ({ cfop: String(r.c), items: Number(r.n), totalCents: Number(r.t) }));
  const change = Number(db.prepare('SELECT COALESCE(SUM(s.change_cents), 0) AS c FROM sales s JOIN temp.export_scope x ON x.sale_id = s.id').get()!.c);
  const byMethod = db
    .prepare(
      'SELECT p.method AS m, COUNT(*) AS n, SUM(p.amount_cents) AS a FROM payments p JOIN temp.export_scope x ON x.sale_id = p.sale_id GROUP BY p.method ORDER BY p.method',
    )
    .all()
    .map((r) => ({ method: String(r.m), count: Number(r.n), amountCents: Number(r.a) - (String(r.m) === '01' ? change : 0) }));
  return { byDay, byCfop, byMethod, totalCents: byDay.reduce((a, d) => a + d.totalCents, 0), notes: byDay.reduce((a, d) => a + d.notes, 0) };
}

export function summaryCsv(s: MonthSummary): { day: string; cfop: string; methods: string } {
  const money = (c: number) => ({ number: csvMoney(c) });
  const int = (n: number) => ({ number: String(n) });
  return {
    day: toCsv(
      ['Dia', 'Notas', 'Valor (R$)'],
      s.byDay.map((d) => [d.day, int(d.notes), money(d.totalCents)]),
    ),
    cfop: toCsv(
      ['CFOP', 'Itens', 'Valor (R$)'],
      s.byCfop.map((c) => [c.cfop, int(c.items), money(c.totalCents)]),
    ),
    methods: toCsv(
      ['Forma de pagamento', 'Pagamentos', 'Valor (R$)'],
      s.byMethod.map((m) => [reportPaymentLabel(m.method), int(m.count), money(m.amountCents)]),
    ),
  };
}

export function summaryPdf(
  s: MonthSummary,
  head: { cnpj: string; month: string; authorized: number; cancelled: number; inutilizacoes: number },
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: `Resumo ${head.month} — ${head.cnpj}`, Producer: 'Balcão' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
    doc.fontSize(16).text(`Resumo do mês ${head.month.slice(5, 7)}/${head.month.slice(0, 4)} — NFC-e`);
    doc.fontSize(10).text(`CNPJ ${head.cnpj}. Notas autorizadas: ${head.authorized}; canceladas: ${head.cancelled}; inutilizações: ${head.inutilizacoes}.`);
    doc.text(`Total das notas válidas: ${formatBRL(s.totalCents)} em ${s.notes} notas.`);
    const table = (title: string, rows: [string, string, string][]) => {
      doc.moveDown().fontSize(12).text(title).fontSize(9);
      for (const [a, b, c] of rows) {
        const y = doc.y;
        doc.text(a, 48, y, { width: 220 });
        doc.text(b, 270, y, { width: 80, align: 'right' });
        doc.text(c, 360, y, { width: 120, align: 'right' });
      }
      doc.x = 48;
    };
    table(
      'Por dia',
      s.byDay.map((d) => [`${d.day.slice(8, 10)}/${d.day.slice(5, 7)}/${d.day.slice(0, 4)}`, `${d.notes} notas`, formatBRL(d.totalCents)]),
    );
    table(
      'Por CFOP',
      s.byCfop.map((c) => [c.cfop, `${c.items} itens`, formatBRL(c.totalCents)]),
    );
    table(
      'Por forma de pagamento',
      s.byMethod.map((m) => [reportPaymentLabel(m.method), `${m.count}`, formatBRL(m.amountCents)]),
    );
    doc.end();
  });
}
