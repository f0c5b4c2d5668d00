// The print queue over real TCP: the checkout never waits for the printer, a printer that is off
// is retried, and a receipt that could not be printed stays available for reprint.
import { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildReceipt } from '../../../shared/receipt/model.ts';
import { PrintQueue, type PrintQueueEvent } from '../../../main/printing/queue.ts';
import { EscPosReceiptPrinter } from '../../../main/printing/printer.ts';
import { Tcp9100Transport } from '../../../main/printing/transports/tcp9100.ts';
import { decodeEscPos, startFakePrinter, type FakePrinter } from '../../fixtures/fake-printer.ts';
import { scenario } from '../../fixtures/receipt/scenarios.ts';

let fake: FakePrinter | null = null;
let queue: PrintQueue | null = null;
afterEach(async () => {
  await queue?.close();
  await fake?.close();
  queue = null;
  fake = null;
});

describe('PrintQueue → TCP fake printer', () => {
  it('enqueue returns at once even when the printer hangs; the result arrives as an event', async () => {
    const events: PrintQueueEvent[] = [];
    // A printer that is off: the injected socket never connects, so each attempt waits the full
    // timeout, and nothing leaves the machine.
    const transport = new Tcp9100Transport({ host: '127.0.0.50', connectTimeoutMs: 200, connect: () => new Socket() });
    queue = new PrintQueue({
      printer: () => new EscPosReceiptPrinter(transport),
      onEvent: (e) => events.push(e),
      maxAttempts: 2,
      baseDelayMs: 10,
    });
    const model = buildReceipt(scenario('authorized'));
    const job = queue.enqueue(model, { saleId: 501 });
    // Returned before any attempt ended: no outcome yet (the time it takes is bench:receipt's).
    expect(job.state).toBe('queued');
    expect(events.filter((e) => e.job.state === 'failed')).toEqual([]);
    await queue.whenIdle();
    const last = events.at(-1);
    expect(last).toMatchObject({ saleId: 501, ok: false, message: 'Impressora desligada ou fora da rede (127.0.0.50:9100).' });
    expect(last?.job.attempts).toBe(2);
    expect(queue.failed().map((j) => j.saleId)).toEqual([501]);
  });

  it('a failed receipt is reprinted when the printer is back, byte for byte', async () => {
    fake = await startFakePrinter({ status: { paperOut: true } });
    const events: PrintQueueEvent[] = [];
    const transport = new Tcp9100Transport({ host: fake.host, port: fake.port });
    queue = new PrintQueue({ printer: () => new EscPosReceiptPrinter(transport), onEvent: (e) => events.push(e), baseDelayMs: 10 });
    const model = buildReceipt(scenario('contingency'));
    const job = queue.enqueue(model, { saleId: 77 });
    await queue.whenIdle();
    expect(events.at(-1)).toMatchObject({ ok: false, message: expect.stringContaining('sem papel') });
    expect(fake.jobs).toHaveLength(0);

    fake.setStatus({});
    queue.reprint(job.id);
    await queue.whenIdle();
    expect(events.at(-1)).toMatchObject({ saleId: 77, ok: true });
    const [printed] = await fake.waitForJobs(1);
    const d = decodeEscPos(printed?.bytes ?? new Uint8Array());
    expect(d.cuts).toBe(2);
    expect(d.qrs.map((q) => q.data)).toEqual([model.qrContent, model.qrContent]);
  });

  it('prints a burst of sales in order, one connection per receipt', async () => {
    fake = await startFakePrinter();
    const transport = new Tcp9100Transport({ host: fake.host, port: fake.port });
    queue = new PrintQueue({ printer: () => new EscPosReceiptPrinter(transport) });
    const names = ['authorized', 'summary', '58mm', 'homologation'];
    const models = names.map((n) => buildReceipt(scenario(n)));
    models.forEach((m, i) => queue?.enqueue(m, { saleId: i + 1 }));
    await queue.whenIdle();
    const jobs = await fake.waitForJobs(4);
    expect(jobs.map((j) => decodeEscPos(j.bytes).lines.some((l) => l.includes('Código Descrição')))).toEqual([true, false, true, true]);
    expect(queue.jobs().every((j) => j.state === 'done')).toBe(true);
  });
});
