// Crash-injection campaign shared by the crash test and `npm run bench:crash`: child processes run
// the engine on journal files and are SIGKILLed at named or random points of the emission path,
// then restarted on the same files; at the end a clean run resolves what is left and the journal is
// checked against the sandbox's own records.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Journal } from '../../../main/db/journal.ts';
import type { CrashPoint } from '../../../main/emission/types.ts';
import type { Sandbox, SandboxNote } from '../../../main/sandbox/types.ts';
import { checkInvariant } from './invariant.ts';

const WORKER = fileURLToPath(new URL('./crash-worker.ts', import.meta.url));

export const CRASH_POINTS: readonly (CrashPoint | 'random')[] = [
  'before-sale-commit',
  'after-sale-commit',
  'after-sending-commit',
  'post-in-flight',
  'after-answer',
  'after-result-commit',
  'after-query-answer',
  'random',
];

/**
 * The same points in the order the smoke test kills them: 'after-query-answer' only exists when a
 * start finds an emission to resolve, so it comes right after a kill that leaves one in 'sending'.
 */
const CYCLE: readonly (CrashPoint | 'random')[] = [
  'before-sale-commit',
  'after-sale-commit',
  'after-sending-commit',
  'after-query-answer',
  'post-in-flight',
  'after-answer',
  'after-result-commit',
  'random',
];

export interface CampaignOptions {
  sandbox: Sandbox;
  kills: number;
  /** Independent terminals (journals) run side by side against the same token. Default 2. */
  lanes?: number;
  /** Sales each child tries before exiting cleanly. Default 3. */
  salesPerRun?: number;
  /** Safety bound on child runs per lane (a point not reached means a clean exit, not a kill). */
  maxRunsPerLane?: number;
  log?: (line: string) => void;
  /** Log every child run (point, duration, protocol lines). */
  verbose?: boolean;
  /**
   * 'random' (the bench's long campaign) picks a point per run; 'cycle' (the smoke test) kills at
   * each point in turn, retrying a point until a kill lands there, so every point gets its share.
   */
  order?: 'random' | 'cycle';
}

export interface CampaignReport {
  kills: number;
  runs: number;
  sales: number;
  authorized: number;
  lost: number;
  duplicated: number;
  unresolved: number;
  orphans: number;
  byPoint: Record<string, number>;
  problems: string[];
  elapsedMs: number;
}

interface RunResult {
  killed: boolean;
  /** Killed by the guard, not at a crash point: the child hung (or the machine is very slow). */
  timedOut: boolean;
  lines: string[];
  stderr: string;
}

// The guard only catches a hung child: generous, so a loaded machine still lands its kills at the
// points (a guard kill is never counted as one).
function runChild(env: Record<string, string>, randomKillMs: number | null, timeoutMs = 90_000): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WORKER], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let buf = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      buf += d;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        lines.push(buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      if (stderr.length < 10_000) stderr += d;
    });
    const killer = randomKillMs === null ? null : setTimeout(() => child.kill('SIGKILL'), randomKillMs);
    let timedOut = false;
    const guard = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', (_code, signal) => {
      if (killer) clearTimeout(killer);
      clearTimeout(guard);
      if (buf) lines.push(buf);
      resolve({ killed: signal === 'SIGKILL' && !timedOut, timedOut, lines, stderr });
    });
  });
}

