// Reprint a sale's receipt (the key on the checkout, the card's button, Vendas). The answer only
// says "queued": the job's real outcome arrives as 'print.changed' and shows where the sale shows.
import { call, pos } from '../../pos.ts';
import { usePrinting } from '../../state/printing.ts';

export async function reprint(saleId: number): Promise<void> {
  const r = await call(pos().receipt.print({ saleId }));
  if (r.jobId) {
    usePrinting.getState().apply({ saleId, ok: false, message: null, jobId: r.jobId, kind: 'receipt', state: r.state ?? 'queued' });
  } else if (!r.ok) {
    usePrinting.getState().apply({ saleId, ok: false, message: r.message, kind: 'receipt', state: 'failed', code: 'not_queued' });
  }
}
