// bench:money — the rateio (spreadDiscount) and the line total over long seeded campaigns: every
// case is checked with the unit test's rules (sum exact, never above a weight, within a centavo of
// the exact share; line totals within half a centavo, ties up), and each call is timed.
// Run: npm run bench:money [-- --cases 10000]   → bench/results/money.json
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { lineTotalCents, spreadDiscount } from '../shared/money.ts';
import { seededRandom } from '../test/fixtures/seeded-random.ts';
import { BenchReport } from './lib/results.ts';
import { summarize } from './lib/stats.ts';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '10000' } } });
const CASES = Number(values.cases);

const report = new BenchReport('money');
report.meta.config = { CASES };
report.meta.loadavg = loadavg();

let rateioWrong = 0;
const rateioUs: number[] = [];
const rnd = seededRandom(20261125);
for (let round = 0; round < CASES; round++) {
  const n = 1 + Math.floor(rnd() * 12);
  const weights = Array.from({ length: n }, () => (rnd() < 0.1 ? 0 : 1 + Math.floor(rnd() * (rnd() < 0.5 ? 100 : 5_000_000))));
  const total = weights.reduce((a, w) => a + w, 0);
  const discount = Math.floor(rnd() * (total + 1));
  const t0 = performance.now();
  const shares = spreadDiscount(weights, discount);
  rateioUs.push((performance.now() - t0) * 1000);
  const ok =
    shares.length === n &&
    shares.reduce((a, s) => a + s, 0) === discount &&
    shares.every((s, i) => {
      const w = weights[i] as number;
      const exact = total === 0 ? 0 : (w * discount) / total;
      return Number.isInteger(s) && s >= 0 && s <= w && Math.abs(s - exact) < 1;
    });
  if (!ok) rateioWrong++;
}
const r = summarize(rateioUs);
report.add('rateio_cases', CASES);
report.add('rateio_wrong', rateioWrong);
report.add('rateio_p50_us', r.p50, 'us');
report.add('rateio_p99_us', r.p99, 'us');

let lineWrong = 0;
const lineRnd = seededRandom(43);
const t0 = performance.now();
for (let i = 0; i < CASES * 10; i++) {
  const q = 1 + Math.floor(lineRnd() * 200_000);
  const p = Math.floor(lineRnd() * 100_000);
  const exact = (q * p) / 10_000;
  const got = lineTotalCents(q, p);
  if (Math.abs(got - exact) > 0.5 || (Math.abs(got - exact) === 0.5 && got < exact)) lineWrong++;
}
report.add('line_total_cases', CASES * 10);
report.add('line_total_wrong', lineWrong);
report.add('line_total_mean_us', ((performance.now() - t0) * 1000) / (CASES * 10), 'us');
report.add('all_correct', rateioWrong === 0 && lineWrong === 0);
console.log(`results: ${report.write()}`);
