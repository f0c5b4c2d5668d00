// In-memory index answering name/code prefix searches in well under a millisecond for 100k
// products. Products are kept in name order (slot = rank), so walking slots in order yields
// alphabetical results and the walk stops as soon as `limit` are found.
//   - words: the sorted vocabulary of accent-folded description words, each with its posting
//     list (slots, ascending). A query word matches every vocabulary word it prefixes.
//   - codes / gtins: sorted arrays for prefix search by internal code or barcode.
// Every query word must prefix some word of the description, in any order.
import type { Product } from '../../shared/sale.ts';
import { fold, tokens } from './normalize.ts';

interface Keyed {
  keys: string[];
  slots: Int32Array;
}

export class SearchIndex {
  #products: Product[] = [];
  #wordsOf: string[][] = [];
  #vocab: string[] = [];
  #postings: Int32Array[] = [];
  #codes: Keyed = { keys: [], slots: new Int32Array(0) };
  #gtins: Keyed = { keys: [], slots: new Int32Array(0) };
  /** Scratch marks reused by every query (no allocation per keystroke). */
  #mark = new Uint8Array(0);

  constructor(products: readonly Product[] = []) {
    this.#build(products);
  }

  get size(): number {
    return this.#products.length;
  }

  /** Insert or replace one product (catalog.update). Rebuilds: updates are rare, searches are not. */
  upsert(product: Product): void {
    const rest = this.#products.filter((p) => p.id !== product.id);
    rest.push(product);
    this.#build(rest);
  }

  /** Every product in name order (the register's unfiltered list). */
  all(): readonly Product[] {
    return this.#products;
  }

  /** Inactive products are left out unless `includeInactive` (the register lists them, the till never). */
  search(query: string, limit: number, includeInactive = false): Product[] {
    const q = query.trim();
    if (q === '' || limit <= 0) return [];
    const out: Product[] = [];
    const seen = new Set<number>();
    const push = (slot: number) => {
      if (out.length < limit && !seen.has(slot)) {
        seen.add(slot);
        const p = this.#products[slot]!;
        if (includeInactive || p.active) out.push(p);
      }
    };
    const folded = fold(q);
    if (/^[a-z0-9-]+$/.test(folded) && /\d/.test(folded)) {
      for (const s of prefixSlots(this.#codes, folded, limit)) push(s);
      for (const s of prefixSlots(this.#gtins, folded, limit)) push(s);
      if (out.length >= limit) return out;
    }
    const qt = [...new Set(tokens(q))];
    if (qt.length === 0) return out;

    // The query word with the fewest postings drives the walk; the others are checked per product.
    let best: [number, number] = [0, 0];
    let bestCount = Infinity;
    let bestTok = '';
    for (const t of qt) {
      const r = range(this.#vocab, t);
      let count = 0;
      for (let i = r[0]; i < r[1]; i++) count += this.#postings[i]!.length;
      if (count < bestCount) {
        best = r;
        bestCount = count;
        bestTok = t;
      }
      if (count === 0) return out;
    }
    const others = qt.filter((t) => t !== bestTok);
    const matches = (slot: number) => {
      const ws = this.#wordsOf[slot]!;
      for (const t of others) {
        let hit = false;
        for (const w of ws)
          if (w.startsWith(t)) {
            hit = true;
            break;
          }
        if (!hit) return false;
      }
      return true;
    };

    const [lo, hi] = best;
    if (hi - lo === 1) {
      // One vocabulary word: its postings are already in name order.
      for (const slot of this.#postings[lo]!) {
        if (out.length >= limit) break;
        if (matches(slot)) push(slot);
      }
      return out;
    }
    // Several words share the prefix: mark their postings, then walk slots in name order.
    const mark = this.#mark;
    let first = mark.length;
    let last = -1;
    for (let i = lo; i < hi; i++) {
      for (const slot of this.#postings[i]!) {
        mark[slot] = 1;
        if (slot < first) first = slot;
        if (slot > last) last = slot;
      }
    }
    for (let slot = first; slot <= last && out.length < limit; slot++) {
      if (mark[slot] === 1 && matches(slot)) push(slot);
    }
    for (let i = lo; i < hi; i++) for (const slot of this.#postings[i]!) mark[slot] = 0;
    return out;
  }

  #build(products: readonly Product[]): void {
    const names = products.map((p) => fold(p.description));
    const order = products.map((_, i) => i).sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
    this.#products = order.map((i) => products[i]!);
    this.#wordsOf = new Array<string[]>(this.#products.length);
    const posting = new Map<string, number[]>();
    order.forEach((from, slot) => {
      const ws = [...new Set(names[from]!.split(/[^a-z0-9]+/).filter((w) => w !== ''))];
      this.#wordsOf[slot] = ws;
      for (const w of ws) {
        let list = posting.get(w);
        if (!list) posting.set(w, (list = []));
        list.push(slot);
      }
    });
    this.#vocab = [...posting.keys()].sort();
    this.#postings = this.#vocab.map((w) => Int32Array.from(posting.get(w)!));
    this.#codes = keyed(this.#products.map((p) => fold(p.code)));
    this.#gtins = keyed(this.#products.map((p) => p.gtin ?? ''));
    this.#mark = new Uint8Array(this.#products.length);
  }
}

function keyed(keysBySlot: string[]): Keyed {
  const idx = keysBySlot.map((_, i) => i).filter((i) => keysBySlot[i] !== '');
  idx.sort((a, b) => (keysBySlot[a]! < keysBySlot[b]! ? -1 : keysBySlot[a]! > keysBySlot[b]! ? 1 : a - b));
  return { keys: idx.map((i) => keysBySlot[i]!), slots: Int32Array.from(idx) };
}

function* prefixSlots(k: Keyed, prefix: string, limit: number): Generator<number> {
  const [lo, hi] = range(k.keys, prefix);
  for (let i = lo; i < hi && i - lo < limit; i++) yield k.slots[i]!;
}

/** [first, end) of the sorted keys that start with `prefix`. */
function range(keys: string[], prefix: string): [number, number] {
  // '\uffff' sorts after every character we index (a-z, 0-9).
  return [lowerBound(keys, prefix), lowerBound(keys, prefix + '\uffff')];
}

function lowerBound(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
