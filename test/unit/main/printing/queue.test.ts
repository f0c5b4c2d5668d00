// Queue behaviour with a scripted printer standing in for the hardware: the real network path is
// covered in test/integration/printing/queue-tcp.test.ts with the loopback fake printer.
import { describe, expect, it } from 'vitest';
import { buildReceipt, type ReceiptModel } from '../../../../shared/receipt/model.ts';
import { PrintQueue, type PrintQueueEvent } from '../../../../main/printing/queue.ts';
import type { ReceiptPrinter } from '../../../../main/printing/printer.ts';
import { PrinterError } from '../../../../main/printing/transports/transport.ts';
import { sampleReceiptInput } from '../../../../main/printing/sample.ts';

class ScriptedPrinter implements ReceiptPrinter {
  readonly name = 'roteiro';
  readonly printed: ReceiptModel[] = [];
  script: (Error | null)[];
  constructor(script: (Error | null)[]) {
    this.script = script;
  }
  async print(model: ReceiptModel): Promise<void> {
    const next = this.script.shift() ?? null;
    if (next) throw next;
    this.printed.push(model);
  }
}

const model = buildReceipt(sampleReceiptInput());
const off = () => new PrinterError('offline', 'Impressora desligada ou fora da rede (127.0.0.9:9100).');

function setup(printer: ReceiptPrinter | null, extra: { maxAttempts?: number } = {}) {
  const events: PrintQueueEvent[] = [];
  const sleeps: number[] = [];
  const queue = new PrintQueue({
    printer: () => printer,
    onEvent: (e) => events.push(e),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    baseDelayMs: 500,
    maxDelayMs: 4000,
    ...extra,
  });
  return { queue, events, sleeps };
}

describe('PrintQueue', () => {
  it('enqueue returns before printing, then reports success', async () => {
    const printer = new ScriptedPrinter([]);
    const { queue, events } = setup(printer);
    const job = queue.enqueue(model, { saleId: 501 });
    expect(job.state).toBe('queued');
    expect(printer.printed).toHaveLength(0);
    await queue.whenIdle();
    expect(printer.printed).toEqual([model]);
    expect(events.at(-1)).toMatchObject({ saleId: 501, ok: true, message: null, job: { state: 'done', attempts: 1 } });
  });

  it('retries a printer that is off with exponential backoff, then succeeds', async () => {
    const printer = new ScriptedPrinter([off(), off()]);
    const { queue, events, sleeps } = setup(printer, { maxAttempts: 4 });
    queue.enqueue(model, { saleId: 7 });
    await queue.whenIdle();
    expect(sleeps).toEqual([500, 1000]);
    expect(printer.printed).toHaveLength(1);
    expect(events.filter((e) => e.job.state === 'retrying').map((e) => e.message)).toEqual([
      'Impressora desligada ou fora da rede (127.0.0.9:9100).',
      'Impressora desligada ou fora da rede (127.0.0.9:9100).',
    ]);
    expect(queue.failed()).toEqual([]);
  });

  it('gives up after maxAttempts and keeps the job for reprint', async () => {
    const printer = new ScriptedPrinter([off(), off(), off()]);
    const { queue, events } = setup(printer);
    const job = queue.enqueue(model, { saleId: 9 });
    await queue.whenIdle();
    expect(queue.failed().map((j) => j.id)).toEqual([job.id]);
    expect(events.at(-1)).toMatchObject({ saleId: 9, ok: false, message: 'Impressora desligada ou fora da rede (127.0.0.9:9100).' });
    const again = queue.reprint(job.id);
    await queue.whenIdle();
    expect(again.id).not.toBe(job.id);
    expect(printer.printed).toEqual([model]);
    expect(queue.failed()).toEqual([]);
  });

  it('does not retry paper out: it needs a person', async () => {
    const printer = new ScriptedPrinter([new PrinterError('paper_out', 'Impressora sem papel (x).')]);
    const { queue, sleeps } = setup(printer);
    queue.enqueue(model);
    await queue.whenIdle();
    expect(sleeps).toEqual([]);
    expect(queue.failed()[0]).toMatchObject({ attempts: 1, error: 'Impressora sem papel (x).' });
  });

  it('a failing job does not block the next receipts', async () => {
    const printer = new ScriptedPrinter([new PrinterError('cover_open', 'Tampa aberta.'), null, null]);
    const { queue } = setup(printer);
    queue.enqueue(model, { saleId: 1 });
    queue.enqueue(model, { saleId: 2 });
    queue.enqueue(model, { saleId: 3 });
    await queue.whenIdle();
    expect(printer.printed).toHaveLength(2);
    expect(queue.jobs().map((j) => [j.saleId, j.state])).toEqual([
      [1, 'failed'],
      [2, 'done'],
      [3, 'done'],
    ]);
  });

  it('no printer configured: the job fails with a clear message, nothing throws', async () => {
    const { queue, events } = setup(null);
    queue.enqueue(model, { saleId: 4 });
    await queue.whenIdle();
    expect(events.at(-1)?.message).toBe('Nenhuma impressora configurada: o cupom não foi impresso.');
  });

  it('a throwing listener does not stop the queue', async () => {
    const printer = new ScriptedPrinter([]);
    const queue = new PrintQueue({
      printer: () => printer,
      onEvent: () => {
        throw new Error('listener bug');
      },
    });
    queue.enqueue(model);
    await queue.whenIdle();
    expect(printer.printed).toHaveLength(1);
  });

  it('close() interrupts backoff and marks what is left as failed', async () => {
    const printer = new ScriptedPrinter([off(), off(), off()]);
    const queue = new PrintQueue({ printer: () => printer, baseDelayMs: 60_000 });
    queue.enqueue(model);
    queue.enqueue(model);
    await new Promise((r) => setTimeout(r, 20));
    // A 60 s backoff left running would outlast the test timeout: close() returning is the proof.
    await queue.close();
    expect(queue.jobs().map((j) => j.state)).toEqual(['failed', 'failed']);
    expect(() => queue.enqueue(model)).toThrow();
  });
});
