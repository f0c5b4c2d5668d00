// The Focus connection is opened when the core starts, before the first sale, so the cashier
// never pays a TCP/TLS handshake at Finalizar. Observed on the real client's exchanges.
import { afterAll, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { createCore, type Core } from '../../../main/core/core.ts';
import { demoCoreDeps, tempDataDir } from '../../fixtures/core-rig.ts';
import type { ExchangeEvent } from '../../../main/focus/types.ts';

const dir = tempDataDir('balcao-warm-');
let core: Core | undefined;

afterAll(async () => {
  await core?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('warms the Focus connection at start, before any sale', async () => {
  const deps = await demoCoreDeps(dir);
  const exchanges: ExchangeEvent[] = [];
  const makeClient = deps.focusFactory;
  deps.focusFactory = (o) => {
    const client = makeClient(o);
    client.onExchange((e) => exchanges.push(e));
    return client;
  };
  core = createCore(deps);
  await core.start();

  await expect.poll(() => exchanges.length, { timeout: 5_000 }).toBeGreaterThan(0);
  const first = exchanges[0]!;
  expect(first.method).toBe('GET');
  // Any HTTP answer (the sandbox says 404 for the warm-up path) means the socket is open and pooled.
  expect(first.status).toBeTypeOf('number');
  expect(first.outcome).not.toBe('never-sent');
});
