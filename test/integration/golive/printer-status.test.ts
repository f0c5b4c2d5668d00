// The printer's paper and cover in the Abertura and at the register's opening: asked of the printer
// itself (ESC/POS DLE EOT) over a real TCP socket to the fake printer on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHost, type RunningHost } from '../../../main/host/launch.ts';
import { startSandbox } from '../../../main/sandbox/index.ts';
import type { Sandbox } from '../../../main/sandbox/types.ts';
import { queryPrinterStatus } from '../../../main/printing/status.ts';
import type { PrinterSettings } from '../../../shared/contract.ts';
import { startFakePrinter, type FakePrinter } from '../../fixtures/fake-printer.ts';
import { TEST_PIN_COST } from '../../fixtures/core-rig.ts';

const net = (p: { host: string; port: number }): PrinterSettings => ({
  kind: 'network',
  host: p.host,
  port: p.port,
  width: 48,
  codePage: 'cp860',
  nativeQr: true,
  summary: false,
});

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('queryPrinterStatus over TCP', () => {
  let printer: FakePrinter;
  beforeAll(async () => {
    printer = await startFakePrinter();
  });
  afterAll(async () => {
    await printer.close();
  });

  it.each([
    [{}, 'ready', 'green', 'Impressora pronta'],
    [{ paperNearEnd: true }, 'paper_near_end', 'yellow', 'Pouco papel'],
    [{ paperOut: true }, 'paper_out', 'red', 'Sem papel'],
    [{ coverOpen: true }, 'cover_open', 'red', 'Tampa aberta'],
    [{ coverOpen: true, paperOut: true }, 'cover_open', 'red', 'Tampa aberta'],
  ] as const)('%o → %s', async (status, code, level, label) => {
    printer.setStatus(status);
    const v = await queryPrinterStatus(net(printer));
    expect(v).toMatchObject({ code, level, label });
    expect(v.detail).toContain(`${printer.host}:${printer.port}`);
    // A status query prints nothing.
    expect(printer.jobs).toHaveLength(0);
  });

  it('a printer that does not answer status: connected, paper and cover unknown', async () => {
    const silent = await startFakePrinter({ silentStatus: true });
    try {
      expect(await queryPrinterStatus(net(silent), { tcp: { statusTimeoutMs: 100 } })).toMatchObject({ code: 'no_status', level: 'yellow' });
    } finally {
      await silent.close();
    }
  });

  it('nothing listening, or the connection dropped: "Impressora não responde"', async () => {
    expect(await queryPrinterStatus(net({ host: '127.0.0.1', port: await closedPort() }))).toMatchObject({
      code: 'not_responding',
      level: 'red',
      label: 'Impressora não responde',
    });
    const dropping = await startFakePrinter({ dropOnConnect: true });
    try {
      expect(await queryPrinterStatus(net(dropping))).toMatchObject({ code: 'not_responding', level: 'red' });
    } finally {
      await dropping.close();
    }
  });

  it('no printer, or a system printer, is said so without a socket', async () => {
    expect(await queryPrinterStatus({ kind: 'none', width: 48, codePage: 'cp860', nativeQr: true, summary: false })).toMatchObject({
      code: 'not_configured',
      level: 'yellow',
    });
    expect(await queryPrinterStatus({ kind: 'os', deviceName: 'EPSON TM-T20', width: 48, codePage: 'cp860', nativeQr: true, summary: false })).toMatchObject({
      code: 'system',
    });
  });
});

describe('the Abertura and the register opening of a real shop', () => {
  let sandbox: Sandbox;
  let printer: FakePrinter;
  let host: RunningHost;
  let dir: string;
  type R = { ok: true; value: any } | { ok: false; error: { code: string; message: string } };
  const h = (channel: string, input: unknown = {}) => host.core.handle(channel, input) as Promise<R>;
  const ok = async (p: Promise<R>) => {
    const r = await p;
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value;
  };

  beforeAll(async () => {
    [sandbox, printer] = await Promise.all([startSandbox({ port: 0, latencyMs: 0 }), startFakePrinter()]);
    dir = mkdtempSync(join(tmpdir(), 'balcao-printer-status-'));
    host = await startHost({
      pinCost: TEST_PIN_COST,
      dataDir: dir,
      sandbox: 'none',
      rendererDir: dir,
      log: () => {},
      token: sandbox.tokens.homologacao,
      focusUrl: sandbox.url,
      emitter: { ...sandbox.emitter, name: 'MERCADO SÃO JOÃO LTDA' },
      operators: [
        { id: 'ana', name: 'Ana Souza', role: 'manager', pin: '4826' },
        { id: 'bruno', name: 'Bruno Reis', role: 'cashier', pin: '5071' },
      ],
    });
    await ok(h('auth.login', { operatorId: 'ana', pin: '4826' }));
    await ok(h('settings.update', { managerPin: '4826', patch: { printer: net(printer) } }));
    await ok(h('auth.logout'));
  });
  afterAll(async () => {
    await host.close();
    await Promise.all([sandbox.close(), printer.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('needs someone logged in', async () => {
    expect(await h('printer.status')).toMatchObject({ ok: false, error: { code: 'login_required' } });
  });

  it('opens the register with little paper left, and says so; the Abertura shows the same', async () => {
    printer.setStatus({ paperNearEnd: true });
    await ok(h('auth.login', { operatorId: 'bruno', pin: '5071' }));
    const opened = await ok(h('register.open', { amountText: '100,00' }));
    expect(opened.session).not.toBeNull();
    expect(await ok(h('printer.status'))).toMatchObject({ code: 'paper_near_end', level: 'yellow', label: 'Pouco papel' });
    const report = await ok(h('preflight.run'));
    const check = report.checks.find((c: { id: string }) => c.id === 'printer');
    expect(check).toMatchObject({ level: 'yellow', status: 'paper_near_end', detail: expect.stringMatching(/^Pouco papel\./) });
  });

  it('paper out and cover open are red in the Abertura; a switched-off printer "não responde"', async () => {
    printer.setStatus({ paperOut: true });
    let check = (await ok(h('preflight.run'))).checks.find((c: { id: string }) => c.id === 'printer');
    expect(check).toMatchObject({ level: 'red', status: 'paper_out', detail: expect.stringMatching(/^Sem papel\./) });
    printer.setStatus({ coverOpen: true });
    check = (await ok(h('preflight.run'))).checks.find((c: { id: string }) => c.id === 'printer');
    expect(check).toMatchObject({ level: 'red', status: 'cover_open', detail: expect.stringMatching(/^Tampa aberta\./) });

    await ok(h('auth.login', { operatorId: 'ana', pin: '4826' }));
    await ok(h('settings.update', { managerPin: '4826', patch: { printer: net({ host: '127.0.0.1', port: await closedPort() }) } }));
    check = (await ok(h('preflight.run'))).checks.find((c: { id: string }) => c.id === 'printer');
    expect(check).toMatchObject({ level: 'red', status: 'not_responding', detail: expect.stringMatching(/^Impressora não responde\./) });
  });
});
