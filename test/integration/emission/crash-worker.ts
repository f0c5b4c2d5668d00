// Child process of the crash tests: runs the real engine on a journal file against the sandbox and
// kills itself (SIGKILL, no cleanup) at a named point of the emission path when told to.
// Env: BALCAO_JOURNAL, BALCAO_DATADIR, BALCAO_FOCUS_URL, BALCAO_FOCUS_TOKEN, BALCAO_EMITTER (JSON),
//      BALCAO_TERMINAL, BALCAO_FIRST (first sale index), BALCAO_SALES (how many),
//      BALCAO_CRASH_POINT (a CrashPoint), BALCAO_CRASH_AT (nth time that point is hit, 1-based),
//      BALCAO_CRASH_DELAY_MS (for post-in-flight: die this long after the request left).
// Stdout protocol, one line each: `ready`, `attempt <k>`, `done <k> <saleId> <state>`, `idle`.
import { Journal } from '../../../main/db/journal.ts';
import { FocusClient } from '../../../main/focus/client.ts';
import { EmissionEngine } from '../../../main/emission/engine.ts';
import type { CrashPoint } from '../../../main/emission/types.ts';
import { prepareSale } from '../../../main/sales/prepare.ts';
import type { Emitter } from '../../../shared/sale.ts';
import { draftFor, prepareContext } from './fixtures.ts';

const env = process.env;
const need = (k: string): string => {
  const v = env[k];
  if (!v) throw new Error(`missing ${k}`);
  return v;
};

const point = env.BALCAO_CRASH_POINT as CrashPoint | undefined;
const at = Number(env.BALCAO_CRASH_AT ?? '1');
const delay = Number(env.BALCAO_CRASH_DELAY_MS ?? '0');
let hits = 0;
const die = () => process.kill(process.pid, 'SIGKILL');
const crashPoint = (p: CrashPoint) => {
  if (p !== point || ++hits !== at) return;
  if (delay > 0) setTimeout(die, delay);
  else die();
};

const out = (line: string) => process.stdout.write(`${line}\n`);

const journal = Journal.open({ path: need('BALCAO_JOURNAL') });
const client = new FocusClient({
  baseUrl: need('BALCAO_FOCUS_URL'),
  token: need('BALCAO_FOCUS_TOKEN'),
  keepWarmMs: 0,
  defaultDeadlineMs: 3_000,
  readDeadlineMs: 3_000,
});
const emitter = JSON.parse(need('BALCAO_EMITTER')) as Emitter;
const terminalId = env.BALCAO_TERMINAL ?? 'PDV01';
const engine = new EmissionEngine({
  journal,
  api: client,
  settings: () => ({ environment: 'homologacao', emitter, terminalId, serie: '1', authorizationDeadlineMs: 5_000, utcOffsetMinutes: -180 }),
  dataDir: need('BALCAO_DATADIR'),
  archive: false,
  retryBaseMs: 20,
  retryMaxMs: 200,
  processingPollMs: 30,
  crashPoint,
});

await engine.start();
out('ready');
const first = Number(env.BALCAO_FIRST ?? '0');
const count = Number(env.BALCAO_SALES ?? '0');
const ctx = prepareContext({ terminalId });
for (let k = first; k < first + count; k++) {
  out(`attempt ${k}`);
  const { sale } = await prepareSale(draftFor(k, `crash_${terminalId}_${k}`), ctx);
  const r = await engine.finalize(sale);
  out(`done ${k} ${r.saleId} ${r.emission.state}`);
}
// Let background resolution finish so a clean exit leaves nothing open.
for (let i = 0; i < 500 && (engine.busy() > 0 || journal.emissions.listOpen().length > 0); i++) {
  await new Promise((r) => setTimeout(r, 10));
}
out('idle');
await engine.close();
await client.close();
journal.close();
