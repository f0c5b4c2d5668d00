// The browser host started by `npm start` comes back on the port of its last start, so the page's
// origin — and the sales its localStorage holds (cart, finalize queue) — is the same after a restart.
// A port taken meanwhile by another program gives a free one, remembered from then on.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHost, type StartHostOptions } from '../../../main/host/launch.ts';
import { rememberedPort } from '../../../main/host/port-memory.ts';
import { LAYOUT } from '../../../main/core/layout.ts';
import { TEST_PIN_COST } from '../../fixtures/core-rig.ts';

let dir: string;
let opts: StartHostOptions;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'balcao-host-port-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><head></head><body></body></html>');
  opts = { dataDir: join(dir, 'data'), pinCost: TEST_PIN_COST, rendererDir, stablePort: true, sandbox: 'none', log: () => {} };
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function portOfOneStart(): Promise<number> {
  const host = await startHost(opts);
  await host.close();
  return host.port;
}

it('a restart listens on the port of the last start, and a taken port gives a free one that is then kept', async () => {
  const first = await portOfOneStart();
  expect(rememberedPort(opts.dataDir)).toBe(first);
  expect(await portOfOneStart()).toBe(first);

  const squatter: Server = createServer();
  await new Promise<void>((resolve) => squatter.listen(first, '127.0.0.1', resolve));
  try {
    const moved = await portOfOneStart();
    expect(moved).not.toBe(first);
    expect(rememberedPort(opts.dataDir)).toBe(moved);
  } finally {
    await new Promise<void>((resolve) => squatter.close(() => resolve()));
  }
  expect(await portOfOneStart()).toBe(rememberedPort(opts.dataDir));
});

it('a damaged memory file is a free port, never a refusal to start', async () => {
  writeFileSync(LAYOUT.hostPort(opts.dataDir), '{"port": "oitenta"');
  expect(rememberedPort(opts.dataDir)).toBe(0);
  const port = await portOfOneStart();
  expect(port).toBeGreaterThan(0);
  expect(rememberedPort(opts.dataDir)).toBe(port);
});

it('an explicit port wins and is not remembered', async () => {
  const before = rememberedPort(opts.dataDir);
  const probe: Server = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const free = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const host = await startHost({ ...opts, port: free });
  await host.close();
  expect(host.port).toBe(free);
  expect(rememberedPort(opts.dataDir)).toBe(before);
});
