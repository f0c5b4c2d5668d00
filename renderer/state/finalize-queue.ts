// The optimistic finalize: on the last payment key the till is free at once, and the sale travels
// to the core in the background. Why nothing is lost or doubled:
//  - the sale (its clientId, lines and payments) is written durably (localStorage, synchronous)
//    BEFORE the cart is cleared and before the call leaves; the core journals it before it
//    answers, and only that answer removes it here. A renderer that dies between the key and the
//    answer finds the sale in this queue at the next start and sends it again;
//  - every send of a sale carries the same clientId, and the core keeps one sale per clientId, so a
//    re-send after a lost answer or a restart is the same sale, never a second one;
//  - a finalize the core refuses (or that cannot reach it) comes back: it is kept here, said loudly,
//    and put back on the payment screen as soon as the till is free, with its clientId.
// Failures of the note (rejected, denied…) are not failures of the finalize: they arrive later as
// emission states and stay in the in-flight strip.
import type { Payment } from '../../shared/sale.ts';
import type { CartLine } from './cart-logic.ts';

/** What the cart held when the last payment key was pressed (everything to rebuild the sale). */
export interface SaleSnapshot {
  clientId: string;
  lines: CartLine[];
  nextSeq: number;
  saleDiscountCents: number;
  customerDocument: string | null;
  payments: Payment[];
}

export interface QueuedSale {
  snapshot: SaleSnapshot;
  totalCents: number;
  changeCents: number;
  /** Date.now() at the payment key. */
  paidAt: number;
}

export interface ReturnedSale extends QueuedSale {
  code: string;
  message: string;
  needsManager: boolean;
}

export interface QueueState {
  /** Sent, no answer yet (durable: re-sent at the next start). */
  pending: QueuedSale[];
  /** Refused by the core or never reached it: waiting for the till to be free to come back. */
  returned: ReturnedSale[];
}

export interface QueueDeps<A> {
  /** The finalize call; rejects when the core refused it or could not be reached. */
  send(sale: QueuedSale): Promise<A>;
  read(): QueueState;
  /** Must be durable when it returns (the crash guarantee above rests on it). */
  write(state: QueueState): void;
  answered(sale: QueuedSale, answer: A): void;
  returned(sale: ReturnedSale): void;
  describe(err: unknown): { code: string; message: string; needsManager: boolean };
}

export interface FinalizeQueue {
  /** Journal the sale here, then send it; returns at once (the answer lands later). */
  submit(sale: QueuedSale): void;
  /** Send again what an earlier run of the page left unanswered. */
  resume(): void;
  /** The oldest returned sale, taken off the queue (the caller puts it back on screen). */
  takeReturned(): ReturnedSale | null;
  inFlight(clientId: string): boolean;
}

const without = <T extends QueuedSale>(list: readonly T[], clientId: string): T[] => list.filter((s) => s.snapshot.clientId !== clientId);

export function createFinalizeQueue<A>(deps: QueueDeps<A>): FinalizeQueue {
  const sending = new Set<string>();

  function dispatch(sale: QueuedSale): void {
    const id = sale.snapshot.clientId;
    sending.add(id);
    let pendingCall: Promise<A>;
    try {
      pendingCall = deps.send(sale);
    } catch (err) {
      pendingCall = Promise.reject(err);
    }
    pendingCall.then(
      (answer) => {
        sending.delete(id);
        const s = deps.read();
        deps.write({ ...s, pending: without(s.pending, id) });
        deps.answered(sale, answer);
      },
      (err: unknown) => {
        sending.delete(id);
        const back: ReturnedSale = { ...sale, ...deps.describe(err) };
        const s = deps.read();
        deps.write({ pending: without(s.pending, id), returned: [...without(s.returned, id), back] });
        deps.returned(back);
      },
    );
  }

  return {
    submit(sale) {
      const s = deps.read();
      deps.write({ ...s, pending: [...without(s.pending, sale.snapshot.clientId), sale] });
      dispatch(sale);
    },
    resume() {
      for (const sale of deps.read().pending) if (!sending.has(sale.snapshot.clientId)) dispatch(sale);
    },
    takeReturned() {
      const s = deps.read();
      const [first, ...rest] = s.returned;
      if (!first) return null;
      deps.write({ ...s, returned: rest });
      return first;
    },
    inFlight(clientId) {
      return sending.has(clientId);
    },
  };
}
