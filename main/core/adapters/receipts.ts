// ReceiptPort over main/printing: the HTML DANFCe for the preview, and printing through the
// background queue (the checkout never waits for the printer).
import type { PrinterSettings } from '../../../shared/contract.ts';
import { PrintQueue } from '../../printing/queue.ts';
import { createReceiptPrinter, type PrinterDeps } from '../../printing/printer.ts';
import { receiptModelFor, receiptView } from '../../printing/receipt-view.ts';
import { withDrawerKick, type ReceiptLogo } from '../../../shared/receipt/model.ts';
import { printTestPage } from '../../printing/test-page.ts';
import { printVoucher } from '../../printing/voucher.ts';
import { printErrorMessage } from '../../printing/transports/transport.ts';
import { queryPrinterStatus } from '../../printing/status.ts';
import type { PrintEvent, ReceiptPort } from '../ports.ts';

/** `logo` reads the shop's receipt logo at each print (null = none). */
export function printingReceipts(deps: PrinterDeps = {}, logo: () => ReceiptLogo | null = () => null): ReceiptPort {
  let printer: PrinterSettings | null = null;
  const listeners = new Set<(e: PrintEvent) => void>();
  const queue = new PrintQueue({
    // Read per attempt: a printer changed in the settings applies to the next try.
    printer: () => (printer ? createReceiptPrinter(printer, deps) : null),
    onEvent: (e) => {
      const ev: PrintEvent = { saleId: e.saleId, ok: e.ok, message: e.message, jobId: e.job.id, kind: e.job.kind, state: e.job.state, code: e.job.errorCode };
      for (const l of listeners) l(ev);
    },
  });

  return {
    async html(detail, settings, emitter) {
      return receiptView(
        { sale: detail.sale, emission: detail.emission, emitter, taxReform: { earlyStart: settings.ibsCbsEarlyStart } },
        settings.printer,
        logo(),
      );
    },
    async print(detail, settings, emitter, opts = {}) {
      if (settings.printer.kind === 'none') {
        return { ok: false, message: 'Nenhuma impressora configurada. O gerente escolhe a impressora em Configurações; a venda está guardada.' };
      }
      printer = settings.printer;
      try {
        // Builds the model now, so a cancelled or rejected note is refused with its reason.
        const model = receiptModelFor(
          { sale: detail.sale, emission: detail.emission, emitter, taxReform: { earlyStart: settings.ibsCbsEarlyStart } },
          settings.printer,
          logo(),
        );
        const job = queue.enqueue(withDrawerKick(model, opts.firstPrint === true), { saleId: detail.sale.id });
        // Queued is not printed: the job's later states arrive as 'print.changed'.
        return { ok: true, message: 'Cupom na fila da impressora.', jobId: job.id, state: job.state };
      } catch (err) {
        return { ok: false, message: printErrorMessage(err) };
      }
    },
    openDrawer(saleId, settings) {
      if (settings.printer.kind !== 'network') return null;
      printer = settings.printer;
      return queue.enqueueDrawer(saleId).id;
    },
    async printTestPage(settings, emitter) {
      return printTestPage(settings.printer, deps, undefined, logo(), emitter);
    },
    printerStatus(settings) {
      return queryPrinterStatus(settings.printer, deps);
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
