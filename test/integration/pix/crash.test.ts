// Smoke run of the PIX crash campaign (the long one is `npm run bench:pix`).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPspSandbox, type PspSandbox } from '../../../main/psp-sandbox/index.ts';
import { runPixCrashCampaign } from './crash-campaign.ts';

let psp: PspSandbox;
beforeAll(async () => {
  psp = await startPspSandbox();
});
afterAll(async () => {
  await psp.close();
});

it('SIGKILLs over the PIX path lose no payment, charge no sale twice, and leave nothing unflagged', async () => {
  const r = await runPixCrashCampaign({ psp, sales: 4, killEveryMs: [20, 400], seed: 7, killAtFirstPaidCharge: true });
  expect(r.problems).toEqual([]);
  expect(r).toMatchObject({ sales: 4, lost: 0, doubleCharged: 0, unflagged: 0 });
  expect(r.kills).toBeGreaterThan(0);
}, 300_000);
