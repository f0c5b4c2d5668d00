// `npm test`: the whole suite in three phases. The checks that use one core each (the four
// typechecks, ESLint, knip + Prettier) and the renderer build run side by side; then vitest; then
// Playwright on the renderer already built. Every job runs even when another fails, its output is
// printed whole when it ends (never interleaved), and the exit code is 1 if any job failed.
// `npm test -- --sequential` runs the same jobs one at a time (to compare, or on a one-core box).
// On a machine that ran it before, the checks are incremental (tsc -b's .tsbuildinfo, eslint's and
// prettier's content caches, knip's cache, all under node_modules/.cache): an unchanged tree passes
// them in seconds, and the suite's time is vitest's and Playwright's. A fresh clone checks everything.
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';

interface Job {
  name: string;
  /** npm scripts run one after the other inside this job. */
  scripts: string[];
}

const PHASES: Job[][] = [
  [
    { name: 'typecheck', scripts: ['typecheck'] },
    { name: 'eslint', scripts: ['lint:eslint'] },
    { name: 'knip + prettier', scripts: ['lint:knip', 'lint:format'] },
    { name: 'renderer build', scripts: ['build:renderer'] },
  ],
  [{ name: 'vitest', scripts: ['test:unit'] }],
  [{ name: 'playwright', scripts: ['test:e2e:built'] }],
];

const sequential = process.argv.includes('--sequential');
// Every job starts Node processes (tsc, eslint, the test workers, hosts, sandboxes, crash children):
// with Node's compile cache each reuses what the previous one compiled. The caches of the checks
// (tsc's .tsbuildinfo, eslint's, prettier's, knip's) live beside it in node_modules/.cache; a fresh
// clone has none and checks everything.
const env = {
  ...process.env,
  FORCE_COLOR: '0',
  NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? join(import.meta.dirname, '..', 'node_modules', '.cache', 'node-compile-cache'),
};
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function runScript(script: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(npm, ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (err) => resolve({ code: 1, output: `${output}\n${String(err)}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

async function runJob(job: Job): Promise<{ job: Job; ok: boolean; seconds: number }> {
  const t0 = performance.now();
  let ok = true;
  let output = '';
  for (const script of job.scripts) {
    const r = await runScript(script);
    output += r.output;
    if (r.code !== 0) {
      ok = false;
      break;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(`\n── ${job.name}: ${ok ? 'ok' : 'FAILED'} in ${seconds.toFixed(1)} s ──\n${output.trimEnd()}\n`);
  return { job, ok, seconds };
}

const started = performance.now();
const results: Awaited<ReturnType<typeof runJob>>[] = [];
console.log(`npm test: ${sequential ? 'one job at a time' : 'checks side by side'} on ${availableParallelism()} cores, load ${loadavg()[0]?.toFixed(1)}`);
for (const phase of PHASES) {
  if (sequential) for (const job of phase) results.push(await runJob(job));
  else results.push(...(await Promise.all(phase.map(runJob))));
}

const total = (performance.now() - started) / 1000;
console.log('\n── summary ──');
for (const r of results) console.log(`${r.ok ? 'ok    ' : 'FAILED'} ${r.job.name.padEnd(16)} ${r.seconds.toFixed(1)} s`);
console.log(`total ${total.toFixed(1)} s, load ${loadavg()[0]?.toFixed(1)}`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
