// Paper for the register: sangria/suprimento vouchers and the X/Z report, as fixed-width lines
// (the same text is kept in the journal and sent to the ESC/POS printer).
import { formatBRL } from '../../shared/money.ts';
import { paymentLabel } from '../../shared/fiscal/tpag.ts';
import { center, labelValue, wrap } from '../../shared/receipt/text.ts';
import { GROUP_LABEL_PT } from '../../shared/register/methods.ts';
import type { ClosingLine, RegisterReport } from '../../shared/register/report.ts';

import type { VoucherLine } from '../printing/voucher.ts';

export type { VoucherLine };

class Paper {
  readonly lines: VoucherLine[] = [];
  readonly width: number;
  constructor(width: number) {
    this.width = width;
  }
  title(t: string): void {
    this.lines.push({ text: center(t, this.width), bold: true });
  }
  text(t: string): void {
    for (const l of wrap(t, this.width)) this.lines.push({ text: l });
  }
  pair(l: string, v: string, bold = false): void {
    for (const x of labelValue(l, v, this.width)) this.lines.push(bold ? { text: x, bold } : { text: x });
  }
  rule(): void {
    this.lines.push({ rule: true });
  }
}

export function dateTimeBR(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getDate())}/${p(d.getMonth() + 1)}/${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function movementVoucher(
  m: {
    kind: 'sangria' | 'suprimento';
    amountCents: number;
    reason: string;
    operatorName: string;
    managerName: string;
    atMs: number;
    terminalId: string;
    id: number;
  },
  width: number,
): VoucherLine[] {
  const p = new Paper(width);
  p.title(m.kind === 'sangria' ? 'SANGRIA DE CAIXA' : 'SUPRIMENTO DE CAIXA');
  p.title('NÃO É DOCUMENTO FISCAL');
  p.rule();
  p.pair('Caixa', m.terminalId);
  p.pair('Comprovante nº', String(m.id));
  p.pair('Data', dateTimeBR(m.atMs));
  p.pair('Valor', formatBRL(m.amountCents), true);
  p.text(`Motivo: ${m.reason}`);
  p.pair('Operador', m.operatorName);
  p.pair('Autorizado por', m.managerName);
  p.rule();
  p.text('');
  p.text('Assinatura: ______________________');
  return p.lines;
}

export function reportVoucher(r: RegisterReport, width: number, closing?: ClosingLine[]): VoucherLine[] {
  const p = new Paper(width);
  p.title(r.kind === 'Z' ? `REDUÇÃO Z Nº ${r.zNumber ?? ''}` : 'LEITURA X (PARCIAL)');
  p.title('NÃO É DOCUMENTO FISCAL');
  p.rule();
  p.pair('Caixa', r.terminalId);
  p.pair('Abertura', dateTimeBR(r.openedMs));
  p.pair(r.kind === 'Z' ? 'Fechamento' : 'Emitido em', dateTimeBR(r.closedMs ?? r.generatedMs));
  p.pair('Fundo de troco', formatBRL(r.openingCents));
  p.pair(`Suprimentos (${r.suprimentos.count})`, formatBRL(r.suprimentos.cents));
  p.pair(`Sangrias (${r.sangrias.count})`, formatBRL(r.sangrias.cents));
  p.rule();
  p.pair(`Vendas (${r.sales.count})`, formatBRL(r.sales.cents), true);
  p.pair(`Descontos (${r.discounts.count})`, formatBRL(r.discounts.cents));
  for (const m of r.byMethod) p.pair(`${paymentLabel(m.method)} (${m.count})`, formatBRL(m.amountCents));
  p.rule();
  p.text('Por operador');
  for (const o of r.byOperator) p.pair(`${o.name} (${o.count})`, formatBRL(o.totalCents));
  p.rule();
  p.pair(`Itens cancelados (${r.cancelledItems.count})`, formatBRL(r.cancelledItems.cents));
  p.pair(`Vendas canceladas (${r.cancelledSales.count})`, formatBRL(r.cancelledSales.cents));
  p.pair(`Notas canceladas (${r.cancelledNotes.count})`, formatBRL(r.cancelledNotes.cents));
  p.pair(`Contingência pendente (${r.contingencyPending.count})`, formatBRL(r.contingencyPending.cents));
  if (r.notesInFlight > 0) p.pair('Notas ainda em envio', String(r.notesInFlight));
  p.rule();
  p.text('Numeração');
  if (r.numbering.length === 0) p.text('Nenhuma nota numerada.');
  for (const n of r.numbering) p.pair(`Série ${n.serie}`, `${n.first} a ${n.last} (${n.count})`);
  if (closing) {
    p.rule();
    p.text('Conferência (declarado − esperado)');
    for (const l of closing) {
      p.pair(GROUP_LABEL_PT[l.group], '');
      p.pair('  esperado / declarado', `${formatBRL(l.expectedCents)} / ${formatBRL(l.declaredCents)}`);
      p.pair('  diferença', formatBRL(l.differenceCents), l.differenceCents !== 0);
    }
  }
  return p.lines;
}

export function voucherText(lines: VoucherLine[], width: number): string {
  return lines.map((l) => ('rule' in l ? '-'.repeat(width) : l.text)).join('\n');
}
