// bench:catalog-index — the in-memory catalog index at 100,000 products: time to build it, and the
// search and lookup latency a keystroke pays (the unit test checks the same queries on 20,000
// products, without timing them). Targets: build ≤ 10 s, search p50 ≤ 5 ms, p99 ≤ 16 ms (a frame).
// Run: npm run bench:catalog-index [-- --products 100000]   → bench/results/catalog-index.json
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Catalog } from '../main/catalog/catalog.ts';
import { SEARCH_QUERIES, syntheticProducts } from '../test/fixtures/synthetic-catalog.ts';
import { BenchReport } from './lib/results.ts';
import { summarize } from './lib/stats.ts';

const { values } = parseArgs({ options: { products: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '40' } } });
const PRODUCTS = Number(values.products);
const ROUNDS = Number(values.rounds);

const report = new BenchReport('catalog-index');
report.meta.config = { PRODUCTS, ROUNDS, queries: SEARCH_QUERIES };
report.meta.loadavg = loadavg();

const list = syntheticProducts(PRODUCTS);
const t0 = performance.now();
const cat = new Catalog(null, list);
const buildMs = performance.now() - t0;
report.add('products', PRODUCTS);
report.add('build_ms', buildMs, 'ms');

const search: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const q of SEARCH_QUERIES) {
    const t = performance.now();
    cat.search(q, 50);
    search.push(performance.now() - t);
  }
}
const s = summarize(search);
report.add('search_p50_ms', s.p50, 'ms');
report.add('search_p99_ms', s.p99, 'ms');
report.add('search_max_ms', s.max, 'ms');

const lookup: number[] = [];
for (let i = 0; i < 2_000; i++) {
  const p = list[(i * 7919) % list.length]!;
  const t = performance.now();
  const hit = cat.lookup(i % 2 === 0 ? p.gtin! : `2*${p.code}`, 'price');
  lookup.push(performance.now() - t);
  if (hit?.product.id !== p.id) throw new Error(`lookup ${p.id} missed`);
}
const l = summarize(lookup);
report.add('lookup_p50_ms', l.p50, 'ms');
report.add('lookup_p99_ms', l.p99, 'ms');
report.add('targets_met', buildMs <= 10_000 && s.p50 <= 5 && s.p99 <= 16);
console.log(`results: ${report.write()}`);
