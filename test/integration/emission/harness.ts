// One engine on a real journal file, a real FocusClient and the Focus sandbox on 127.0.0.1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FocusClient, type FocusClientOptions } from '../../../main/focus/client.ts';
import { startSandbox } from '../../../main/sandbox/index.ts';
import type { Sandbox, SandboxOptions } from '../../../main/sandbox/types.ts';
import { Journal } from '../../../main/db/journal.ts';
import { EmissionEngine, type EmissionEngineOptions } from '../../../main/emission/engine.ts';
import type { EngineSettings } from '../../../main/emission/types.ts';
import type { EmissionView } from '../../../shared/emission.ts';
import { catalogOf } from './fixtures.ts';

export interface Rig {
  dir: string;
  sandbox: Sandbox;
  client: FocusClient;
  journal: Journal;
  engine: EmissionEngine;
  catalog: ReturnType<typeof catalogOf>;
  settings: EngineSettings;
  events: EmissionView[];
  /** Closes engine, client, journal (the sandbox only if the rig started it). */
  close(): Promise<void>;
  /** Builds a fresh engine + client on the same journal file (a restart without the crash). */
  restart(extra?: Partial<EmissionEngineOptions>): Promise<void>;
  /** Resolves when the engine has nothing left to do (bounded). */
  idle(timeoutMs?: number): Promise<void>;
}

export interface RigOptions {
  sandbox?: Sandbox;
  sandboxOptions?: SandboxOptions;
  client?: Partial<FocusClientOptions>;
  engine?: Partial<EmissionEngineOptions>;
  settings?: Partial<EngineSettings>;
}

export async function makeRig(opts: RigOptions = {}): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'balcao-emission-'));
  const ownSandbox = !opts.sandbox;
  const sandbox = opts.sandbox ?? (await startSandbox({ port: 0, latencyMs: 0, ...opts.sandboxOptions }));
  const settings: EngineSettings = {
    environment: 'homologacao',
    emitter: sandbox.emitter,
    terminalId: 'PDV01',
    serie: '1',
    authorizationDeadlineMs: 10_000,
    utcOffsetMinutes: -180,
    ...opts.settings,
  };
  const catalog = catalogOf();
  const events: EmissionView[] = [];
  const newClient = () => new FocusClient({ baseUrl: sandbox.url, token: sandbox.tokens.homologacao, keepWarmMs: 0, defaultDeadlineMs: 5_000, ...opts.client });
  const newEngine = (client: FocusClient, journal: Journal, extra: Partial<EmissionEngineOptions> = {}) => {
    const e = new EmissionEngine({
      journal,
      api: client,
      settings: () => rig.settings,
      dataDir: dir,
      catalog,
      retryBaseMs: 20,
      retryMaxMs: 200,
      processingPollMs: 50,
      ...opts.engine,
      ...extra,
    });
    e.on('emission.changed', (v) => events.push(v));
    return e;
  };
  const journal = Journal.open({ path: join(dir, 'vendas.db') });
  const client = newClient();
  const rig: Rig = {
    dir,
    sandbox,
    client,
    journal,
    engine: undefined as unknown as EmissionEngine,
    catalog,
    settings,
    events,
    async close() {
      await rig.engine.close();
      await rig.client.close();
      rig.journal.close();
      if (ownSandbox) await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
    async restart(extra) {
      await rig.engine.close();
      await rig.client.close();
      rig.journal.close();
      rig.journal = Journal.open({ path: join(dir, 'vendas.db') });
      rig.client = newClient();
      rig.engine = newEngine(rig.client, rig.journal, extra);
    },
    async idle(timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        if (rig.engine.busy() === 0 && rig.journal.emissions.listOpen().length === 0) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`engine still busy after ${timeoutMs} ms: ${JSON.stringify(rig.journal.emissions.listOpen().map((e) => [e.ref, e.state]))}`);
    },
  };
  rig.engine = newEngine(client, journal);
  return rig;
}
