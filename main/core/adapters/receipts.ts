// ReceiptPort over main/printing: the HTML DANFCe for the preview, and printing through the
// background queue (the checkout never waits for the printer).
import type { PrinterSettings } from '../../../shared/contract.ts';
import { PrintQueue } from '../../printing/queue.ts';
import { createReceiptPrinter, type PrinterDeps } from '../../printing/printer.ts';
import { receiptModelFor, receiptView } from '../../printing/receipt-view.ts';
import { printTestPage } from '../../printing/test-page.ts';
import { printVoucher } from '../../printing/voucher.ts';
import { printErrorMessage } from '../../printing/transports/transport.ts';
import type { ReceiptPort } from '../ports.ts';

export function printingReceipts(deps: PrinterDeps = {}): ReceiptPort {
  let printer: PrinterSettings | null = null;
  const listeners = new Set<(e: { saleId: number | null; ok: boolean; message: string | null }) => void>();
  const queue = new PrintQueue({
    // Read per attempt: a printer changed in the settings applies to the next try.
    printer: () => (printer ? createReceiptPrinter(printer, deps) : null),
    onEvent: (e) => {
      for (const l of listeners) l({ saleId: e.saleId, ok: e.ok, message: e.message });
    },
  });

  return {
    async html(detail, settings, emitter) {
      return receiptView({ sale: detail.sale, emission: detail.emission, emitter }, settings.printer);
    },
    async print(detail, settings, emitter) {
      if (settings.printer.kind === 'none') {
        return { ok: false, message: 'Nenhuma impressora configurada. O gerente escolhe a impressora em Configurações; a venda está guardada.' };
      }
      printer = settings.printer;
      try {
        // Builds the model now, so a cancelled or rejected note is refused with its reason.
        const model = receiptModelFor({ sale: detail.sale, emission: detail.emission, emitter }, settings.printer);
        queue.enqueue(model, { saleId: detail.sale.id });
        return { ok: true, message: 'Cupom enviado para a impressora.' };
      } catch (err) {
        return { ok: false, message: printErrorMessage(err) };
      }
    },
    async printTestPage(settings) {
      return printTestPage(settings.printer, deps);
    },
    printVoucher(lines, settings) {
      return printVoucher(lines, settings.printer, deps);
    },
    onPrint(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      await queue.close();
    },
  };
}
