// Print jobs as the core reports them ('print.changed'): queued, printing, retrying, done, failed
// with a code (paper_out, cover_open, offline…). The screen shows the truth, never "sent" for
// a job still waiting on a printer that is off.
import { create } from 'zustand';
import type { PrintChanged } from '../../shared/contract.ts';

const KEEP = 50;

export interface PrintingStore {
  /** The latest receipt job per sale. */
  bySale: Map<number, PrintChanged>;
  apply(event: PrintChanged): void;
}

export const usePrinting = create<PrintingStore>()((set, get) => ({
  bySale: new Map(),
  apply(event) {
    // The drawer's job says nothing about the receipt (it shows in the status bar if it fails).
    if (event.kind === 'drawer') return;
    const prev = get().bySale.get(event.saleId);
    // Events of an older job of the same sale must not overwrite a newer reprint's state.
    if (prev?.jobId && event.jobId && jobNumber(event.jobId) < jobNumber(prev.jobId)) return;
    // The call's "queued" answer may arrive after the job's own later events.
    if (prev && prev.jobId === event.jobId && event.state === 'queued') return;
    const bySale = new Map(get().bySale);
    bySale.delete(event.saleId);
    bySale.set(event.saleId, event);
    while (bySale.size > KEEP) {
      const oldest = bySale.keys().next().value;
      if (oldest === undefined) break;
      bySale.delete(oldest);
    }
    set({ bySale });
  },
}));

function jobNumber(id: string): number {
  return Number(id.replace(/\D/g, '')) || 0;
}

/** What the cashier reads about a receipt job. */
export function printStateText(e: PrintChanged, reprintKey: string): { tone: 'ok' | 'info' | 'error'; text: string } {
  switch (e.state) {
    case 'queued':
      return { tone: 'info', text: 'Cupom na fila da impressora…' };
    case 'printing':
      return { tone: 'info', text: 'Imprimindo o cupom…' };
    case 'retrying':
      return { tone: 'error', text: `${e.message ?? 'A impressora não respondeu.'} Tentando de novo…` };
    case 'done':
      return { tone: 'ok', text: 'Cupom impresso.' };
    case 'failed':
    default:
      if (e.ok) return { tone: 'ok', text: 'Cupom impresso.' };
      return { tone: 'error', text: `Cupom não impresso: ${e.message ?? 'a impressora não respondeu.'} Reimprima com ${reprintKey} ou em Vendas.` };
  }
}
