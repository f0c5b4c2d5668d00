// `npm test`: the whole suite as jobs that start as soon as what they need is there. The static
// checks (the four typechecks, ESLint, knip + Prettier) start at once, at the lowest CPU priority of
// the jobs: on a warm tree they pass in seconds, on a fresh clone they fill the cores whenever the
// tests wait (Chromium, hosts, sandboxes and children spend much of their time waiting on each
// other). vitest starts at once too, one step below Playwright: Playwright is the longer job and
// ends the run, so it gets the cores first and vitest fills what it leaves (its files mostly wait
// on the processes they start). Playwright starts when the renderer build is done. Every job runs
// even when another fails, its output is printed whole when it ends (never interleaved, each line
// prefixed with the job's name), and the exit code is 1 if any job failed.
// `npm test -- --sequential` runs the same jobs one at a time (to compare, or on a one-core box);
// `npm test -- --phases` runs them as before: checks and build side by side, then vitest, then
// Playwright.
// On a machine that ran it before, the checks are incremental (the typecheck's content hash and
// .tsbuildinfo, ESLint's and Prettier's content caches, knip's cache, all under node_modules/.cache):
// an unchanged tree passes them in seconds. A fresh clone has none of them and checks everything.
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg, setPriority } from 'node:os';
import { join } from 'node:path';

interface Job {
  name: string;
  /** npm scripts run one after the other inside this job. */
  scripts: string[];
  /** Jobs that must have ended (passed or not) before this one starts. */
  after?: string[];
  /** A lower CPU priority (a nice value): the job takes the cores the others leave idle. */
  nice?: number;
}

const JOBS: Job[] = [
  { name: 'typecheck', scripts: ['typecheck'], nice: 10 },
  { name: 'eslint', scripts: ['lint:eslint'], nice: 10 },
  { name: 'knip+prettier', scripts: ['lint:knip', 'lint:format'], nice: 10 },
  { name: 'build', scripts: ['build:renderer'] },
  // Measured back to back, checks cached, two pairs: 216 → 189 s and 182 → 162 s for the whole run.
  { name: 'vitest', scripts: ['test:unit'], nice: 5 },
  { name: 'playwright', scripts: ['test:e2e:built'], after: ['build'] },
];
/** The former schedule (`--phases`): checks and build, then vitest, then Playwright. */
const PHASED: Record<string, string[]> = { vitest: ['typecheck', 'eslint', 'knip+prettier', 'build'], playwright: ['vitest'] };

const sequential = process.argv.includes('--sequential');
const phased = process.argv.includes('--phases');
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

function runScript(script: string, nice: number): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(npm, ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'], env });
    // Set before npm starts the script's processes, which inherit it.
    if (nice !== 0 && child.pid !== undefined && !sequential) {
      try {
        setPriority(child.pid, nice);
      } catch {
        // Not allowed here: it runs at normal priority.
      }
    }
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (err) => resolve({ code: 1, output: `${output}\n${String(err)}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

const started = performance.now();
const at = () => ((performance.now() - started) / 1000).toFixed(1).padStart(6);

interface Result {
  job: Job;
  ok: boolean;
  startedAt: number;
  seconds: number;
}

async function runJob(job: Job): Promise<Result> {
  const t0 = performance.now();
  console.log(`${at()} s  start ${job.name}`);
  let ok = true;
  let output = '';
  for (const script of job.scripts) {
    const r = await runScript(script, job.nice ?? 0);
    output += r.output;
    if (r.code !== 0) {
      ok = false;
      break;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  // Some tools colour their output even with FORCE_COLOR=0 (vite): plain text reads better prefixed.
  const body = output
    .replace(/\x1b\[[0-9;]*m/g, '')
    .trimEnd()
    .split('\n')
    .map((line) => `[${job.name}] ${line}`)
    .join('\n');
  process.stdout.write(`\n${at()} s  ── ${job.name}: ${ok ? 'ok' : 'FAILED'} in ${seconds.toFixed(1)} s ──\n${body}\n\n`);
  return { job, ok, startedAt: (t0 - started) / 1000, seconds };
}

console.log(
  `npm test: ${sequential ? 'one job at a time' : phased ? 'in phases' : 'jobs side by side'} on ${availableParallelism()} cores, load ${loadavg()[0]?.toFixed(1)}`,
);
const results: Result[] = [];
if (sequential) {
  for (const job of JOBS) results.push(await runJob(job));
} else {
  const done = new Map<string, Promise<Result>>();
  const start = (job: Job): Promise<Result> => {
    let p = done.get(job.name);
    if (!p) {
      const needs = [...(job.after ?? []), ...(phased ? (PHASED[job.name] ?? []) : [])];
      p = Promise.all(needs.map((n) => start(JOBS.find((j) => j.name === n)!))).then(() => runJob(job));
      done.set(job.name, p);
    }
    return p;
  };
  results.push(...(await Promise.all(JOBS.map(start))));
}

const total = (performance.now() - started) / 1000;
console.log('── summary ──');
for (const r of results) {
  console.log(`${r.ok ? 'ok    ' : 'FAILED'} ${r.job.name.padEnd(14)} ${r.seconds.toFixed(1).padStart(6)} s  (from ${r.startedAt.toFixed(1)} s)`);
}
console.log(`total ${total.toFixed(1)} s, load ${loadavg()[0]?.toFixed(1)}`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
