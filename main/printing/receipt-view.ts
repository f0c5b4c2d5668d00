// What the IPC handlers call: the DANFCe model for the shop's printer settings, and the HTML
// preview the renderer shows (ReceiptView of shared/contract.ts).
import type { PrinterSettings, ReceiptView } from '../../shared/contract.ts';
import type { EmissionView } from '../../shared/emission.ts';
import type { Emitter, Sale } from '../../shared/sale.ts';
import { buildReceipt, type ReceiptLogo, type ReceiptModel } from '../../shared/receipt/model.ts';
import { renderReceiptHtml } from './html.ts';
import type { IbsCbsOptions } from '../../shared/fiscal/ibscbs.ts';

export interface ReceiptSource {
  sale: Sale;
  emission: EmissionView;
  emitter: Emitter;
  taxReform?: IbsCbsOptions;
}

/** Throws ReceiptError (pt-BR message) for a cancelled, rejected or not yet authorized note. */
export function receiptModelFor(src: ReceiptSource, printer: Pick<PrinterSettings, 'width' | 'summary'>, logo: ReceiptLogo | null = null): ReceiptModel {
  return buildReceipt({ ...src, options: { width: printer.width, summary: printer.summary, logo } });
}

export function receiptView(src: ReceiptSource, printer: Pick<PrinterSettings, 'width' | 'summary'>, logo: ReceiptLogo | null = null): ReceiptView {
  const model = receiptModelFor(src, printer, logo);
  return { html: renderReceiptHtml(model), copies: model.copies.length };
}
