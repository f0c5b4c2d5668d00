// The print queue: `enqueue` returns at once, so the checkout moves on to the next sale while the
// receipt prints in the background. Jobs print one at a time (one printer), retry with backoff
// when the printer may come back (off, timeout, dropped connection), and a job that still fails
// stays listed for an explicit reprint. The sale itself is already in the journal either way.
import { backoffDelay } from '../../shared/backoff.ts';
import type { ReceiptModel } from '../../shared/receipt/model.ts';
import type { ReceiptPrinter } from './printer.ts';
import { PrinterError, printErrorMessage } from './transports/transport.ts';

import type { PrintJobKind, PrintJobState } from '../../shared/contract.ts';
export type { PrintJobKind, PrintJobState };

export interface PrintJobView {
  id: string;
  kind: PrintJobKind;
  saleId: number | null;
  label: string;
  state: PrintJobState;
  attempts: number;
  /** Last error, in Portuguese, or null. */
  error: string | null;
  /** Stable code of the last error ('paper_out', 'cover_open', 'offline'…), or null. */
  errorCode: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface PrintQueueEvent {
  job: PrintJobView;
  /** Matches the 'print.changed' IPC event. */
  saleId: number | null;
  ok: boolean;
  message: string | null;
}

export interface PrintQueueOptions {
  /** The printer for the current settings (read per attempt, so a settings change applies at once). */
  printer: () => ReceiptPrinter | null;
  onEvent?: (event: PrintQueueEvent) => void;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  now?: () => number;
  /** Injected for tests; must honour the signal. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** How many finished jobs to remember (failed ones are kept until reprinted or this many newer fail). */
  keepFinished?: number;
}

interface Job {
  view: PrintJobView;
  /** null: a drawer kick. */
  model: ReceiptModel | null;
}

const defaultSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

export class PrintQueue {
  private readonly opts: Required<Omit<PrintQueueOptions, 'onEvent'>> & Pick<PrintQueueOptions, 'onEvent'>;
  private readonly pending: Job[] = [];
  private readonly finished: Job[] = [];
  private current: Job | null = null;
  private running: Promise<void> | null = null;
  private readonly abort = new AbortController();
  private seq = 0;
  private closed = false;

  constructor(opts: PrintQueueOptions) {
    this.opts = {
      maxAttempts: 3,
      baseDelayMs: 1000,
      maxDelayMs: 8000,
      now: Date.now,
      sleep: defaultSleep,
      keepFinished: 50,
      ...opts,
    };
  }

  /** Queues a receipt and returns immediately. Never throws for printer problems. */
  enqueue(model: ReceiptModel, meta: { saleId?: number | null; label?: string } = {}): PrintJobView {
    return this.add(model, meta.saleId ?? null, meta.label ?? `NFC-e ${model.identification.numero}`);
  }

  /** Opens the cash drawer (a job of its own, ahead of nothing: jobs print in order). */
  enqueueDrawer(saleId: number | null): PrintJobView {
    return this.add(null, saleId, 'Gaveta');
  }

  private add(model: ReceiptModel | null, saleId: number | null, label: string): PrintJobView {
    if (this.closed) throw new Error('fila de impressão encerrada');
    const now = this.opts.now();
    const job: Job = {
      model,
      view: {
        id: `p${++this.seq}`,
        kind: model ? 'receipt' : 'drawer',
        saleId,
        label,
        state: 'queued',
        attempts: 0,
        error: null,
        errorCode: null,
        createdAt: now,
        updatedAt: now,
      },
    };
    this.pending.push(job);
    const view = { ...job.view };
    this.emit(job);
    this.kick();
    return view;
  }

