// The offline flow wired as the app wires it: sandbox ← delay proxy (to pull the cable) ← real
// FocusClient ← shared scheduler ← EmissionEngine with the contingency port, on a real journal
// file and a real encrypted vault. Nothing is mocked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FocusClient } from '../../../main/focus/client.ts';
import { startSandbox } from '../../../main/sandbox/index.ts';
import type { Sandbox, SandboxOptions } from '../../../main/sandbox/types.ts';
import { Journal } from '../../../main/db/journal.ts';
import { EmissionEngine, type EmissionEngineOptions } from '../../../main/emission/engine.ts';
import { FocusScheduler } from '../../../main/emission/scheduler.ts';
import { EmissionFeed } from '../../../main/emission/feed.ts';
import { AfterSale } from '../../../main/emission/after-sale.ts';
import type { EngineSettings } from '../../../main/emission/types.ts';
import { FileVault } from '../../../main/secrets/file-vault.ts';
import { createContingency, type Contingency, type ContingencyDeps } from '../../../main/contingency/index.ts';
import type { ContingencyConfig } from '../../../main/contingency/issuer.ts';
import type { EmissionView } from '../../../shared/emission.ts';
import type { ExchangeEvent } from '../../../main/focus/types.ts';
import { startDelayProxy, type DelayProxy } from '../../../bench/lib/delay-proxy.ts';
import { prepareSale } from '../../../main/sales/prepare.ts';
import { catalogOf, draftFor, prepareContext } from '../emission/fixtures.ts';
import { makeTestCertificate, type TestCertificate } from '../../unit/main/contingency/test-certificate.ts';

/**
 * The rigs' A1 certificate when the test names none, made once per worker and CNPJ (an RSA key pair,
 * a CA signature and a PKCS#12: ~120 ms of CPU): each rig still imports it into its own vault.
 */
const defaultCertificates = new Map<string, TestCertificate>();
function defaultCertificate(cnpj: string): TestCertificate {
  let cert = defaultCertificates.get(cnpj);
  if (!cert) defaultCertificates.set(cnpj, (cert = makeTestCertificate({ cnpj })));
  return cert;
}

export interface ContingencyRigOptions {
  sandbox?: SandboxOptions;
  config?: Partial<ContingencyConfig>;
  /** false: no certificate imported; default: a valid test certificate for the sandbox's CNPJ. */
  certificate?: TestCertificate | false;
  engine?: Partial<EmissionEngineOptions>;
  contingency?: Partial<ContingencyDeps>;
  authorizationDeadlineMs?: number;
  /** Client deadline of a POST (then the outcome is unknown). */
  emitDeadlineMs?: number;
  /** Reuse a directory (restart after a crash). */
  dir?: string;
  /** Engine/contingency clock skew in ms (e.g. to push past the 30-minute cancel window). */
  skewMs?: () => number;
}

export interface ContingencyRig {
  dir: string;
  sandbox: Sandbox;
  proxy: DelayProxy;
  client: FocusClient;
  journal: Journal;
  engine: EmissionEngine;
  contingency: Contingency;
  config: ContingencyConfig;
  printed: EmissionView[];
  exchanges: ExchangeEvent[];
  certificate: TestCertificate | null;
  catalog: ReturnType<typeof catalogOf>;
  finalize(n: number): Promise<{ saleId: number; emission: EmissionView; ms: number }>;
  /** Pull the cable: refuse new connections and reset open ones. */
  linkDown(mode?: 'refuse' | 'blackhole'): Promise<void>;
  linkUp(): Promise<void>;
  /** Run passes until `done()` or the timeout. */
  until(done: () => boolean, timeoutMs?: number, label?: string): Promise<void>;
  close(opts?: { keepSandbox?: boolean; keepDir?: boolean }): Promise<void>;
}

/** A sandbox running elsewhere (another process): what the rig needs to reach it. */
export type SandboxRef = Pick<Sandbox, 'port' | 'url' | 'tokens' | 'emitter' | 'cnpj'>;

