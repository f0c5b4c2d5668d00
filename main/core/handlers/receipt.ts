import { PosFailure } from '../errors.ts';
import { currentEmitter, requireManager, requireOperator, type ManagerDeps, type Services } from '../services.ts';
import type { ReceiptPort } from '../ports.ts';
import type { Handlers } from './types.ts';
import { printerStatusView, type PrinterStatusView } from '../../../shared/printing/status.ts';

/** The receipt port, the sale it prints, the printer's last result, and a manager for the drawer. */
type ReceiptDeps = ManagerDeps & Pick<Services, 'receipts' | 'profile' | 'events' | 'printer'>;

export const receiptHandlers: Handlers<'receipt.get' | 'receipt.print' | 'printer.openDrawer' | 'printer.status', ReceiptDeps> = {
  async 'receipt.get'(input, s) {
    const detail = s.profile().sales.detail(input.saleId);
    return receipts(s).html(detail, s.settings.get(), currentEmitter(s));
  },
  async 'receipt.print'(input, s) {
    requireOperator(s);
    const sales = s.profile().sales;
    const detail = sales.detail(input.saleId);
    // The core, not the screen, knows whether this is the sale's first print: a reprint never opens the drawer.
    const printable = detail.emission.state === 'authorized' || detail.emission.state === 'contingency' || detail.emission.state === 'contingency_focus';
    const result = await receipts(s).print(detail, s.settings.get(), currentEmitter(s), { firstPrint: printable && sales.claimDrawer(input.saleId) });
    s.events.emit('print.changed', { saleId: input.saleId, ok: result.ok, message: result.message });
    return result;
  },
  async 'printer.openDrawer'(input, s) {
    const operator = requireOperator(s);
    const actor = operator.role === 'manager' ? operator : await requireManager(s, input.managerPin);
    const job = receipts(s).openDrawer?.(null, s.settings.get()) ?? null;
    s.profile().sales.audit(actor.id, 'drawer_open', { job });
    return job
      ? { ok: true, message: 'Gaveta: comando enviado à impressora.' }
      : { ok: false, message: 'A gaveta abre pela impressora de rede (ESC/POS). Configure-a em Configurações, ou use a chave da gaveta.' };
  },
  'printer.status'(_input, s) {
    requireOperator(s);
    return printerStatus(s);
  },
};

/** The printer's own answer (paper, cover), asked now; the last print's result where it cannot be asked. */
export async function printerStatus(s: Pick<Services, 'receipts' | 'settings' | 'printer'>): Promise<PrinterStatusView> {
  const settings = s.settings.get();
  const view = s.receipts?.printerStatus
    ? await s.receipts.printerStatus(settings)
    : printerStatusView('system', 'O status da impressora não pode ser consultado aqui.');
  if (view.code === 'system' && !s.printer.ok) return printerStatusView('not_responding', s.printer.message ?? 'A última impressão falhou.');
  return view;
}

export function receipts(s: Pick<Services, 'receipts'>): ReceiptPort {
  if (!s.receipts) {
    throw new PosFailure(
      'receipt_unavailable',
      'Impressão do cupom indisponível nesta versão. A venda está guardada; reimprima pelo histórico quando a impressora estiver configurada.',
    );
  }
  return s.receipts;
}
