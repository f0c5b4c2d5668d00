// Long crash-injection campaign: `npm run bench:crash [-- --kills 2000 --lanes 2]`.
// Writes {kills, sales, lost, duplicated, unresolved} to bench/results/crash.json.
import { parseArgs } from 'node:util';
import { startSandbox } from '../main/sandbox/index.ts';
import { runCrashCampaign } from '../test/integration/emission/crash-campaign.ts';
import { BenchReport } from './lib/results.ts';

const { values: args } = parseArgs({ options: { kills: { type: 'string', default: '2000' }, lanes: { type: 'string', default: '2' } } });
const kills = Number(args.kills);
if (!Number.isInteger(kills) || kills < 1) throw new Error('--kills deve ser um inteiro positivo');
const report = new BenchReport('crash');
const sandbox = await startSandbox({ port: 0, latencyMs: [0, 20], rateLimit: 1_000_000 });
try {
  let last = Date.now();
  const r = await runCrashCampaign({
    sandbox,
    kills,
    lanes: Number(args.lanes),
    log: (line) => {
      console.error(`${line} (${((Date.now() - last) / 1000).toFixed(1)} s)`);
      last = Date.now();
    },
  });
  report.add('kills', r.kills);
  report.add('runs', r.runs);
  report.add('sales', r.sales);
  report.add('authorized', r.authorized);
  report.add('lost', r.lost);
  report.add('duplicated', r.duplicated);
  report.add('unresolved', r.unresolved);
  report.add('elapsed_s', r.elapsedMs / 1000, 's');
  report.meta.byPoint = r.byPoint;
  report.meta.problems = r.problems.slice(0, 50);
  console.log(`results: ${report.write()}`);
  if (r.lost || r.duplicated || r.unresolved || r.problems.length) process.exitCode = 1;
} finally {
  await sandbox.close();
}
