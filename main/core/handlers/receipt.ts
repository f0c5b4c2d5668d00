import { PosFailure } from '../errors.ts';
import { currentEmitter, requireManager, requireOperator, type ManagerDeps, type Services } from '../services.ts';
import type { ReceiptPort } from '../ports.ts';
import type { Handlers } from './types.ts';

/** The receipt port, the sale it prints, and a manager for the drawer. */
type ReceiptDeps = ManagerDeps & Pick<Services, 'receipts' | 'profile' | 'events'>;

export const receiptHandlers: Handlers<'receipt.get' | 'receipt.print' | 'printer.openDrawer', ReceiptDeps> = {
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
};

export function receipts(s: Pick<Services, 'receipts'>): ReceiptPort {
  if (!s.receipts) {
    throw new PosFailure(
      'receipt_unavailable',
      'Impressão do cupom indisponível nesta versão. A venda está guardada; reimprima pelo histórico quando a impressora estiver configurada.',
    );
  }
  return s.receipts;
}
