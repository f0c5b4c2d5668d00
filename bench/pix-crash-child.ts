// One life of the till in the PIX crash campaign (bench/pix.ts): it opens the configured lane and
// sells the remaining drafts as a cashier would — charge, the customer pays (once: the customer
// remembers, so the PSP's own records are asked), wait for the PSP's confirmation, finalize, wait
// for the authorized note — and SIGKILLs itself at the named point it was given, for the first
// draft it reaches there. `node bench/pix-crash-child.ts CONFIG.json`
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { authorized, ok, openLane, paidCharge, pixDraft, PRODUCT, until, type ChildConfig, type CrashPoint } from './pix-lane.ts';

const cfg = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as ChildConfig;
const done = new Set(existsSync(cfg.doneFile) ? readFileSync(cfg.doneFile, 'utf8').split('\n').filter(Boolean) : []);
let armed = cfg.crashAt;

function at(point: CrashPoint, delayMs = 0): void {
  if (armed !== point) return;
  armed = null;
  const kill = () => {
    process.stdout.write(`killed ${point}\n`);
    process.kill(process.pid, 'SIGKILL');
  };
  if (delayMs > 0) setTimeout(kill, delayMs);
  else kill();
}

async function control(path: string, method = 'POST'): Promise<unknown> {
  const r = await fetch(`${cfg.controlUrl}${path}`, { method, headers: { 'x-psp-control': cfg.controlSecret } });
  return r.json();
}

const host = await openLane(cfg);
const core = host.core;
process.stdout.write('ready\n');
for (const clientId of cfg.drafts) {
  if (done.has(clientId)) continue;
  // Re-opening the payment screen: a confirmed charge is used, a live one is shown again, one the
  // start-up is still resolving with the PSP is waited for (the QR shows only once it is active).
  for (;;) {
    const views = (await ok(core.handle('pix.forDraft', { clientId }))).filter((v) => v.kind === 'dynamic');
    if (views.some((v) => v.state === 'paid' || v.state === 'used')) break;
    if (views.some((v) => v.state === 'creating')) {
      await until(core, async () => ((await ok(core.handle('pix.forDraft', { clientId }))).some((v) => v.state === 'creating') ? null : true), 20);
      continue;
    }
    let live = views.find((v) => v.state === 'active') ?? null;
    if (!live) {
      const pending = ok(core.handle('pix.charge', { clientId, amountCents: PRODUCT.priceCents }));
      at('charge-in-flight', 40);
      live = await pending;
      at('charge-created');
    }
    // The customer pays the QR unless one of this draft's charges is already paid at the PSP.
    const mine = new Set(views.map((v) => v.txid).concat(live.txid));
    const psp = (await control('/__psp/state', 'GET')) as { pix: { txid: string | null }[] };
    if (!psp.pix.some((p) => p.txid !== null && mine.has(p.txid))) {
      const r = (await control(`/__psp/pay/${live.txid}`)) as { ok: boolean };
      if (!r.ok) throw new Error(`the PSP refused the payment of ${live.txid}`);
      at('paid-at-psp');
    }
    break;
  }
  const paid = await until(core, () => paidCharge(core, clientId), 20);
  at('paid-seen');
  const sold = await ok(core.handle('sales.finalize', pixDraft(clientId, paid.txid)));
  at('sale-committed');
  at('note-in-flight', 60);
  await until(core, () => authorized(core, sold.saleId), 50);
  at('authorized');
  appendFileSync(cfg.doneFile, `${clientId}\n`);
}
process.stdout.write('all-done\n');
await host.close();
process.exit(0);
