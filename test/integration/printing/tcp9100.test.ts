// Real TCP to a fake printer on loopback: the bytes that arrive are decoded like a printer would.
import { createServer, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildReceipt, withDrawerKick } from '../../../shared/receipt/model.ts';
import type { PrinterSettings } from '../../../shared/contract.ts';
import { encodeReceipt } from '../../../main/printing/escpos.ts';
import { Tcp9100Transport } from '../../../main/printing/transports/tcp9100.ts';
import { PrinterError } from '../../../main/printing/transports/transport.ts';
import { createReceiptPrinter } from '../../../main/printing/printer.ts';
import { printTestPage, TEST_PAGE_NOTICE } from '../../../main/printing/test-page.ts';
import { ACCENTS_LINE, SAMPLE_EMITTER } from '../../../main/printing/sample.ts';
import { decodeEscPos, startFakePrinter, type FakePrinter } from '../../fixtures/fake-printer.ts';
import { scenario } from '../../fixtures/receipt/scenarios.ts';

let printer: FakePrinter | null = null;
afterEach(async () => {
  await printer?.close();
  printer = null;
});

/** A loopback port with nothing listening: what a switched-off printer looks like. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function rejection(p: Promise<unknown>): Promise<PrinterError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PrinterError) return e;
    throw e;
  }
  throw new Error('expected a PrinterError');
}

describe('Tcp9100Transport with the fake printer', () => {
  it('delivers the exact job; the printer decodes text, QR content and cut', async () => {
    printer = await startFakePrinter();
    const model = withDrawerKick(buildReceipt(scenario('authorized')), true);
    const bytes = encodeReceipt(model);
    await new Tcp9100Transport({ host: printer.host, port: printer.port }).send(bytes);
    const [job] = await printer.waitForJobs(1);
    expect(Buffer.from(job?.bytes ?? []).equals(Buffer.from(bytes))).toBe(true);
    expect(job?.statusQueries).toEqual([2, 4]);
    const d = decodeEscPos(job?.bytes ?? new Uint8Array());
    expect(d.lines.some((l) => l.includes('MERCEARIA SÃO JOÃO LTDA'))).toBe(true);
    expect(d.lines.some((l) => l.startsWith('Valor a Pagar R$'))).toBe(true);
    expect(d.lines.some((l) => l.trim() === model.consulta.chaveGroups[0])).toBe(true);
    expect(d.qrs).toEqual([{ model: 2, size: expect.any(Number), errorLevel: 'M', data: model.qrContent, printed: true }]);
    expect(d.cuts).toBe(1);
    expect(d.pulses).toBe(1);
    // The cut comes after the last text line, the QR before the tax message.
    const kinds = d.events.map((e) => e.type);
    const lastText = d.events.findLastIndex((e) => e.type === 'text' && e.line.trim() !== '');
    expect(kinds.lastIndexOf('cut')).toBeGreaterThan(lastText);
    expect(kinds.indexOf('qr')).toBeLessThan(d.events.findIndex((e) => e.type === 'text' && e.line.includes('Tributos Totais')));
  });

  it('contingency: one job with both copies, each cut', async () => {
    printer = await startFakePrinter();
    const model = buildReceipt(scenario('contingency'));
    await new Tcp9100Transport({ host: printer.host, port: printer.port }).send(encodeReceipt(model));
    const [job] = await printer.waitForJobs(1);
    const d = decodeEscPos(job?.bytes ?? new Uint8Array());
    expect(d.cuts).toBe(2);
    expect(d.qrs.map((q) => q.data)).toEqual([model.qrContent, model.qrContent]);
    expect(d.pieces.map((p) => p.some((l) => l.includes('Via Consumidor')))).toEqual([true, false]);
    expect(d.pieces.map((p) => p.some((l) => l.includes('Via Estabelecimento')))).toEqual([false, true]);
  });

  it('printer off: clear error naming the address', async () => {
    const port = await closedPort();
    const err = await rejection(new Tcp9100Transport({ host: '127.0.0.1', port }).send(new Uint8Array([0x1b, 0x40])));
    expect(err.code).toBe('offline');
    expect(err.retryable).toBe(true);
    expect(err.message).toBe(`Impressora desligada ou fora da rede (127.0.0.1:${port}).`);
  });

  it('unreachable address: gives up after the connect timeout with the same message', async () => {
    // A socket that never connects stands for a printer that is off: nothing leaves the machine.
    let sockets = 0;
    const transport = new Tcp9100Transport({
      host: '127.0.0.50',
      port: 9100,
      connectTimeoutMs: 300,
      connect: () => {
        sockets++;
        return new Socket();
      },
    });
    const err = await rejection(transport.send(new Uint8Array([0x0a])));
    expect(err.message).toBe('Impressora desligada ou fora da rede (127.0.0.50:9100).');
    expect(err.retryable).toBe(true);
    expect(sockets).toBe(1);
  });

  it('paper out reported by DLE EOT: refused before printing, not retryable', async () => {
    printer = await startFakePrinter({ status: { paperOut: true } });
    const t = new Tcp9100Transport({ host: printer.host, port: printer.port });
    const err = await rejection(t.send(encodeReceipt(buildReceipt(scenario('authorized')))));
    expect(err.code).toBe('paper_out');
    expect(err.retryable).toBe(false);
    expect(err.message).toBe(`Impressora sem papel (${printer.host}:${printer.port}). Coloque uma bobina nova e reimprima o cupom.`);
    expect(printer.jobs).toHaveLength(0);
    expect(await t.status()).toEqual({ paperOut: true, paperNearEnd: false, coverOpen: false });
  });

  it('cover open is reported; near-end paper still prints', async () => {
    printer = await startFakePrinter({ status: { coverOpen: true } });
    const t = new Tcp9100Transport({ host: printer.host, port: printer.port });
    expect((await rejection(t.send(new Uint8Array([0x41, 0x0a])))).code).toBe('cover_open');
    printer.setStatus({ paperNearEnd: true });
    await t.send(new Uint8Array([0x41, 0x0a]));
    await printer.waitForJobs(1);
  });

  it('prints anyway when the printer does not answer status queries', async () => {
    printer = await startFakePrinter({ silentStatus: true });
    const t0 = Date.now();
    await new Tcp9100Transport({ host: printer.host, port: printer.port, statusTimeoutMs: 150 }).send(new Uint8Array([0x42, 0x0a]));
    const [job] = await printer.waitForJobs(1);
    expect([...(job?.bytes ?? [])]).toEqual([0x42, 0x0a]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('a printer that drops the connection gives a retryable error', async () => {
    printer = await startFakePrinter({ dropOnConnect: true });
    const err = await rejection(new Tcp9100Transport({ host: printer.host, port: printer.port }).send(new Uint8Array(64)));
    expect(err.retryable).toBe(true);
    expect(err.message).toContain(`${printer.host}:${printer.port}`);
  });

  it('refuses a settings error up front', () => {
    expect(() => new Tcp9100Transport({ host: ' ' })).toThrow(/endereço IP/);
    expect(() => new Tcp9100Transport({ host: '127.0.0.1', port: 70000 })).toThrow(/Porta/);
  });
});

describe('printer from settings and the test page', () => {
  const settings = (port: number, extra: Partial<PrinterSettings> = {}): PrinterSettings => ({
    kind: 'network',
    host: '127.0.0.1',
    port,
    width: 48,
    codePage: 'cp860',
    nativeQr: true,
    summary: false,
    ...extra,
  });

  it('test page: sample DANFCe with the accents line and a QR, on 58 mm too', async () => {
    printer = await startFakePrinter();
    const r = await printTestPage(settings(printer.port, { width: 32 }));
    expect(r.ok).toBe(true);
    expect(r.message).toContain(`127.0.0.1:${printer.port}`);
    const [job] = await printer.waitForJobs(1);
    const d = decodeEscPos(job?.bytes ?? new Uint8Array());
    // 37 characters: on 58 mm the line wraps, the accents must survive either way.
    expect(d.lines.map((l) => l.trim()).join(' ')).toContain(ACCENTS_LINE);
    expect(d.lines.some((l) => l.includes('PÁGINA DE TESTE'))).toBe(true);
    expect(TEST_PAGE_NOTICE).toContain('NÃO É DOCUMENTO FISCAL');
    expect(d.lines.some((l) => l.includes('HOMOLOGAÇÃO'))).toBe(true);
    expect(d.qrs[0]?.data).toMatch(/^http:\/\/www\.fazenda\.pr\.gov\.br\/nfce\/qrcode\?p=\d{44}\|2\|2\|1\|[0-9A-F]{40}$/);
    for (const l of d.lines) expect(l.length).toBeLessThanOrEqual(32);
  });

  it("a shop's test page carries its own header, never the made-up sample shop's", async () => {
    printer = await startFakePrinter();
    const shop = { ...SAMPLE_EMITTER, cnpj: '45286317000175', name: 'Padaria Pão Quente Ltda', tradeName: 'Pão Quente' };
    expect((await printTestPage(settings(printer.port), {}, undefined, null, shop)).ok).toBe(true);
    const [job] = await printer.waitForJobs(1);
    const text = decodeEscPos(job?.bytes ?? new Uint8Array()).lines.join('\n');
    expect(text).toContain('Pão Quente');
    expect(text).toContain('45.286.317/0001-75');
    expect(text).not.toContain(SAMPLE_EMITTER.tradeName!);
    expect(text).toContain('PÁGINA DE TESTE');
  });

  it('test page with the raster QR fallback and windows1252', async () => {
    printer = await startFakePrinter();
    const r = await printTestPage(settings(printer.port, { nativeQr: false, codePage: 'windows1252' }));
    expect(r.ok).toBe(true);
    const [job] = await printer.waitForJobs(1);
    const d = decodeEscPos(job?.bytes ?? new Uint8Array());
    expect(d.qrs).toHaveLength(0);
    expect(d.images).toHaveLength(1);
    expect(d.codepageTables).toEqual([16]);
    expect(d.lines.map((l) => l.trim())).toContain(ACCENTS_LINE);
  });

  it('test page reports a printer that is off, without throwing', async () => {
    const port = await closedPort();
    const r = await printTestPage(settings(port), { tcp: { connectTimeoutMs: 500 } });
    expect(r).toEqual({ ok: false, message: `Impressora desligada ou fora da rede (127.0.0.1:${port}).` });
    expect(await printTestPage({ ...settings(port), kind: 'none' })).toMatchObject({ ok: false });
    expect(await printTestPage({ ...settings(port), codePage: 'ebcdic' })).toMatchObject({ ok: false, message: expect.stringMatching(/não suportada/) });
  });

  it('OS printer without the Electron port explains what to do', () => {
    expect(() => createReceiptPrinter({ ...settings(9100), kind: 'os', deviceName: 'EPSON TM-T20' })).toThrow(/aplicativo instalado/);
    expect(() => createReceiptPrinter({ ...settings(9100), kind: 'os' })).toThrow(/impressora do sistema/);
    expect(createReceiptPrinter({ ...settings(9100), kind: 'none' })).toBeNull();
  });
});
