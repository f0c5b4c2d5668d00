// What every way of reaching a printer shares: a byte sink with clear, Portuguese failures.
// The queue decides about retries from `retryable`: a printer that is off may come back in a few
// seconds, an empty paper roll needs a person.
import { UserFacingError } from '../../../shared/errors.ts';

export type PrinterErrorCode = 'offline' | 'not_found' | 'timeout' | 'connection_lost' | 'paper_out' | 'cover_open' | 'config' | 'os_print' | 'aborted';

const RETRYABLE: ReadonlySet<PrinterErrorCode> = new Set(['offline', 'timeout', 'connection_lost', 'os_print']);

export class PrinterError extends UserFacingError<PrinterErrorCode> {
  readonly retryable: boolean;
  constructor(code: PrinterErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.retryable = RETRYABLE.has(code);
  }
}

export interface PrinterTransport {
  /** Human-readable target for messages and logs, e.g. '192.168.0.50:9100'. */
  readonly target: string;
  /** Resolves once the printer has taken every byte; rejects with PrinterError. */
  send(bytes: Uint8Array, signal?: AbortSignal): Promise<void>;
}

/** Any thrown value → a message the cashier can act on. */
export function printErrorMessage(err: unknown): string {
  if (err instanceof PrinterError) return err.message;
  // Our own pure-layer errors already carry a sentence for the cashier.
  if (err instanceof Error && (err.name === 'ReceiptError' || err.name === 'CodePageError')) return err.message;
  return 'Não foi possível imprimir o cupom. Verifique a impressora e tente reimprimir.';
}
