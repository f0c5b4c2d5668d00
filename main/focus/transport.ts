// One HTTP exchange over an undici dispatcher, reporting whether the request bytes left this process.
//
// Why not `dispatcher.request()`: after a failure we must know if the server could have seen the request
// (a POST /v2/nfce that reached Focus may have produced a fiscal note). undici calls the handler's
// onRequestStart only from its socket writer (client-h1 writeH1), on an already connected (and, for
// https, handshaken) socket, synchronously right before it writes the request head and body. So:
// - failure before onRequestStart: nothing was written (refused, DNS, connect timeout, TLS failure,
//   or we gave up while the request waited in the pool queue) -> safe to resend;
// - failure after onRequestStart: the bytes may have reached the server -> outcome unknown.
// Aborting from inside onRequestStart makes undici skip the write (it checks request.aborted right after).
import type { Dispatcher } from 'undici';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type FailureCause = 'deadline' | 'signal' | 'transport' | 'too-large';

export type RawResult = { ok: true; response: RawResponse } | { ok: false; sent: boolean; cause: FailureCause; error: Error };

export interface ExchangeRequest {
  origin: string;
  /** Path plus query string. */
  path: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers: Record<string, string>;
  body?: Buffer | undefined;
  /** Time left for this exchange, enforced with a real timer (the transport is real, so is its clock). */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  maxResponseBytes: number;
}

export class DeadlineError extends Error {
  readonly code = 'BALCAO_DEADLINE';
  constructor(ms: number) {
    super(`prazo de ${ms} ms esgotado`);
    this.name = 'DeadlineError';
  }
}

export class CallerAbortError extends Error {
  readonly code = 'BALCAO_ABORTED';
  constructor() {
    super('chamada cancelada pelo chamador');
    this.name = 'CallerAbortError';
  }
}

class TooLargeError extends Error {
  readonly code = 'BALCAO_TOO_LARGE';
  constructor(limit: number) {
    super(`resposta maior que ${limit} bytes`);
    this.name = 'TooLargeError';
  }
}

export function exchange(dispatcher: Dispatcher, req: ExchangeRequest): Promise<RawResult> {
  return new Promise<RawResult>((resolve) => {
    let sent = false;
    let settled = false;
    // The full answer is in hand; only the hand-over is pending, so a deadline must not override it.
    let answered = false;
    let controller: Dispatcher.DispatchController | null = null;
    // Set when we gave up before the request was written; aborts it if undici gets to it later.
    let cancelled: Error | null = null;
    let status = 0;
    let headers: RawResponse['headers'] = {};
    const chunks: Buffer[] = [];
    let size = 0;

    const finish = (result: RawResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onSignal);
      resolve(result);
    };

    const giveUp = (cause: FailureCause, error: Error): void => {
      if (settled || answered) return;
      if (!sent) {
        cancelled = error;
        finish({ ok: false, sent: false, cause, error });
        return;
      }
      finish({ ok: false, sent: true, cause, error });
      // Destroys the socket: a late answer must not be mistaken for the next request's.
      controller?.abort(error);
    };

    const onSignal = (): void => giveUp('signal', new CallerAbortError());
    const timer = setTimeout(() => giveUp('deadline', new DeadlineError(req.timeoutMs)), Math.max(0, req.timeoutMs));

    if (req.signal?.aborted) {
      clearTimeout(timer);
      resolve({ ok: false, sent: false, cause: 'signal', error: new CallerAbortError() });
      return;
    }
    req.signal?.addEventListener('abort', onSignal, { once: true });

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(ctrl) {
        controller = ctrl;
        if (cancelled) {
          ctrl.abort(cancelled);
          return;
        }
        sent = true;
      },
      onResponseStart(_ctrl, statusCode, resHeaders) {
        status = statusCode;
        headers = resHeaders;
      },
      onResponseData(ctrl, chunk) {
        if (settled) return;
        size += chunk.length;
        if (size > req.maxResponseBytes) {
          const err = new TooLargeError(req.maxResponseBytes);
          finish({ ok: false, sent: true, cause: 'too-large', error: err });
          ctrl.abort(err);
          return;
        }
        chunks.push(chunk);
      },
      onResponseEnd() {
        answered = true;
        const response = { status, headers, body: Buffer.concat(chunks) };
        // With pipelining 1, undici frees the socket for reuse one event-loop turn after the response
        // ends (its own setImmediate, queued after this callback). Resolving one turn later still lets
        // the caller's next request find that same warm socket instead of opening a second one.
        setImmediate(() => setImmediate(() => finish({ ok: true, response })));
      },
      onResponseError(_ctrl, error) {
        finish({ ok: false, sent, cause: 'transport', error });
      },
    };

    try {
      dispatcher.dispatch(
        {
          origin: req.origin,
          path: req.path,
          method: req.method,
          headers: req.headers,
          body: req.body ?? null,
        },
        handler,
      );
    } catch (err) {
      finish({ ok: false, sent: false, cause: 'transport', error: err instanceof Error ? err : new Error(String(err)) });
    }
  });
}

/** The error code undici/Node attach (UND_ERR_*, ECONNREFUSED, HPE_*…), looking through `cause`. */
export function errorCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR') return code;
    // llhttp errors such as "Response does not match the HTTP/1.1 protocol" may come without a code.
    if ((e as { name?: unknown }).name === 'HTTPParserError') return 'HPE_PARSE';
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