export async function runCrashCampaign(opts: CampaignOptions): Promise<CampaignReport> {
  const t0 = Date.now();
  const lanes = opts.lanes ?? 2;
  const salesPerRun = opts.salesPerRun ?? 3;
  const root = mkdtempSync(join(tmpdir(), 'balcao-crash-'));
  const cache = join(tmpdir(), 'balcao-node-compile-cache');
  mkdirSync(cache, { recursive: true });
  const report: CampaignReport = {
    kills: 0,
    runs: 0,
    sales: 0,
    authorized: 0,
    lost: 0,
    duplicated: 0,
    unresolved: 0,
    orphans: 0,
    byPoint: {},
    problems: [],
    elapsedMs: 0,
  };
  const killsPerLane = Math.ceil(opts.kills / lanes);
  const maxRuns = opts.maxRunsPerLane ?? killsPerLane * 3 + 20;

  const laneRun = async (lane: number) => {
    const terminal = `CR${lane}T${Math.random().toString(36).slice(2, 6)}`;
    const dir = join(root, terminal);
    mkdirSync(dir, { recursive: true });
    const baseEnv: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      NODE_COMPILE_CACHE: cache,
      BALCAO_JOURNAL: join(dir, 'vendas.db'),
      BALCAO_DATADIR: dir,
      BALCAO_FOCUS_URL: opts.sandbox.url,
      BALCAO_FOCUS_TOKEN: opts.sandbox.tokens.homologacao,
      BALCAO_EMITTER: JSON.stringify(opts.sandbox.emitter),
      BALCAO_TERMINAL: terminal,
    };
    /** Sales the worker said were committed (finalize returned): they must all be in the journal. */
    const reported = new Map<number, number>();
    let next = 0;
    let kills = 0;
    for (let run = 0; kills < killsPerLane && run < maxRuns; run++) {
      // Lanes start at different places of the cycle, so a short campaign still covers every point.
      const point = (
        opts.order === 'cycle' ? CYCLE[(kills + lane * killsPerLane) % CYCLE.length] : CRASH_POINTS[Math.floor(Math.random() * CRASH_POINTS.length)]
      ) as CrashPoint | 'random';
      const env: Record<string, string> = { ...baseEnv, BALCAO_FIRST: String(next), BALCAO_SALES: String(salesPerRun) };
      let randomKill: number | null = null;
      if (point === 'random') randomKill = 150 + Math.floor(Math.random() * 400);
      else {
        env.BALCAO_CRASH_POINT = point;
        // Resolution happens once per open emission at start: the first hit is the one that exists.
        env.BALCAO_CRASH_AT = point === 'after-query-answer' ? '1' : String(1 + Math.floor(Math.random() * salesPerRun));
        if (point === 'post-in-flight') env.BALCAO_CRASH_DELAY_MS = String(Math.floor(Math.random() * 25));
      }
      const started = Date.now();
      const r = await runChild(env, randomKill);
      report.runs++;
      if (opts.verbose) opts.log?.(`${terminal} run ${run} ${point} ${Date.now() - started} ms killed=${r.killed} ${r.lines.join('|')}`);
      else if (r.killed && (kills + 1) % 100 === 0) opts.log?.(`${terminal}: ${kills + 1} kills`);
      for (const line of r.lines) {
        const [tag, k, saleId] = line.split(' ');
        if (tag === 'attempt') next = Number(k); // a sale interrupted before 'done' is re-finalized with the same clientId
        if (tag === 'done') {
          reported.set(Number(k), Number(saleId));
          next = Number(k) + 1;
        }
      }
      if (r.timedOut) {
        report.problems.push(`${terminal}: run ${run} (${point}) hung and was killed by the guard: ${r.stderr.slice(0, 500)}`);
      } else if (r.killed) {
        kills++;
        report.byPoint[point] = (report.byPoint[point] ?? 0) + 1;
      } else if (!r.lines.includes('idle')) {
        report.problems.push(`${terminal}: run ${run} ended without being killed and without finishing: ${r.stderr.slice(0, 500)}`);
      }
    }
    report.kills += kills;
    // A clean run resolves everything the kills left open.
    const final = await runChild({ ...baseEnv, BALCAO_FIRST: String(next), BALCAO_SALES: '0' }, null, 120_000);
    if (!final.lines.includes('idle')) report.problems.push(`${terminal}: final run failed: ${final.stderr.slice(0, 500)}`);
    const journal = Journal.open({ path: baseEnv.BALCAO_JOURNAL as string });
    try {
      const notes: SandboxNote[] = opts.sandbox.notes().filter((n) => n.ref.startsWith(`${terminal}_`));
      const inv = checkInvariant(journal, notes);
      report.sales += inv.sales;
      report.authorized += inv.authorized;
      report.duplicated += inv.duplicated;
      report.unresolved += inv.unresolved;
      report.orphans += inv.orphans;
      report.lost += inv.lost + inv.orphans;
      report.problems.push(...inv.problems.map((p) => `${terminal}: ${p}`));
      for (const [k, saleId] of reported) {
        const sale = journal.sales.get(saleId);
        if (!sale || journal.sales.getByClientId(`crash_${terminal}_${k}`)?.id !== saleId) {
          report.lost++;
          report.problems.push(`${terminal}: venda ${k} (id ${saleId}) confirmada ao caixa mas ausente do diário`);
        }
      }
      // Every clientId appears at most once (idempotent finalize across restarts).
      const dup = journal.db.prepare('SELECT COUNT(*) - COUNT(DISTINCT client_id) AS d FROM sales').get();
      if (Number(dup?.d) !== 0) report.problems.push(`${terminal}: clientId repetido no diário`);
    } finally {
      journal.close();
    }
    opts.log?.(`${terminal}: done, ${kills} kills`);
  };

  try {
    await Promise.all(Array.from({ length: lanes }, (_, i) => laneRun(i)));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  report.elapsedMs = Date.now() - t0;
  return report;
}
