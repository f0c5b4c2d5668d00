// Crash injection smoke test: a SIGKILL of a child running the engine at every named point of
// the emission path and at a random moment, with restarts on the same journal files. The long
// random campaign (2000 kills by default) is `npm run bench:crash`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../../main/sandbox/index.ts';
import type { Sandbox } from '../../../main/sandbox/types.ts';
import { CRASH_POINTS, runCrashCampaign } from './crash-campaign.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  // A little SEFAZ latency so kills land while requests are in flight. The campaign sends a few
  // hundred requests a minute, far above Focus's 100/min: the limit is lifted so kills, not 429
  // waits, decide the run time (the 429 path has its own trial in the fault matrix).
  sandbox = await startSandbox({ port: 0, latencyMs: [0, 20], rateLimit: 1_000_000 });
});
afterAll(async () => sandbox?.close());

describe('crash injection', () => {
  it('a kill at every point: every committed sale ends with exactly one authorized note, the journal agrees with Focus', { timeout: 300_000 }, async () => {
    const kills = CRASH_POINTS.length;
    const r = await runCrashCampaign({ sandbox, kills, lanes: 2, order: 'cycle' });
    expect(r.problems).toEqual([]);
    expect(r.kills).toBeGreaterThanOrEqual(kills);
    for (const p of CRASH_POINTS) expect(r.byPoint[p] ?? 0, `kills at ${p}`).toBeGreaterThanOrEqual(1);
    expect(r.sales).toBeGreaterThan(0);
    expect(r).toMatchObject({ lost: 0, duplicated: 0, unresolved: 0, orphans: 0 });
    expect(r.authorized).toBe(r.sales);
  });
});
