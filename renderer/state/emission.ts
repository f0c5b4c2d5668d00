// Live emission states pushed by the core ('emission.changed'), and the card of the last sale.
// Bounded: a whole shift of sales must not grow the renderer's memory.
import { create } from 'zustand';
import type { EmissionView } from '../../shared/emission.ts';

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
  apply(view: EmissionView): void;
  setLastSale(sale: LastSale | null): void;
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
    set({ lastSale });
  },
}));
