// A standalone Focus sandbox process (main/sandbox/cli.ts) and an engine on a real journal file:
// what the journal tests need to break files the way a shop's disk breaks them.
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { FocusClient } from '../../../main/focus/client.ts';
import { Journal, type JournalOptions } from '../../../main/db/journal.ts';
import { EmissionEngine, type EmissionEngineOptions, type EngineFault } from '../../../main/emission/engine.ts';
import type { EngineSettings } from '../../../main/emission/types.ts';
import type { Emitter } from '../../../shared/sale.ts';
import type { SandboxNote } from '../../../main/sandbox/types.ts';
import { catalogOf, saleFor } from '../emission/fixtures.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

export interface SandboxProcess {
  url: string;
  token: string;
  emitter: Emitter;
  child: ChildProcess;
  notes(): Promise<SandboxNote[]>;
  faults(body: Record<string, unknown>): Promise<void>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function spawnSandbox(dataDir: string): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'main/sandbox/cli.ts'), '--port', '0', '--data', dataDir, '--latency', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const kv = await new Promise<Record<string, string>>((res, rej) => {
    let out = '';
    const timer = setTimeout(() => rej(new Error(`sandbox did not start: ${out}`)), 20_000);
    child.stdout.on('data', (c) => {
      out += c;
      const ls = out.split('\n').filter(Boolean);
      if (ls.length >= 3) {
        clearTimeout(timer);
        res(Object.fromEntries(ls.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])));
      }
    });
    child.on('exit', (code) => rej(new Error(`sandbox exited with ${code}`)));
  });
  const url = kv.url!;
  const admin = async (method: string, name: string, body?: unknown) => {
    const r = await fetch(`${url}/__sandbox/${name}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    if (!r.ok) throw new Error(`sandbox admin ${name}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  const info = (await admin('GET', 'info')) as { emitter: Emitter };
  return {
    url,
    token: kv.token!,
    emitter: info.emitter,
    child,
    notes: async () => (await admin('GET', 'notes')) as SandboxNote[],
    faults: async (body) => void (await admin('POST', 'faults', body)),
    reset: async () => void (await admin('POST', 'reset', {})),
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface Lane {
  journal: Journal;
  engine: EmissionEngine;
  client: FocusClient;
  faults: EngineFault[];
  settings: EngineSettings;
  close(): Promise<void>;
}

export function openLane(path: string, sb: SandboxProcess, opts: { journal?: Partial<JournalOptions>; engine?: Partial<EmissionEngineOptions> } = {}): Lane {
  const journal = Journal.open({ path, ...opts.journal });
  const client = new FocusClient({ baseUrl: sb.url, token: sb.token, keepWarmMs: 0, defaultDeadlineMs: 5_000 });
  const settings: EngineSettings = {
    environment: 'homologacao',
    emitter: sb.emitter,
    terminalId: 'PDV01',
    serie: '1',
    authorizationDeadlineMs: 10_000,
    utcOffsetMinutes: -180,
  };
  const faults: EngineFault[] = [];
  const engine = new EmissionEngine({
    journal,
    api: client,
    settings: () => settings,
    dataDir: join(path, '..'),
    catalog: catalogOf(),
    archive: false,
    retryBaseMs: 20,
    retryMaxMs: 200,
    processingPollMs: 50,
    queryDeadlineMs: 3_000,
    emitDeadlineMs: 5_000,
    onFault: (f) => faults.push(f),
    ...opts.engine,
  });
  return {
    journal,
    engine,
    client,
    faults,
    settings,
    async close() {
      await engine.close();
      await client.close();
      journal.close();
    },
  };
}

/** Sells sale n (deterministic items and total) on the lane's terminal and returns the finalize result. */
export async function sell(lane: Lane, n: number) {
  // The sale carries the terminal of the lane's settings, as the core's finalize does: refs and the
  // rollback re-learning are built from it.
  const sale = await saleFor(n, `sale_${n}_${Math.random().toString(36).slice(2)}`);
  return lane.engine.finalize({ ...sale, terminalId: lane.settings.terminalId });
}
