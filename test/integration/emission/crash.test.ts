// Crash injection: at least 200 SIGKILLs of a child running the engine, at every named point of
// the emission path and at random moments, with restarts on the same journal files.
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
  it('200 kills: every committed sale ends with exactly one authorized note, the journal agrees with Focus', { timeout: 240_000 }, async () => {
    const r = await runCrashCampaign({ sandbox, kills: 200, lanes: 2 });
    expect(r.problems).toEqual([]);
    expect(r.kills).toBeGreaterThanOrEqual(200);
    for (const p of CRASH_POINTS) expect(r.byPoint[p] ?? 0, `kills at ${p}`).toBeGreaterThan(0);
    expect(r.sales).toBeGreaterThan(100);
    expect(r).toMatchObject({ lost: 0, duplicated: 0, unresolved: 0, orphans: 0 });
    expect(r.authorized).toBe(r.sales);
  });
});
