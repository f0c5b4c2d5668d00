// ReceiptModel → one self-contained HTML page (inline CSS, QR as inline SVG, no external
// resources) for the on-screen preview, OS/driver printing and PDF. It draws the same fixed-width
// lines as the thermal layout, so what the cashier previews is what the roll shows.
import QRCode from 'qrcode';
import { render as renderSvg } from 'qrcode/lib/renderer/svg-tag.js';
import type { ReceiptLogo, ReceiptModel, ReceiptWidth } from '../../shared/receipt/model.ts';
import { layoutReceipt, type LayoutCopy, type ReceiptLayout } from '../../shared/receipt/layout.ts';

/** Paper and printable width in mm for each column count (80 mm → 72 mm printed; 58 mm → 48 mm). */
export const PAPER: Readonly<Record<ReceiptWidth, { paperMm: number; printableMm: number }>> = {
  48: { paperMm: 80, printableMm: 72 },
  32: { paperMm: 58, printableMm: 48 },
};

const FONT_MM = 2.45; // DejaVu/Liberation Mono advance ≈ 0.602 em: 48 × 1.475 mm = 70.8 mm of the 72 mm printable
const LINE_MM = 3.1;
const QR_MM = 30; // comfortably above the 25 mm minimum of the Manual DANFE NFC-e v6.0
const PAD_MM = 4;
/** Thermal printers print 8 dots a millimetre (203 dpi): the logo keeps its paper size on screen. */
const DOTS_PER_MM = 8;

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/** The QR symbol as `qrcode`'s own SVG (one path, 4-module quiet zone): crisp at any zoom, scannable from a screenshot. */
export function qrSvg(content: string, sizeMm = QR_MM): string {
  const svg = renderSvg(QRCode.create(content, { errorCorrectionLevel: 'M' }), { margin: 4, color: { dark: '#000000', light: '#ffffff' } });
  return svg.replace('<svg ', `<svg class="qr" role="img" aria-label="QR Code da NFC-e" width="${sizeMm}mm" height="${sizeMm}mm" `);
}

/** Page size of one copy, for @page, Electron's print (microns) and printToPDF (inches). */
export function receiptPageSize(model: ReceiptModel): { widthMm: number; heightMm: number } {
  return pageSizeOf(layoutReceipt(model), model.logo);
}

function pageSizeOf(layout: ReceiptLayout, logo: ReceiptLogo | null): { widthMm: number; heightMm: number } {
  const lines = Math.max(...layout.copies.map((c) => c.lines.filter((l) => l.kind === 'text' || l.kind === 'rule').length));
  const logoMm = logo ? logo.height / DOTS_PER_MM + 2 : 0;
  // Rounded up generously: a page too short splits the receipt, a few mm too long is just paper.
  const heightMm = Math.ceil(PAD_MM * 2 + lines * LINE_MM + QR_MM + 8 + logoMm);
  return { widthMm: PAPER[layout.width].paperMm, heightMm };
}

function logoHtml(logo: ReceiptLogo): string {
  const w = logo.width / DOTS_PER_MM;
  const h = logo.height / DOTS_PER_MM;
  return `<div class="g"><img class="logo" alt="Logotipo da loja" src="data:image/png;base64,${logo.pngBase64}" style="width:${w}mm;height:${h}mm"></div>`;
}

function copyHtml(copy: LayoutCopy, width: ReceiptWidth, logo: ReceiptLogo | null): string {
  const out: string[] = [];
  for (const line of copy.lines) {
    if (line.kind === 'rule') out.push(`<div class="l r">${'-'.repeat(width)}</div>`);
    else if (line.kind === 'qr') out.push(`<div class="q">${qrSvg(line.content)}</div>`);
    else if (line.kind === 'logo') {
      if (logo) out.push(logoHtml(logo));
    } else {
      const text = escapeHtml(line.text) || '&nbsp;';
      out.push(line.bold ? `<div class="l"><b>${text}</b></div>` : `<div class="l">${text}</div>`);
    }
  }
  return `<section class="copy"${copy.label ? ` data-via="${escapeHtml(copy.label)}"` : ''}>${out.join('')}</section>`;
}

export interface ReceiptHtmlOptions {
  /** Document title (window title, PDF metadata). */
  title?: string;
}

export function renderReceiptHtml(model: ReceiptModel, options: ReceiptHtmlOptions = {}): string {
  return renderReceiptPage(model, options).html;
}

/** The HTML and its page size from one layout of the model (what an OS print job needs). */
export function renderReceiptPage(model: ReceiptModel, options: ReceiptHtmlOptions = {}): { html: string; page: { widthMm: number; heightMm: number } } {
  const layout = layoutReceipt(model);
  const paper = PAPER[model.width];
  const page = pageSizeOf(layout, model.logo);
  const sidePad = (paper.paperMm - paper.printableMm) / 2;
  const title = options.title ?? `DANFCe NFC-e ${model.identification.numero} série ${model.identification.serie}`;
  const css = [
    `@page{size:${page.widthMm}mm ${page.heightMm}mm;margin:0}`,
    '*{box-sizing:border-box;margin:0;padding:0}',
    'html,body{background:#fff;color:#000}',
    `body{width:${paper.paperMm}mm;font-family:"DejaVu Sans Mono","Liberation Mono",Consolas,"Courier New",monospace;` +
      `font-size:${FONT_MM}mm;line-height:${LINE_MM}mm;-webkit-print-color-adjust:exact;print-color-adjust:exact}`,
    `.copy{width:${paper.paperMm}mm;padding:${PAD_MM}mm ${sidePad}mm;break-after:page}`,
    '.copy:last-child{break-after:auto}',
    '.l{white-space:pre;overflow:hidden}',
    '.l b{font-weight:700}',
    `.q{display:flex;justify-content:center;padding:2mm 0}`,
    '.g{display:flex;justify-content:center;padding:0 0 2mm}',
    '.logo{image-rendering:pixelated}',
    `.qr{width:${Math.min(QR_MM, paper.printableMm)}mm;height:${Math.min(QR_MM, paper.printableMm)}mm}`,
    '@media screen{body{margin:0 auto}.copy+.copy{border-top:1px dashed #888}}',
  ].join('');
  const html =
    '<!doctype html><html lang="pt-BR"><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` +
    `<title>${escapeHtml(title)}</title><style>${css}</style></head>` +
    `<body data-width="${model.width}">${layout.copies.map((c) => copyHtml(c, model.width, model.logo)).join('')}</body></html>`;
  return { html, page };
}