  /** Prints a finished (failed or done) job again, as a new job with the same receipt. */
  reprint(jobId: string): PrintJobView {
    const job = this.finished.find((j) => j.view.id === jobId);
    if (!job) throw new Error('Impressão não encontrada: gere o cupom novamente pelo histórico de vendas.');
    const i = this.finished.indexOf(job);
    if (job.view.state === 'failed') this.finished.splice(i, 1);
    return this.add(job.model, job.view.saleId, job.view.label);
  }

  jobs(): PrintJobView[] {
    const all = [...this.finished, ...(this.current ? [this.current] : []), ...this.pending];
    return all.map((j) => ({ ...j.view }));
  }

  failed(): PrintJobView[] {
    return this.finished.filter((j) => j.view.state === 'failed').map((j) => ({ ...j.view }));
  }

  /** Resolves when nothing is queued or printing. */
  async whenIdle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops retries and waits for the job on the printer (if any). Queued jobs are kept as failed. */
  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort();
    await this.whenIdle();
  }

  private kick(): void {
    if (this.running) return;
    // Start on a later turn of the event loop: encoding a receipt takes milliseconds, and the
    // caller (the finalize-sale IPC) must answer the cashier first.
    this.running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.drain())
      .finally(() => {
        this.running = null;
        if (this.pending.length && !this.closed) this.kick();
      });
  }

  private async drain(): Promise<void> {
    for (let job = this.pending.shift(); job; job = this.pending.shift()) {
      this.current = job;
      try {
        await this.run(job);
      } finally {
        this.current = null;
        this.finish(job);
      }
    }
  }

  private async run(job: Job): Promise<void> {
    const { maxAttempts, baseDelayMs, maxDelayMs } = this.opts;
    for (;;) {
      if (this.abort.signal.aborted) {
        this.update(job, 'failed', 'Impressão interrompida: o aplicativo foi encerrado. Reimprima o cupom.', 'aborted');
        return;
      }
      job.view.attempts++;
      this.update(job, 'printing', job.view.error);
      try {
        const printer = this.opts.printer();
        if (!printer) {
          this.update(job, 'failed', 'Nenhuma impressora configurada: o cupom não foi impresso.', 'no_printer');
          return;
        }
        if (job.model) await printer.print(job.model, this.abort.signal);
        else if (printer.kickDrawer) await printer.kickDrawer(this.abort.signal);
        this.update(job, 'done', null);
        return;
      } catch (err) {
        const message = printErrorMessage(err);
        const code = err instanceof PrinterError ? err.code : 'print_failed';
        const retryable = err instanceof PrinterError && err.retryable;
        if (!retryable || job.view.attempts >= maxAttempts) {
          this.update(job, 'failed', message, code);
          return;
        }
        this.update(job, 'retrying', message, code);
        const delay = backoffDelay(job.view.attempts, { baseMs: baseDelayMs, maxMs: maxDelayMs });
        await this.opts.sleep(delay, this.abort.signal);
      }
    }
  }

  private finish(job: Job): void {
    this.finished.push(job);
    while (this.finished.length > this.opts.keepFinished) {
      // Forget successful jobs first: a failed one is what the cashier may still need.
      const i = this.finished.findIndex((j) => j.view.state === 'done');
      this.finished.splice(i >= 0 ? i : 0, 1);
    }
  }

  private update(job: Job, state: PrintJobState, error: string | null, errorCode: string | null = null): void {
    job.view.state = state;
    job.view.error = error;
    job.view.errorCode = error === null ? null : (errorCode ?? job.view.errorCode);
    job.view.updatedAt = this.opts.now();
    this.emit(job);
  }

  private emit(job: Job): void {
    const state = job.view.state;
    const error = job.view.error;
    const onEvent = this.opts.onEvent;
    if (!onEvent) return;
    const ok = state === 'done';
    const terminal = state === 'done' || state === 'failed';
    try {
      onEvent({ job: { ...job.view }, saleId: job.view.saleId, ok, message: terminal || state === 'retrying' ? error : null });
    } catch {
      // A listener's bug must not stop the printer queue.
    }
  }
}
