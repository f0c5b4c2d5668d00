// Live emission states pushed by the core ('emission.changed'), and the card of the last sale.
// Bounded: a whole shift of sales must not grow the renderer's memory.
import { create } from 'zustand';
import type { EmissionState, EmissionView } from '../../shared/emission.ts';

const KEEP = 50;

export interface LastSale {
  saleId: number;
  totalCents: number;
  changeCents: number;
  finishedAt: number;
}

export interface EmissionStore {
  views: Map<number, EmissionView>;
  lastSale: LastSale | null;
  /** Sales of this session, newest last: the strip shows those still moving or in trouble. */
  flights: LastSale[];
  /** Problems someone has seen and taken on (they still count in the status bar until fixed). */
  dismissed: Set<number>;
  apply(view: EmissionView): void;
  setLastSale(sale: LastSale | null): void;
  dismiss(saleId: number): void;
}

/** Still on its way to a valid note: the cashier need not do anything. */
export const MOVING: readonly EmissionState[] = ['pending', 'sending', 'unknown'];
/** Ended without a valid note: stays loud in the strip until someone acts. */
export const PROBLEM: readonly EmissionState[] = ['rejected', 'denied', 'blocked'];

/** The sales the strip shows: moving ones, and problems nobody has taken on yet. */
export function stripSales(
  s: Pick<EmissionStore, 'flights' | 'views' | 'dismissed'>,
): { sale: LastSale; state: EmissionState; view: EmissionView | undefined }[] {
  const out: { sale: LastSale; state: EmissionState; view: EmissionView | undefined }[] = [];
  for (const sale of s.flights) {
    const view = s.views.get(sale.saleId);
    const state = view?.state ?? 'pending';
    if (MOVING.includes(state) || (PROBLEM.includes(state) && !s.dismissed.has(sale.saleId))) out.push({ sale, state, view });
  }
  return out;
}

/** Events can arrive out of order (finalize's answer vs. the push): keep the newest. */
export function isNewer(next: EmissionView, prev: EmissionView | undefined): boolean {
  if (!prev) return true;
  if (next.attempt !== prev.attempt) return next.attempt > prev.attempt;
  return next.updatedAt >= prev.updatedAt;
}

export const useEmission = create<EmissionStore>()((set, get) => ({
  views: new Map(),
  lastSale: null,
  flights: [],
  dismissed: new Set(),
  apply(view) {
    const prev = get().views.get(view.saleId);
    if (!isNewer(view, prev)) return;
    const views = new Map(get().views);
    views.delete(view.saleId);
    views.set(view.saleId, view);
    while (views.size > KEEP) {
      const oldest = views.keys().next().value;
      if (oldest === undefined) break;
      views.delete(oldest);
    }
    set({ views });
  },
  setLastSale(lastSale) {
    if (!lastSale) return set({ lastSale });
    const flights = [...get().flights.filter((f) => f.saleId !== lastSale.saleId), lastSale];
    // Keep a shift's tail: a problem sale older than this is still in Vendas and the status bar.
    while (flights.length > 30) flights.shift();
    set({ lastSale, flights });
  },
  dismiss(saleId) {
    const dismissed = new Set(get().dismissed);
    dismissed.add(saleId);
    set({ dismissed });
  },
}));
