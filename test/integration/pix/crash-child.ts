// One till process for the PIX crash campaign: it sells `count` sales paid by PIX, each one
// through the real PixService (journal + client over mutual TLS), and is SIGKILLed at random by the
// driver. A sale here is a row committed in the same journal file with the charge marked used in the
// same transaction as the driver's "note" (the emission path has its own crash campaign).
// Protocol on stdout, one line each: `ready` once open charges are resolved, `charge <clientId> <txid>` when a charge waits for payment,
// `sold <clientId>` after the sale's commit, `done` at the end.
import { readFileSync } from 'node:fs';
import { Journal } from '../../../main/db/journal.ts';
import type { Migration } from '../../../main/db/migrations.ts';
import { PixChargesRepo, PIX_MIGRATIONS } from '../../../main/pix/charges-repo.ts';
import { PixClient } from '../../../main/pix/client.ts';
import { PixService } from '../../../main/pix/service.ts';

interface ChildConfig {
  journal: string;
  url: string;
  ca: string;
  clientId: string;
  clientSecret: string;
  cert: string;
  key: string;
  pspCnpj: string;
  /** The drafts this lane must sell, in order. */
  drafts: string[];
  amountCents: number;
}

const BENCH_SALES: Migration = {
  scope: 'pixbench',
  version: 1,
  description: 'sales of the PIX crash campaign',
  up: (db) => db.exec('CREATE TABLE bench_sales (client_id TEXT PRIMARY KEY, sale_id INTEGER NOT NULL) STRICT'),
};

const cfg = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as ChildConfig;
const journal = Journal.open({ path: cfg.journal, extraMigrations: [...PIX_MIGRATIONS, BENCH_SALES] });
const repo = new PixChargesRepo(journal.db, Date.now);
const client = new PixClient(
  { baseUrl: cfg.url, clientId: cfg.clientId, clientSecret: cfg.clientSecret, cert: cfg.cert, key: cfg.key, ca: cfg.ca },
  { timeoutMs: 1_000 },
);
const saleFor = (id: string): number | null => {
  const r = journal.db.prepare('SELECT sale_id FROM bench_sales WHERE client_id = ?').get(id);
  return r ? Number(r.sale_id) : null;
};
const service = new PixService({
  repo,
  client: () => client,
  config: () => ({ key: 'pix@loja.com.br', pspCnpj: cfg.pspCnpj, merchantName: 'Loja', merchantCity: 'Curitiba', expirySeconds: 600, staticFallback: false }),
  transaction: (fn) => journal.transaction(fn),
  clock: Date.now,
  terminalId: () => 'T01',
  onChange: () => {},
  log: () => {},
  saleForClient: saleFor,
  pollMs: 10,
});

const out = (line: string) => process.stdout.write(`${line}\n`);
await service.resolveAtStart();
service.start();
out('ready');
for (const draft of cfg.drafts) {
  if (saleFor(draft) !== null) continue;
  for (;;) {
    const charges = repo.forClient(draft);
    const paid = charges.find((c) => c.state === 'paid');
    if (paid) {
      // The sale and the charge's use commit together: the one row the campaign checks.
      const data = service.paymentData(draft, paid.txid, cfg.amountCents);
      if (data.authorization !== paid.e2eId) throw new Error('authorization differs from the endToEndId');
      journal.transaction(() => {
        const id = Number(journal.db.prepare('SELECT COALESCE(MAX(sale_id), 0) + 1 AS n FROM bench_sales').get()?.n ?? 1);
        journal.db.prepare('INSERT INTO bench_sales (client_id, sale_id) VALUES (?, ?)').run(draft, id);
        service.markUsed(draft, id);
      });
      out(`sold ${draft}`);
      break;
    }
    const live = charges.find((c) => c.state === 'active' || c.state === 'creating');
    if (!live) {
      try {
        const v = await service.create(draft, cfg.amountCents);
        if (v.state === 'active') out(`charge ${draft} ${v.txid}`);
      } catch {
        // Refused (fault): try again with a new charge.
      }
      continue;
    }
    if (live.state === 'active') out(`charge ${draft} ${live.txid}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}
out('done');
service.stop();
await client.close();
journal.close();
process.exit(0);
