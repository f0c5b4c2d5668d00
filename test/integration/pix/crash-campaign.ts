// The PIX crash campaign: a till process is SIGKILLed at random while it creates charges, waits for
// them, and commits sales; the PSP simulator pays each charge once it is shown, and now and then
// drops its answer after doing the work. At the end: no payment lost, no sale with two paid charges,
// no paid charge that is neither in a sale nor flagged to the manager.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { PspSandbox } from '../../../main/psp-sandbox/index.ts';

const CHILD = join(import.meta.dirname, 'crash-child.ts');

export interface PixCampaignResult {
  kills: number;
  runs: number;
  sales: number;
  payments: number;
  lost: number;
  doubleCharged: number;
  unflagged: number;
  problems: string[];
}

export async function runPixCrashCampaign(opts: {
  psp: PspSandbox;
  sales: number;
  killEveryMs: [number, number];
  seed?: number;
  maxRuns?: number;
  /** Kill the first run right after its first charge is paid, so even a quick machine sees a kill. */
  killAtFirstPaidCharge?: boolean;
}): Promise<PixCampaignResult> {
  const dir = mkdtempSync(join(tmpdir(), 'balcao-pix-crash-'));
  const creds = opts.psp.register();
  const drafts = Array.from({ length: opts.sales }, (_, i) => `crash_${String(i).padStart(5, '0')}`);
  const amountCents = 1990;
  const cfgPath = join(dir, 'child.json');
  writeFileSync(
    cfgPath,
    JSON.stringify({
      journal: join(dir, 'journal.sqlite'),
      url: opts.psp.url,
      ca: opts.psp.ca,
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
      cert: creds.cert,
      key: creds.key,
      pspCnpj: opts.psp.cnpj,
      drafts,
      amountCents,
    }),
    { mode: 0o600 },
  );
  let seed = opts.seed ?? 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  let kills = 0;
  let runs = 0;
  let done = false;
  const paid = new Set<string>();
  while (!done && runs < (opts.maxRuns ?? 10_000)) {
    runs++;
    const child = spawn(process.execPath, [CHILD, cfgPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const killAfter = opts.killEveryMs[0] + rand() * (opts.killEveryMs[1] - opts.killEveryMs[0]);
    // The clock starts once the process is up and has resolved what the last kill left open. A kill
    // that comes due before the run made any progress (a new paid charge or a sale) waits for it: on
    // a loaded machine every run still moves the campaign on, so the number of runs stays bounded.
    let timer: NodeJS.Timeout | undefined;
    let progressed = false;
    let due = false;
    const kill = () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      kills++;
      child.kill('SIGKILL');
    };
    const progress = () => {
      progressed = true;
      if (due) kill();
    };
    const arm = () => {
      timer = setTimeout(() => {
        due = true;
        if (progressed) kill();
      }, killAfter);
    };
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const [kind, , txid] = line.split(' ');
        if (kind === 'charge' && txid && !paid.has(txid)) {
          // Now and then the PSP does the next request's work and drops the answer.
          if (rand() < 0.1) opts.psp.setFaults({ dropAfterCommit: 1 });
          if (opts.psp.pay(txid).ok) paid.add(txid);
          if (opts.killAtFirstPaidCharge && kills === 0 && child.exitCode === null) {
            clearTimeout(timer);
            kill();
          }
          progress();
        }
        if (kind === 'sold') progress();
        if (kind === 'ready') arm();
        if (kind === 'done') done = true;
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(timer);
    opts.psp.setFaults({ dropAfterCommit: 0 });
    if (code !== 0 && code !== null && !done) throw new Error(`till process failed (${code}): ${stderr.slice(-2000)}`);
  }

  // The verdict, from the journal and the PSP's records.
  const db = new DatabaseSync(join(dir, 'journal.sqlite'), { readOnly: true });
  const problems: string[] = [];
  const rows = db.prepare('SELECT txid, client_id, state, e2e_id FROM pix_charges').all() as {
    txid: string;
    client_id: string;
    state: string;
    e2e_id: string | null;
  }[];
  const sales = Number(db.prepare('SELECT COUNT(*) AS n FROM bench_sales').get()?.n ?? 0);
  db.close();
  const byTxid = new Map(rows.map((r) => [r.txid, r]));
  let lost = 0;
  let unflagged = 0;
  const paidPerDraft = new Map<string, number>();
  for (const p of opts.psp.state.pix) {
    const row = p.txid ? byTxid.get(p.txid) : undefined;
    if (!row) {
      lost++;
      problems.push(`payment ${p.endToEndId} (${p.txid}) has no journal row`);
      continue;
    }
    if (row.state === 'used') paidPerDraft.set(row.client_id, (paidPerDraft.get(row.client_id) ?? 0) + 1);
    else if (!['orphan', 'refunding', 'refunded'].includes(row.state)) {
      unflagged++;
      problems.push(`payment ${p.endToEndId} is ${row.state} in the journal`);
    }
  }
  const doubleCharged = [...paidPerDraft.values()].filter((n) => n > 1).length;
  rmSync(dir, { recursive: true, force: true });
  return { kills, runs, sales, payments: opts.psp.state.pix.length, lost, doubleCharged, unflagged, problems };
}
