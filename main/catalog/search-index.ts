// In-memory index answering name/code prefix searches in microseconds for 100k products, updated in
// place when one product is saved, and built in slices so the host keeps answering while it builds.
//   - order: every product in name order. The order is total — folded description, then id — so
//     an index built at once and one grown by single edits hold exactly the same sequence.
//   - vocab: the sorted vocabulary of accent-folded description words, each with its posting list
//     (entries, in name order). A query word matches every word it prefixes (two binary searches).
//   - codes / gtins: entries sorted by internal code or barcode, for prefix search.
// Every query word must prefix some word of the description, in any order: the rarest word drives
// the walk through its postings in name order, the others are checked on the folded name, and the
// walk stops at the limit. A single edit costs a few binary searches and array splices (memmove of
// pointers), never a sort of the catalog.
import type { Product } from '../../shared/sale.ts';
import { fold, tokens } from './normalize.ts';

/** Up to this many results, a multi-word prefix is answered by merging posting lists. */
const MERGE_MAX = 1_000;
/** Products (or keys) handled between two pauses of a sliced build: a few milliseconds of work. */
const SLICE = 4_096;
const WORD_BREAK = /[^a-z0-9]+/;

interface Entry {
  readonly product: Product;
  readonly id: string;
  /** Folded description: the primary sort key, and what the other query words are checked on. */
  readonly name: string;
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
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function entryOf(product: Product): Entry {
  return { product, id: product.id, name: fold(product.description), code: fold(product.code), gtin: product.gtin ?? '', rank: -1 };
}

/** The distinct words an entry is listed under. */
function wordsOf(e: Entry): string[] {
  const words = new Set(e.name.split(WORD_BREAK));
  words.delete('');
  return [...words];
}

const isWordChar = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);

/** Does `word` ([a-z0-9]+) prefix some word of the folded name? */
function prefixesAWord(name: string, word: string): boolean {
  for (let at = name.indexOf(word); at >= 0; at = name.indexOf(word, at + 1)) {
    if (at === 0 || !isWordChar(name.charCodeAt(at - 1))) return true;
  }
  return false;
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
  #visited = 0;

  /** Built at once (small catalogs, tests); a large one goes through `build`. */
  constructor(products: readonly Product[] = []) {
    for (const _ of this.#fill(products, SLICE));
  }

  /**
   * The same index, built in slices of a few milliseconds with `pause()` awaited between them, so
   * the event loop keeps serving scans and other calls. `pause` resolving to false stops the build
   * (the catalog was closed or replaced): the answer is then null. `slice`: items per step.
   */
  static async build(products: readonly Product[], pause: () => Promise<boolean>, slice = SLICE): Promise<SearchIndex | null> {
    const index = new SearchIndex();
    for (const _ of index.#fill(products, slice)) if (!(await pause())) return null;
    return index;
  }

  /** The build, as steps: each `yield` is a point where the caller may pause. */
  *#fill(products: readonly Product[], slice: number): Generator<void, void> {
    const entries: Entry[] = [];
    for (let i = 0; i < products.length; i++) {
      const e = entryOf(products[i]!);
      const old = this.#byId.get(e.id);
      this.#byId.set(e.id, e);
      if (old) entries[entries.indexOf(old)] = e;
      else entries.push(e);
      if (i % slice === slice - 1) yield;
    }
    this.#order = yield* sortInSlices(entries, byName, slice);
    // wordsOf without its Set: entries come one at a time, so a word repeated in one name is the
    // list's last element already.
    const posting = new Map<string, Entry[]>();
    const add = (k: string, e: Entry) => {
      const list = posting.get(k);
      if (!list) posting.set(k, [e]);
      else if (list[list.length - 1] !== e) list.push(e);
    };
    for (let i = 0; i < this.#order.length; i++) {
      const e = this.#order[i]!;
      for (const w of e.name.split(WORD_BREAK)) if (w !== '') add(w, e);
      if (i % slice === slice - 1) yield;
    }
    this.#vocab = yield* sortInSlices([...posting.keys()], byText, slice);
    this.#lists = new Array<Entry[]>(this.#vocab.length);
    for (let i = 0; i < this.#vocab.length; i++) {
      this.#lists[i] = posting.get(this.#vocab[i]!)!;
      if (i % slice === slice - 1) yield;
    }
    this.#codes = yield* sortInSlices(
      this.#order.filter((e) => e.code !== ''),
      byCode,
      slice,
    );
    this.#gtins = yield* sortInSlices(
      this.#order.filter((e) => e.gtin !== ''),
      byGtin,
      slice,
    );
    this.#dirty = true;
  }

  get size(): number {
    return this.#order.length;
  }

  /** Entries the last search looked at (bench:catalog-index: the work a keystroke costs). */
  get visited(): number {
    return this.#visited;
  }

  /** Insert or replace one product in place (catalog.update, a small import). */
  upsert(product: Product): void {
    this.remove(product.id);
    this.#dirty = true;
    const e = entryOf(product);
    this.#byId.set(e.id, e);
    insertSorted(this.#order, e, byName);
    for (const w of wordsOf(e)) {
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
    for (const w of wordsOf(e)) {
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
    this.#visited = 0;
    const q = query.trim();
    if (q === '' || limit <= 0) return [];
    const out: Product[] = [];
    const seen = new Set<Entry>();
    const push = (e: Entry) => {
      this.#visited++;
      if (out.length < limit && !seen.has(e)) {
        seen.add(e);
        if (includeInactive || e.product.active) out.push(e.product);
      }
    };
    const folded = fold(q);
    if (/^[a-z0-9-]+$/.test(folded) && /\d/.test(folded)) {
      // Codes first (in code order), then barcodes: each walk stops after `limit` entries.
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
      for (let i = r[0]; i < r[1] && count < bestCount; i++) count += this.#lists[i]!.length;
      if (count === 0) return out;
      if (count < bestCount) {
        best = r;
        bestCount = count;
        bestTok = t;
      }
    }
    const others = qt.filter((t) => t !== bestTok);
    const matches = (e: Entry) => {
      this.#visited++;
      for (const t of others) if (!prefixesAWord(e.name, t)) return false;
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
        this.#visited++;
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

/**
 * A merge sort that yields every `slice` steps: runs of 4 × slice sorted by the engine in one go (a
 * few milliseconds), then merge passes. Stable, like Array.prototype.sort: it orders as one sort call.
 */
function* sortInSlices<T>(items: T[], cmp: (a: T, b: T) => number, slice: number): Generator<void, T[]> {
  const RUN = 4 * slice;
  let src = items;
  for (let at = 0; at < src.length; at += RUN) {
    const run = src.slice(at, at + RUN).sort(cmp);
    for (let i = 0; i < run.length; i++) src[at + i] = run[i]!;
    yield;
  }
  let dst = new Array<T>(src.length);
  let steps = 0;
  for (let width = RUN; width < src.length; width *= 2) {
    for (let lo = 0; lo < src.length; lo += 2 * width) {
      const mid = Math.min(lo + width, src.length);
      const hi = Math.min(lo + 2 * width, src.length);
      let i = lo;
      let j = mid;
      for (let k = lo; k < hi; k++) {
        dst[k] = i < mid && (j >= hi || cmp(src[i]!, src[j]!) <= 0) ? src[i++]! : src[j++]!;
        if (++steps % slice === 0) yield;
      }
    }
    [src, dst] = [dst, src];
  }
  return src;
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
