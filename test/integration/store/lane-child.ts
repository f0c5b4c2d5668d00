// One lane as a shop runs it, in its own process: a configured real profile (its own data dir,
// vault and Focus token) driven headless through the core API over IPC. The multi-lane test and
// bench:store fork several of these. Config comes in BALCAO_LANE (JSON); no secret on the command line.
import { startHost } from '../../../main/host/launch.ts';
import { SANDBOX_EMITTER } from '../../../main/sandbox/demo.ts';
import type { StoreTiming } from '../../../main/store/sync.ts';
import { TEST_PIN_COST } from '../../fixtures/pin-cost.ts';

interface LaneConfig {
  dataDir: string;
  token: string;
  focusUrl: string;
  cnpj: string;
  /** This lane's clock minus the real one (a lane whose clock is off). */
  skewMs?: number;
  pullWaitMs?: number;
  pushIdleMs?: number;
  leaseMs?: number;
  leaseWant?: StoreTiming['leaseWant'];
  /** false: no XML downloads after each note (they spend the token's budget too). */
  archive?: boolean;
}

const cfg = JSON.parse(process.env.BALCAO_LANE ?? '{}') as LaneConfig;
const skew = cfg.skewMs ?? 0;
const host = await startHost({
  dataDir: cfg.dataDir,
  rendererDir: cfg.dataDir,
  sandbox: 'none',
  token: cfg.token,
  focusUrl: cfg.focusUrl,
  emitter: { ...SANDBOX_EMITTER, cnpj: cfg.cnpj },
  operators: [
    { id: 'ana', name: 'Ana', role: 'manager', pin: '4826' },
    { id: 'bia', name: 'Bia', role: 'cashier', pin: '5071' },
  ],
  catalogSeed: () => [],
  // The PINs are hashed and checked at the tests' cost, as in the integration tests' own hosts.
  pinCost: TEST_PIN_COST,
  clock: () => Date.now() + skew,
  log: () => {},
  ...(cfg.archive === false ? { engine: { archive: false } } : {}),
  storeTiming: {
    pullWaitMs: cfg.pullWaitMs ?? 2_000,
    pushIdleMs: cfg.pushIdleMs ?? 100,
    ...(cfg.leaseMs !== undefined ? { leaseMs: cfg.leaseMs } : {}),
    ...(cfg.leaseWant !== undefined ? { leaseWant: cfg.leaseWant } : {}),
  },
});

process.on('message', (m: { id: number; channel: string; input: unknown }) => {
  void (host.core.handle as (c: string, i: unknown) => Promise<unknown>)(m.channel, m.input).then(
    (result) => process.send?.({ id: m.id, result }),
    (err: unknown) => process.send?.({ id: m.id, result: { ok: false, error: { code: 'crash', message: String(err) } } }),
  );
});
process.once('SIGTERM', () => void host.close().then(() => process.exit(0)));
process.send?.({ ready: true });
