// "Imprimir página de teste" in the settings: a sample DANFCe in homologation (never a valid
// document) with the accents line, so the shop checks the code page, the width and that the QR
// scans, before the first real sale.
import type { PrinterSettings, PrintResult } from '../../shared/contract.ts';
import type { Emitter } from '../../shared/sale.ts';
import { buildReceipt, type ReceiptLogo, type ReceiptModel } from '../../shared/receipt/model.ts';
import { createReceiptPrinter, type PrinterDeps } from './printer.ts';
import { ACCENTS_LINE, sampleReceiptInput } from './sample.ts';
import { printErrorMessage } from './transports/transport.ts';

export const TEST_PAGE_NOTICE = 'PÁGINA DE TESTE – NÃO É DOCUMENTO FISCAL';

/**
 * With the shop's logo and header when there are some: the manager sees them printed before the
 * first sale (never another shop's name on their paper).
 */
export function testPageModel(settings: Pick<PrinterSettings, 'width'>, logo: ReceiptLogo | null = null, emitter: Emitter | null = null): ReceiptModel {
  return buildReceipt(
    sampleReceiptInput({
      items: 3,
      environment: 'homologacao',
      width: settings.width,
      cash: true,
      notices: [TEST_PAGE_NOTICE, ACCENTS_LINE],
      logo,
      emitter,
    }),
  );
}

/** Prints once, right away (the manager is watching the printer), and says how it went. */
export async function printTestPage(
  settings: PrinterSettings,
  deps: PrinterDeps = {},
  signal?: AbortSignal,
  logo: ReceiptLogo | null = null,
  emitter: Emitter | null = null,
): Promise<PrintResult> {
  try {
    const printer = createReceiptPrinter(settings, deps);
    if (!printer) return { ok: false, message: 'Nenhuma impressora configurada: escolha a impressora de rede ou do sistema.' };
    await printer.print(testPageModel(settings, logo, emitter), signal);
    return { ok: true, message: `Página de teste enviada para ${printer.name}. Confira os acentos e leia o QR Code com o celular.` };
  } catch (err) {
    return { ok: false, message: printErrorMessage(err) };
  }
}
