import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { buildReceipt } from '../../../../shared/receipt/model.ts';
import { escapeHtml, qrSvg, receiptPageSize, renderReceiptHtml } from '../../../../main/printing/html.ts';
import { receiptView } from '../../../../main/printing/receipt-view.ts';
import { sampleReceiptInput } from '../../../../main/printing/sample.ts';
import { scenario } from '../../../fixtures/receipt/scenarios.ts';

describe('renderReceiptHtml', () => {
  it('is a self-contained page: inline CSS, inline SVG QR, nothing fetched', () => {
    const html = renderReceiptHtml(buildReceipt(scenario('authorized')));
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<(script|link|img)\b/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(html.match(/<svg /g)).toHaveLength(1);
    expect(html).toContain('size:80mm');
    expect(html).toContain('MERCEARIA SÃO JOÃO LTDA');
    expect(html).toContain('Empório do Bairro');
  });

  it('58 mm paper for 32 columns, two page-broken sections in contingency', () => {
    expect(renderReceiptHtml(buildReceipt(scenario('58mm')))).toContain('size:58mm');
    const html = renderReceiptHtml(buildReceipt(scenario('contingency')));
    expect(html.match(/<section class="copy"/g)).toHaveLength(2);
    expect(html).toContain('data-via="Via Consumidor"');
    expect(html).toContain('data-via="Via Estabelecimento"');
    expect(html).toContain('EMITIDA EM CONTINGÊNCIA');
  });

  it('escapes text from the catalog', () => {
    const input = sampleReceiptInput({ environment: 'producao', items: 1 });
    const item = input.sale.items[0];
    if (!item) throw new Error('no item');
    item.description = '<script>alert("x")</script> & Cia';
    const html = renderReceiptHtml(buildReceipt(input));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;');
    expect(escapeHtml(`a'b`)).toBe('a&#39;b');
  });

  it('page height grows with the number of items', () => {
    const small = receiptPageSize(buildReceipt(sampleReceiptInput({ items: 2 })));
    const big = receiptPageSize(buildReceipt(sampleReceiptInput({ items: 60 })));
    expect(small.widthMm).toBe(80);
    expect(big.heightMm).toBeGreaterThan(small.heightMm + 60 * 2 * 3);
  });

  it('qrSvg draws a square symbol with a quiet zone', () => {
    const svg = qrSvg('https://example.com/?p=1', 30);
    expect(svg).toContain('width="30mm" height="30mm"');
    // A 4-module quiet zone on each side of the symbol.
    const n = QRCode.create('https://example.com/?p=1', { errorCorrectionLevel: 'M' }).modules.size;
    expect(svg).toContain(`viewBox="0 0 ${n + 8} ${n + 8}"`);
  });

  it('receiptView gives the preview HTML and the copy count for the IPC', () => {
    const view = receiptView(scenario('contingency'), { width: 48, summary: false });
    expect(view.copies).toBe(2);
    expect(view.html).toContain('Via Estabelecimento');
    expect(() =>
      receiptView({ ...scenario('authorized'), emission: { ...scenario('authorized').emission, state: 'cancelled' } }, { width: 48, summary: false }),
    ).toThrow(/cancelada/);
  });
});