export async function makeContingencyRig(o: ContingencyRigOptions = {}, shared?: { sandbox: Sandbox | SandboxRef }): Promise<ContingencyRig> {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'balcao-contingency-'));
  const sandbox = (shared?.sandbox ?? (await startSandbox({ port: 0, latencyMs: 0, ...o.sandbox }))) as Sandbox;
  const proxy = await startDelayProxy({ targetPort: sandbox.port });
  const baseUrl = `http://127.0.0.1:${proxy.port}`;
  const client = new FocusClient({
    baseUrl,
    token: sandbox.tokens.homologacao,
    keepWarmMs: 0,
    connectTimeoutMs: 1_000,
    defaultDeadlineMs: o.emitDeadlineMs ?? 5_000,
    readDeadlineMs: 2_000,
  });
  const exchanges: ExchangeEvent[] = [];
  client.onExchange((e) => exchanges.push(e));
  const journal = Journal.open({ path: join(dir, 'vendas.db') });
  const vault = new FileVault(join(dir, 'secrets'));
  const config: ContingencyConfig = {
    environment: 'homologacao',
    emitter: sandbox.emitter,
    terminalId: 'PDV01',
    serie: '1',
    contingencySerie: '900',
    qrVersion: 3,
    ...o.config,
  };
  const skew = o.skewMs ?? (() => 0);
  const now = () => Date.now() + skew();
  const settings: EngineSettings = {
    environment: 'homologacao',
    emitter: config.emitter,
    terminalId: config.terminalId,
    serie: config.serie,
    authorizationDeadlineMs: o.authorizationDeadlineMs ?? 2_000,
    utcOffsetMinutes: -180,
  };
  const scheduler = new FocusScheduler({ rateLimit: () => client.rateLimit() });
  const printed: EmissionView[] = [];
  const catalog = catalogOf();
  const feed = new EmissionFeed();
  const afterSale = new AfterSale({
    journal,
    api: client,
    scheduler,
    clock: { now },
    emitDeadlineMs: o.emitDeadlineMs ?? 5_000,
    queryDeadlineMs: 2_000,
    changed: (row) => feed.publish(row),
  });
  const contingency = createContingency({
    journal,
    api: client,
    vault,
    config: () => config,
    scheduler,
    feed,
    cancel: afterSale,
    focusBaseUrl: baseUrl,
    thresholds: { probeFirstMs: 100, probeMaxMs: 1_000, maxProbesPerMinute: 60 },
    clock: {
      now,
      setTimeout: (fn, ms) => {
        const t = setTimeout(fn, ms);
        t.unref();
        return t;
      },
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    },
    tickMs: 250,
    followIntervalMs: 0,
    emitDeadlineMs: o.emitDeadlineMs ?? 5_000,
    print: (v) => void printed.push(v),
    catalog,
    ...o.contingency,
  });
  const engine = new EmissionEngine({
    journal,
    api: client,
    settings: () => settings,
    dataDir: dir,
    scheduler,
    feed,
    afterSale,
    contingency: contingency.port,
    catalog,
    clock: { now },
    archive: false,
    retryBaseMs: 20,
    retryMaxMs: 200,
    processingPollMs: 50,
    emitDeadlineMs: o.emitDeadlineMs ?? 5_000,
    queryDeadlineMs: 2_000,
    ...o.engine,
  });
  let certificate: TestCertificate | null = null;
  if (o.certificate !== false) {
    certificate = o.certificate ?? defaultCertificate(sandbox.cnpj);
    const existing = await contingency.certificateInfo();
    if (!existing) await contingency.importCertificate(certificate.pfx, certificate.password);
  }
  await engine.start();

  const rig: ContingencyRig = {
    dir,
    sandbox,
    proxy,
    client,
    journal,
    engine,
    contingency,
    config,
    printed,
    exchanges,
    certificate,
    catalog,
    async finalize(n) {
      const prepared = await prepareSale(draftFor(n, `sale_${n}_${Math.random().toString(36).slice(2, 10)}`), prepareContext({ catalog, terminalId: 'PDV01' }));
      const t0 = performance.now();
      const r = await engine.finalize(prepared.sale);
      return { saleId: r.saleId, emission: r.emission, ms: performance.now() - t0 };
    },
    async linkDown(mode = 'refuse') {
      if (mode === 'refuse') {
        await proxy.refuse(true);
        proxy.dropConnections();
      } else {
        proxy.blackhole(true);
      }
    },
    async linkUp() {
      proxy.blackhole(false);
      await proxy.refuse(false);
    },
    async until(done, timeoutMs = 20_000, label = 'condition') {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        if (done()) return;
        await contingency.runPass().catch(() => undefined);
        if (done()) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`timeout waiting for ${label}`);
    },
    async close(c = {}) {
      await contingency.close();
      await engine.close();
      await client.close();
      journal.close();
      await proxy.close();
      if (!c.keepSandbox && !shared) await sandbox.close();
      if (!c.keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return rig;
}

/** Rows of the journal per sale: attempts in order. */
export function attemptsOf(rig: ContingencyRig, saleId: number) {
  return rig.journal.emissions.attemptsForSale(saleId);
}
