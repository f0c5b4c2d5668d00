import { PosFailure } from '../errors.ts';
import { currentEmitter, requireOperator, type Services } from '../services.ts';
import type { ReceiptPort } from '../ports.ts';
import type { Handlers } from './types.ts';

export const receiptHandlers: Handlers<'receipt.get' | 'receipt.print'> = {
  async 'receipt.get'(input, s) {
    const detail = s.profile().sales.detail(input.saleId);
    return receipts(s).html(detail, s.settings.get(), currentEmitter(s));
  },
  async 'receipt.print'(input, s) {
    requireOperator(s);
    const detail = s.profile().sales.detail(input.saleId);
    const result = await receipts(s).print(detail, s.settings.get(), currentEmitter(s));
    s.events.emit('print.changed', { saleId: input.saleId, ok: result.ok, message: result.message });
    return result;
  },
};

export function receipts(s: Services): ReceiptPort {
  if (!s.receipts) {
    throw new PosFailure('receipt_unavailable', 'Impressão do cupom indisponível nesta versão. A venda está guardada; reimprima pelo histórico quando a impressora estiver configurada.');
  }
  return s.receipts;
}
