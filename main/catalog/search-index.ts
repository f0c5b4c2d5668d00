// In-memory index answering name/code prefix searches in well under a millisecond for 100k
// products, and updated in place when one product is saved (no rebuild of the whole index).
//   - order: every product in name order. The order is total — folded description, then id — so
//     an index built at once and one grown by single edits hold exactly the same sequence.
//   - words: the sorted vocabulary of accent-folded description words, each with its posting list
//     (entries, in name order). A query word matches every vocabulary word it prefixes.
//   - codes / gtins: entries sorted by internal code or barcode, for prefix search.
// Every query word must prefix some word of the description, in any order. A single edit costs a
// few binary searches and array splices (memmove of pointers), never a sort of the catalog.
import type { Product } from '../../shared/sale.ts';
import { fold, tokens } from './normalize.ts';

/** Up to this many results, a multi-word prefix is answered by merging posting lists. */
const MERGE_MAX = 1_000;

interface Entry {
  readonly product: Product;
  readonly id: string;
  /** Folded description: the primary sort key. */
  readonly name: string;
  readonly words: readonly string[];
  readonly code: string;
  readonly gtin: string;
  /** Position in #order; valid while the index is not dirty (see #ranked). */
  rank: number;
}

/** Name order: folded description, then id (ids are unique, so no two entries tie). */
function byName(a: Entry, b: Entry): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
const byCode = (a: Entry, b: Entry): number => (a.code !== b.code ? (a.code < b.code ? -1 : 1) : byName(a, b));
const byGtin = (a: Entry, b: Entry): number => (a.gtin !== b.gtin ? (a.gtin < b.gtin ? -1 : 1) : byName(a, b));

function entryOf(product: Product): Entry {
  const name = fold(product.description);
  return {
    product,
    id: product.id,
    name,
    words: [...new Set(name.split(/[^a-z0-9]+/).filter((w) => w !== ''))],
    code: fold(product.code),
    gtin: product.gtin ?? '',
    rank: -1,
  };
}

export class SearchIndex {
  readonly #byId = new Map<string, Entry>();
  #order: Entry[] = [];
  #vocab: string[] = [];
  /** Parallel to #vocab: each word's entries in name order. */
  #lists: Entry[][] = [];
  #codes: Entry[] = [];
  #gtins: Entry[] = [];
  /** An edit since ranks were last numbered. */
  #dirty = true;
  /** Scratch marks for the large-result walk, indexed by rank. */
  #mark = new Uint8Array(0);

  constructor(products: readonly Product[] = []) {
    for (const p of products) this.#byId.set(p.id, entryOf(p));
    this.#order = [...this.#byId.values()].sort(byName);
    const posting = new Map<string, Entry[]>();
    for (const e of this.#order) {
      for (const w of e.words) {
        let list = posting.get(w);
        if (!list) posting.set(w, (list = []));
        list.push(e);
      }
    }
    this.#vocab = [...posting.keys()].sort();
    this.#lists = this.#vocab.map((w) => posting.get(w)!);
    this.#codes = this.#order.filter((e) => e.code !== '').sort(byCode);
    this.#gtins = this.#order.filter((e) => e.gtin !== '').sort(byGtin);
  }

  get size(): number {
    return this.#order.length;
  }

