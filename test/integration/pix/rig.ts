// A till's PIX side against the PSP simulator: a real journal file, the real client over mutual TLS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from '../../../main/db/journal.ts';
import { PixChargesRepo, PIX_MIGRATIONS } from '../../../main/pix/charges-repo.ts';
import { PixClient } from '../../../main/pix/client.ts';
import { PixService, type PixConfig } from '../../../main/pix/service.ts';
import { startPspSandbox, type PspCredentials, type PspSandbox } from '../../../main/psp-sandbox/index.ts';
import { createTestPki, type TestPki } from '../../../main/psp-sandbox/pki.ts';
import type { PixChargeView } from '../../../shared/pix/charge.ts';

export interface PixRig {
  dir: string;
  psp: PspSandbox;
  creds: PspCredentials;
  journal: Journal;
  repo: PixChargesRepo;
  client: PixClient;
  service: PixService;
  events: PixChargeView[];
  config: PixConfig;
  sales: Map<string, number>;
  /**
   * Closes the journal and service and opens them again on the same file (a restart); `timeoutMs`:
   * the new client's deadline (default: the rig's).
   */
  restart(opts?: { timeoutMs?: number }): Promise<void>;
  close(): Promise<void>;
}

// RSA key generation dominates a rig's start: one test CA per test file (or per worker, when the
// worker is reused across files) is enough.
let sharedPki: TestPki | null = null;

export async function makePixRig(opts: { pollMs?: number; timeoutMs?: number; staticFallback?: boolean } = {}): Promise<PixRig> {
  const dir = mkdtempSync(join(tmpdir(), 'balcao-pix-'));
  const psp = await startPspSandbox({ merchant: { name: 'Padaria Bom Dia', city: 'Curitiba' }, pki: (sharedPki ??= createTestPki()) });
  const creds = psp.register();
  const config: PixConfig = {
    key: 'pix@padariabomdia.com.br',
    pspCnpj: psp.cnpj,
    merchantName: 'Padaria Bom Dia',
    merchantCity: 'Curitiba',
    expirySeconds: 300,
    staticFallback: opts.staticFallback ?? false,
  };
  const sales = new Map<string, number>();
  const events: PixChargeView[] = [];
  const build = (timeoutMs = opts.timeoutMs ?? 3_000) => {
    const journal = Journal.open({ path: join(dir, 'journal.sqlite'), extraMigrations: PIX_MIGRATIONS });
    const repo = new PixChargesRepo(journal.db, Date.now);
    const client = new PixClient(
      { baseUrl: psp.url, clientId: creds.clientId, clientSecret: creds.clientSecret, cert: creds.cert, key: creds.key, ca: psp.ca },
      { timeoutMs },
    );
    const service = new PixService({
      repo,
      client: () => client,
      config: () => config,
      transaction: (fn) => journal.transaction(fn),
      clock: () => psp.state.now(),
      terminalId: () => 'T01',
      onChange: (v) => events.push(v),
      log: () => {},
      saleForClient: (id) => sales.get(id) ?? null,
      pollMs: opts.pollMs ?? 20,
    });
    return { journal, repo, client, service };
  };
  let parts = build();
  const rig: PixRig = {
    dir,
    psp,
    creds,
    get journal() {
      return parts.journal;
    },
    get repo() {
      return parts.repo;
    },
    get client() {
      return parts.client;
    },
    get service() {
      return parts.service;
    },
    events,
    config,
    sales,
    async restart({ timeoutMs }: { timeoutMs?: number } = {}) {
      parts.service.stop();
      await parts.client.close();
      parts.journal.close();
      parts = build(timeoutMs);
    },
    async close() {
      parts.service.stop();
      await parts.client.close();
      parts.journal.close();
      await psp.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return rig;
}
