// Live product search under the code field. No debounce: every keystroke asks the core (whose
// catalog index answers in well under a frame) and stale answers are dropped by sequence number.
import { create } from 'zustand';
import type { ProductHit } from '../../shared/contract.ts';
import { call, messageOf, pos } from '../pos.ts';

export const SEARCH_LIMIT = 50;

export interface SearchState {
  query: string;
  results: ProductHit[];
  active: number;
  /** F2: search even for digits (partial codes), and keep the list open. */
  forced: boolean;
  error: string | null;
  /** Sequence of the last answer applied, for tests and the benchmark. */
  answered: number;
  /** A query is on its way to the core: the list waits for it instead of saying "nenhum produto". */
  pending: boolean;
  run(query: string): void;
  move(delta: number): void;
  setForced(forced: boolean): void;
  clear(): void;
}

let seq = 0;

export const useSearch = create<SearchState>()((set, get) => ({
  query: '',
  results: [],
  active: 0,
  forced: false,
  error: null,
  answered: 0,
  pending: false,
  run(query) {
    const mine = ++seq;
    if (query.trim().length === 0) {
      set({ query, results: [], active: 0, error: null, answered: mine, pending: false });
      return;
    }
    set({ query, pending: true });
    call(pos().catalog.search({ query, limit: SEARCH_LIMIT })).then(
      (results) => {
        if (mine !== seq) return;
        set({ results, active: 0, error: null, answered: mine, pending: false });
      },
      (err: unknown) => {
        if (mine !== seq) return;
        set({ results: [], error: messageOf(err), answered: mine, pending: false });
      },
    );
  },
  move(delta) {
    const { results, active } = get();
    if (results.length === 0) return;
    set({ active: Math.min(results.length - 1, Math.max(0, active + delta)) });
  },
  setForced(forced) {
    set({ forced });
  },
  clear() {
    seq++;
    set({ query: '', results: [], active: 0, forced: false, error: null, pending: false });
  },
}));