  /** Insert or replace one product in place (catalog.update, a small import). */
  upsert(product: Product): void {
    this.remove(product.id);
    this.#dirty = true;
    const e = entryOf(product);
    this.#byId.set(e.id, e);
    insertSorted(this.#order, e, byName);
    for (const w of e.words) {
      const at = lowerBound(this.#vocab, w);
      if (this.#vocab[at] !== w) {
        this.#vocab.splice(at, 0, w);
        this.#lists.splice(at, 0, []);
      }
      insertSorted(this.#lists[at]!, e, byName);
    }
    if (e.code !== '') insertSorted(this.#codes, e, byCode);
    if (e.gtin !== '') insertSorted(this.#gtins, e, byGtin);
  }

  /** Takes one product out of the index (no-op when absent). */
  remove(id: string): void {
    const e = this.#byId.get(id);
    if (!e) return;
    this.#dirty = true;
    this.#byId.delete(id);
    removeSorted(this.#order, e, byName);
    for (const w of e.words) {
      const at = lowerBound(this.#vocab, w);
      const list = this.#lists[at]!;
      removeSorted(list, e, byName);
      if (list.length === 0) {
        this.#vocab.splice(at, 1);
        this.#lists.splice(at, 1);
      }
    }
    if (e.code !== '') removeSorted(this.#codes, e, byCode);
    if (e.gtin !== '') removeSorted(this.#gtins, e, byGtin);
  }

  /** Every product in name order (the register's unfiltered list). */
  *all(): Generator<Product> {
    for (const e of this.#order) yield e.product;
  }

  /** Inactive products are left out unless `includeInactive` (the register lists them, the till never). */
  search(query: string, limit: number, includeInactive = false): Product[] {
    const q = query.trim();
    if (q === '' || limit <= 0) return [];
    const out: Product[] = [];
    const seen = new Set<Entry>();
    const push = (e: Entry) => {
      if (out.length < limit && !seen.has(e)) {
        seen.add(e);
        if (includeInactive || e.product.active) out.push(e.product);
      }
    };
    const folded = fold(q);
    if (/^[a-z0-9-]+$/.test(folded) && /\d/.test(folded)) {
      for (const e of prefixEntries(this.#codes, (x) => x.code, folded, limit)) push(e);
      for (const e of prefixEntries(this.#gtins, (x) => x.gtin, folded, limit)) push(e);
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
      for (let i = r[0]; i < r[1]; i++) count += this.#lists[i]!.length;
      if (count < bestCount) {
        best = r;
        bestCount = count;
        bestTok = t;
      }
      if (count === 0) return out;
    }
    const others = qt.filter((t) => t !== bestTok);
    const matches = (e: Entry) => {
      for (const t of others) {
        let hit = false;
        for (const w of e.words)
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
      for (const e of this.#lists[lo]!) {
        if (out.length >= limit) break;
        if (matches(e)) push(e);
      }
      return out;
    }
    // Several words share the prefix. A page of results: merge their lists in name order and stop
    // at `limit`. A long listing (the register): mark every posting by rank, then walk the ranks.
    if (limit <= MERGE_MAX) {
      for (const e of mergeInOrder(this.#lists.slice(lo, hi))) {
        if (out.length >= limit) break;
        if (matches(e)) push(e);
      }
      return out;
    }
    this.#ranked();
    const mark = this.#mark;
    let first = mark.length;
    let last = -1;
    for (let i = lo; i < hi; i++) {
      for (const e of this.#lists[i]!) {
        mark[e.rank] = 1;
        if (e.rank < first) first = e.rank;
        if (e.rank > last) last = e.rank;
      }
    }
    for (let r = first; r <= last && out.length < limit; r++) {
      if (mark[r] === 1 && matches(this.#order[r]!)) push(this.#order[r]!);
    }
    for (let i = lo; i < hi; i++) for (const e of this.#lists[i]!) mark[e.rank] = 0;
    return out;
  }

  /** Numbers the entries in name order again after edits: one pass, no sorting. */
  #ranked(): void {
    if (!this.#dirty) return;
    this.#order.forEach((e, i) => (e.rank = i));
    if (this.#mark.length < this.#order.length) this.#mark = new Uint8Array(this.#order.length + 1_024);
    this.#dirty = false;
  }
}

/** k-way merge of lists sorted by name order (a binary heap of cursors); an entry present in several lists comes once. */
function* mergeInOrder(lists: readonly Entry[][]): Generator<Entry> {
  const heap: { list: Entry[]; at: number }[] = lists.filter((l) => l.length > 0).map((list) => ({ list, at: 0 }));
  const head = (i: number) => heap[i]!.list[heap[i]!.at]!;
  const less = (i: number, j: number) => byName(head(i), head(j)) < 0;
  const swap = (i: number, j: number) => {
    const t = heap[i]!;
    heap[i] = heap[j]!;
    heap[j] = t;
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(l, m)) m = l;
      if (r < heap.length && less(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  let last: Entry | null = null;
  while (heap.length > 0) {
    const e = head(0);
    if (e !== last) yield e;
    last = e;
    const top = heap[0]!;
    top.at++;
    if (top.at >= top.list.length) {
      heap[0] = heap[heap.length - 1]!;
      heap.pop();
    }
    if (heap.length > 0) down(0);
  }
}

function* prefixEntries(sorted: readonly Entry[], key: (e: Entry) => string, prefix: string, limit: number): Generator<Entry> {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(sorted[mid]!) < prefix) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < sorted.length && i - lo < limit && key(sorted[i]!).startsWith(prefix); i++) yield sorted[i]!;
}

/** Index of the first element not below `e`. */
function position(arr: readonly Entry[], e: Entry, cmp: (a: Entry, b: Entry) => number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(arr[mid]!, e) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(arr: Entry[], e: Entry, cmp: (a: Entry, b: Entry) => number): void {
  arr.splice(position(arr, e, cmp), 0, e);
}

function removeSorted(arr: Entry[], e: Entry, cmp: (a: Entry, b: Entry) => number): void {
  const at = position(arr, e, cmp);
  if (arr[at] === e) arr.splice(at, 1);
}

/** [first, end) of the sorted keys that start with `prefix`. */
function range(keys: readonly string[], prefix: string): [number, number] {
  // '\uffff' sorts after every character we index (a-z, 0-9).
  return [lowerBound(keys, prefix), lowerBound(keys, prefix + '\uffff')];
}

function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
