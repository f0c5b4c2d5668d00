// ReceiptModel → fixed-width lines for 80 mm (48 columns) and 58 mm (32 columns) rolls.
// Both renderers draw these same lines (ESC/POS as text, HTML in a monospace block), so the
// preview on screen is the paper. Every text line is at most `width` characters long.
import { formatReceiptMoney as money, type ReceiptModel, type ReceiptWidth } from './model.ts';
import { center, glueMeasures, labelValue, right, unglue, wrap, wrapBalanced, wrapSegments } from './text.ts';

export type LayoutLine = { kind: 'text'; text: string; bold?: boolean } | { kind: 'rule' } | { kind: 'qr'; content: string } | { kind: 'logo' };

export interface LayoutCopy {
  /** 'Via Consumidor' / 'Via Estabelecimento' in contingency, otherwise null. */
  label: string | null;
  lines: LayoutLine[];
}

export interface ReceiptLayout {
  width: ReceiptWidth;
  copies: LayoutCopy[];
}

class Lines {
  readonly out: LayoutLine[] = [];
  readonly width: number;
  constructor(width: number) {
    this.width = width;
  }
  text(text: string, bold = false): void {
    this.out.push(bold ? { kind: 'text', text, bold } : { kind: 'text', text });
  }
  centered(text: string, bold = false): void {
    for (const l of wrapBalanced(text, this.width)) this.text(center(l, this.width), bold);
  }
  centeredSegments(segments: string[], bold = false): void {
    for (const l of wrapSegments(segments, this.width)) this.text(center(l, this.width), bold);
  }
  pair(label: string, value: string, bold = false): void {
    for (const l of labelValue(label, value, this.width)) this.text(l, bold);
  }
  rule(): void {
    this.out.push({ kind: 'rule' });
  }
}

function items(b: Lines, model: ReceiptModel): void {
  const w = b.width;
  const list = model.items;
  if (!list) return;
  const indent = '    ';
  b.text('#   Código Descrição', true);
  const qtyHead = w >= 48 ? `${indent}Qtde UN x Vl Unit R$` : `${indent}Qtde UN x Vl Unit`;
  b.text(qtyHead + right(w >= 48 ? 'Vl Total R$' : 'Vl Total', w - qtyHead.length), true);
  for (const it of list) {
    const seq = String(it.seq).padStart(3, '0');
    const prefix = `${seq} ${it.code} `;
    // A long internal code (up to 60 characters) would leave no room for the description.
    if (prefix.length > Math.floor(w / 2)) {
      for (const l of wrap(`${seq} ${it.code}`, w, w)) b.text(l);
      for (const l of wrap(glueMeasures(it.description), w - indent.length)) b.text(indent + unglue(l));
    } else {
      const desc = wrap(glueMeasures(it.description), w - indent.length, w - prefix.length);
      desc.forEach((l, i) => b.text(i === 0 ? prefix + unglue(l) : indent + unglue(l)));
    }
    const qtyText = `${indent}${it.qty} ${it.unit} x ${money(it.unitPriceCents)}`;
    const total = money(it.totalCents);
    if (qtyText.length + 1 + total.length <= w) {
      b.text(qtyText + right(total, w - qtyText.length));
    } else {
      for (const l of wrap(qtyText, w - indent.length)) b.text(indent + l.trimStart());
      b.text(right(total, w));
    }
  }
}

function totalsAndPayments(b: Lines, model: ReceiptModel): void {
  const t = model.totals;
  b.pair('Qtd. total de itens', String(t.itemCount));
  b.pair('Valor total R$', money(t.grossCents));
  if (t.discountCents > 0) b.pair('Desconto R$', money(t.discountCents));
  b.pair('Valor a Pagar R$', money(t.payableCents), true);
  b.pair('FORMA DE PAGAMENTO', 'VALOR PAGO R$', true);
  for (const p of model.payments) b.pair(p.label, money(p.amountCents));
  if (model.changeCents > 0) b.pair('Troco R$', money(model.changeCents));
}

function copyLines(model: ReceiptModel, width: ReceiptWidth, label: string | null): LayoutLine[] {
  const b = new Lines(width);
  const h = model.header;

  // The logo is an image line: each renderer draws model.logo where it stands.
  if (model.logo) b.out.push({ kind: 'logo' });
  b.centered(h.name, true);
  if (h.tradeName && h.tradeName !== h.name) b.centered(h.tradeName);
  b.centeredSegments([h.document, `IE: ${h.ie}`]);
  for (const a of h.address) b.centered(a);
  b.rule();

  for (const t of model.title) b.centered(t, t === model.title[0]);
  for (const m of model.fiscalMessages) b.centered(m, true);
  b.rule();

  if (model.items) {
    items(b, model);
    b.rule();
  }

  totalsAndPayments(b, model);
  b.rule();

  b.centered(model.consulta.label, true);
  for (const l of wrap(model.consulta.url, width)) b.text(center(l, width));
  for (const g of model.consulta.chaveGroups) b.text(center(g, width));
  b.rule();

  for (const c of model.consumer) b.centered(c, c === model.consumer[0]);
  b.rule();

  const id = model.identification;
  b.centeredSegments([`NFC-e nº ${id.numero}`, `Série ${id.serie}`, id.emittedAt], true);
  if (label) b.centered(label, true);
  if (id.protocolo) {
    b.centeredSegments(['Protocolo de autorização:', id.protocolo]);
    if (id.authorizedAt) b.centeredSegments(['Data de autorização:', id.authorizedAt]);
  }

  b.out.push({ kind: 'qr', content: model.qrContent });

  b.centered(`${model.tax.label}: R$ ${money(model.tax.cents)}`);
  if (model.ibsCbs) b.centeredSegments([`${model.ibsCbs.label}:`, `IBS R$ ${money(model.ibsCbs.ibsCents)}`, `CBS R$ ${money(model.ibsCbs.cbsCents)}`]);
  for (const n of model.notices) b.centered(n);
  return b.out;
}

export function layoutReceipt(model: ReceiptModel, width: ReceiptWidth = model.width): ReceiptLayout {
  if (width !== 48 && width !== 32) throw new RangeError('largura de bobina inválida: 48 ou 32 colunas');
  return { width, copies: model.copies.map((label) => ({ label, lines: copyLines(model, width, label) })) };
}

/** The layout as plain text (golden files, logs, e-mail body). The QR is a placeholder line. */
export function layoutToText(layout: ReceiptLayout): string {
  const out: string[] = [];
  layout.copies.forEach((copy, i) => {
    if (i > 0) out.push('='.repeat(layout.width));
    for (const l of copy.lines) {
      if (l.kind === 'rule') out.push('-'.repeat(layout.width));
      else if (l.kind === 'qr') out.push(center('[QR Code]', layout.width));
      else if (l.kind === 'logo') out.push(center('[Logotipo]', layout.width));
      else out.push(l.text.replace(/\s+$/, ''));
    }
  });
  return `${out.join('\n')}\n`;
}
