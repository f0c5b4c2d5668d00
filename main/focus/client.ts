// The Focus NFe v2 (NFC-e) client: one typed method per endpoint over a warm keep-alive undici Agent.
// It never retries anything that may have been processed: only refusals (429) are resent, and GETs
// once after a connection reset. Everything resolves to a FocusOutcome; nothing throws.
import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';
import type {
  CallOptions,
  EmitOptions,
  ExchangeEvent,
  FocusApi,
  FocusApiError,
  FocusCancelResult,
  FocusDocument,
  FocusEconfDetalhe,
  FocusEconfResult,
  FocusInutilizacao,
  FocusBackups,
  FocusInutilizacaoRequest,
  FocusInutilizacoesQuery,
  FocusOutcome,
  NfceRequestBody,
  RateLimitState,
} from './types.ts';
import { apiErrorOf, mapFailure, mapResponse, type BodyKind } from './outcome.ts';
import { RateLimitTracker } from './rate-limit.ts';
import { exchange } from './transport.ts';
import { checkEmails, checkInutilizacao, checkInutilizacoesQuery, checkJustificativa, checkRef } from './validate.ts';

export interface FocusClientOptions {
  baseUrl: string;
  token: string;
  /** Extra CA (PEM) trusted on top of the system roots, e.g. a self-signed sandbox. */
  ca?: string | undefined;
  /** Sockets per origin. */
  connections?: number;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** Deadline of calls that wait for SEFAZ (emit, cancel, inutilize). */
  defaultDeadlineMs?: number;
  /** Deadline of the other calls (query, e-mail, listings, downloads). */
  readDeadlineMs?: number;
  /** Idle keep-alive kept by the client when the server gives no hint. */
  keepAliveMs?: number;
  /** Send a cheap request after this much idleness so the socket stays open; 0 disables. */
  keepWarmMs?: number;
  /** Largest response accepted (downloads included). */
  maxResponseBytes?: number;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const WARM_PATH = '/v2/nfce/__warm__';
/** Do not spend the last credits of a rate-limit window on keeping the socket warm. */
const KEEP_WARM_MIN_REMAINING = 10;
/** 429s are resent while the deadline allows; this only bounds a misbehaving server. */
const MAX_429_RESENDS = 20;
const MAX_GATE_WAITS = 25;

type Method = 'GET' | 'POST' | 'DELETE';

interface CallSpec {
  method: Method;
  /** Path + query, or an absolute URL (downloads). */
  target: string;
  body?: unknown;
  kind: BodyKind;
  deadlineMs: number;
  signal?: AbortSignal | undefined;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function checkProtocolo(protocolo: string): FocusApiError | null {
  return typeof protocolo === 'string' && /^\d{1,20}$/.test(protocolo) ? null : { codigo: 'requisicao_invalida', mensagem: 'Protocolo do evento inválido.' };
}

function localError<T>(error: FocusApiError): FocusOutcome<T> {
  // status 0: refused on this machine, nothing was sent.
  return { kind: 'api-error', status: 0, error };
}

export class FocusClient implements FocusApi {
  readonly #origin: string;
  readonly #basePath: string;
  readonly #token: string;
  readonly #authorization: string;
  readonly #agent: Agent;
  readonly #clock: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #writeDeadlineMs: number;
  readonly #readDeadlineMs: number;
  readonly #maxResponseBytes: number;
  readonly #rate: RateLimitTracker;
  readonly #listeners = new Set<(e: ExchangeEvent) => void>();
  readonly #keepWarmMs: number;
  #keepWarmTimer: ReturnType<typeof setInterval> | null = null;
  #lastExchangeAt = 0;
  #inFlight = 0;
  #closed = false;

  constructor(opts: FocusClientOptions) {
    let url: URL;
    try {
      url = new URL(opts.baseUrl);
    } catch {
      throw new Error(`Endereço da Focus NFe inválido: ${JSON.stringify(opts.baseUrl)}`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new Error('Endereço da Focus NFe deve começar com https:// (ou http:// para testes).');
    }
    if (url.username || url.password || url.search) {
      throw new Error('O endereço da Focus NFe não pode conter credenciais nem parâmetros.');
    }
    if (typeof opts.token !== 'string' || opts.token.trim() === '' || /[\s:]/.test(opts.token)) {
      throw new Error('Token da Focus NFe ausente ou inválido.');
    }
    this.#origin = url.origin;
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.#token = opts.token;
    this.#authorization = `Basic ${Buffer.from(`${opts.token}:`).toString('base64')}`;
    this.#clock = opts.clock ?? Date.now;
    this.#sleep = opts.sleep ?? defaultSleep;
    this.#writeDeadlineMs = opts.defaultDeadlineMs ?? 60_000;
    this.#readDeadlineMs = opts.readDeadlineMs ?? Math.min(15_000, this.#writeDeadlineMs);
    this.#maxResponseBytes = opts.maxResponseBytes ?? 20 * 1024 * 1024;
    this.#rate = new RateLimitTracker(this.#clock);
    this.#agent = new Agent({
      // At least as many sockets as the scheduler's lanes can run at once (8 emission + 2 resolve
      // + 1 background, main/emission/scheduler.ts) plus one: requests hung on Focus can then never
      // hold every socket while a new sale, a GET or the link probe waits behind them in undici.
      connections: opts.connections ?? 12,
      pipelining: 1,
      keepAliveTimeout: opts.keepAliveMs ?? 20_000,
      keepAliveMaxTimeout: 120_000,
      headersTimeout: opts.headersTimeoutMs ?? 90_000,
      bodyTimeout: opts.bodyTimeoutMs ?? 30_000,
      connect: {
        timeout: opts.connectTimeoutMs ?? 3_000,
        ...(opts.ca ? { ca: [...rootCertificates, opts.ca] } : {}),
      },
    });
    this.#keepWarmMs = opts.keepWarmMs ?? 15_000;
    if (this.#keepWarmMs > 0) {
      this.#keepWarmTimer = setInterval(() => this.#keepWarmTick(), this.#keepWarmMs);
      this.#keepWarmTimer.unref();
    }
  }

  emit(ref: string, body: NfceRequestBody, opts: EmitOptions = {}): Promise<FocusOutcome<FocusDocument>> {
    const bad = checkRef(ref);
    if (bad) return Promise.resolve(localError(bad));
    const q = new URLSearchParams({ ref });
    if (opts.completa) q.set('completa', '1');
    if (opts.offline) q.set('forma_emissao', 'offline');
    return this.#call({
      method: 'POST',
      target: `/v2/nfce?${q.toString()}`,
      body,
      kind: 'document',
      deadlineMs: opts.deadlineMs ?? this.#writeDeadlineMs,
      signal: opts.signal,
    });
  }

  query(ref: string, opts: CallOptions & { completa?: boolean } = {}): Promise<FocusOutcome<FocusDocument>> {
    const bad = checkRef(ref);
    if (bad) return Promise.resolve(localError(bad));
    return this.#call({
      method: 'GET',
      target: `/v2/nfce/${ref}${opts.completa ? '?completa=1' : ''}`,
      kind: 'document',
      deadlineMs: opts.deadlineMs ?? this.#readDeadlineMs,
      signal: opts.signal,
    });
  }

  cancel(ref: string, justificativa: string, opts: CallOptions = {}): Promise<FocusOutcome<FocusCancelResult>> {
    const bad = checkRef(ref) ?? checkJustificativa(justificativa);
    if (bad) return Promise.resolve(localError(bad));
    return this.#call({
      method: 'DELETE',
      target: `/v2/nfce/${ref}`,
      body: { justificativa: justificativa.trim() },
      kind: 'document',
      deadlineMs: opts.deadlineMs ?? this.#writeDeadlineMs,
      signal: opts.signal,
    });
  }

  email(ref: string, emails: string[], opts: CallOptions = {}): Promise<FocusOutcome<Record<string, unknown>>> {
    const bad = checkRef(ref) ?? checkEmails(emails);
    if (bad) return Promise.resolve(localError(bad));
    return this.#call({
      method: 'POST',
      target: `/v2/nfce/${ref}/email`,
      body: { emails },
      kind: 'object',
      deadlineMs: opts.deadlineMs ?? this.#readDeadlineMs,
      signal: opts.signal,
    });
  }

  inutilize(req: FocusInutilizacaoRequest, opts: CallOptions = {}): Promise<FocusOutcome<FocusInutilizacao>> {
    const bad = checkInutilizacao(req);
    if (bad) return Promise.resolve(localError(bad));
    return this.#call({
      method: 'POST',
      target: '/v2/nfce/inutilizacao',
      body: { ...req, justificativa: req.justificativa.trim() },
      kind: 'document',
      deadlineMs: opts.deadlineMs ?? this.#writeDeadlineMs,
      signal: opts.signal,
    });
  }

  listInutilizacoes(q: FocusInutilizacoesQuery, opts: CallOptions = {}): Promise<FocusOutcome<FocusInutilizacao[]>> {
    const bad = checkInutilizacoesQuery(q);
    if (bad) return Promise.resolve(localError(bad));
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (typeof v === 'string' && v !== '') params.set(k, v);
    return this.#call({
      method: 'GET',
      target: `/v2/nfce/inutilizacoes?${params.toString()}`,
      kind: 'array',
      deadlineMs: opts.deadlineMs ?? this.#readDeadlineMs,
      signal: opts.signal,
    });
  }

  econf(ref: string, detalhes: FocusEconfDetalhe[], opts: CallOptions = {}): Promise<FocusOutcome<FocusEconfResult>> {
    const bad =
      checkRef(ref) ??
      (Array.isArray(detalhes) && detalhes.length >= 1 && detalhes.length <= 100
        ? null
        : { codigo: 'requisicao_invalida', mensagem: 'Informe de 1 a 100 pagamentos para a conciliação financeira.' });
    if (bad) return Promise.resolve(localError(bad));
    return this.#call({
      method: 'POST',
      target: `/v2/nfce/${ref}/econf`,
      body: { detalhes_pagamento: detalhes },
      kind: 'document',
      deadlineMs: opts.deadlineMs ?? this.#writeDeadlineMs,
      signal: opts.signal,
    });
  }

  backups(cnpj: string, opts: CallOptions = {}): Promise<FocusOutcome<FocusBackups>> {
    if (!/^[0-9A-Z]{12}\d{2}$/.test(cnpj)) return Promise.resolve(localError({ codigo: 'requisicao_invalida', mensagem: 'CNPJ inválido.' }));
    return this.#call({
      method: 'GET',
      target: `/v2/backups/${cnpj}.json`,
      kind: 'object',
      deadlineMs: opts.deadlineMs ?? this.#readDeadlineMs,
      signal: opts.signal,
    });
  }

  econfQuery(ref: string, protocolo: string, opts: CallOptions = {}): Promise<FocusOutcome<FocusEconfResult>> {
    const bad = checkRef(ref) ?? checkProtocolo(protocolo);
    if (bad) return Promise.resolve(localError(bad));
    return this.#call({
      method: 'GET',
      target: `/v2/nfce/${ref}/econf/${protocolo}`,
      kind: 'document',
      deadlineMs: opts.deadlineMs ?? this.#readDeadlineMs,
      signal: opts.signal,
    });
  }

  econfCancel(ref: string, protocolo: string, opts: CallOptions = {}): Promise<FocusOutcome<FocusEconfResult>> {
    const bad = checkRef(ref) ?? checkProtocolo(protocolo);
    if (bad) return Promise.resolve(localError(bad));
    return this.#call({
      method: 'DELETE',
      target: `/v2/nfce/${ref}/econf/${protocolo}`,
      kind: 'document',
      deadlineMs: opts.deadlineMs ?? this.#writeDeadlineMs,
      signal: opts.signal,
    });
  }

  download(caminho: string, opts: CallOptions = {}): Promise<FocusOutcome<Uint8Array>> {
    const ok = typeof caminho === 'string' && (caminho.startsWith('/') || /^https?:\/\//i.test(caminho));
    if (!ok || caminho.startsWith('//')) {
      return Promise.resolve(localError({ codigo: 'caminho_invalido', mensagem: `Caminho de arquivo inválido: ${JSON.stringify(caminho)}.` }));
    }
    return this.#call({
      method: 'GET',
      target: caminho,
      kind: 'bytes',
      deadlineMs: opts.deadlineMs ?? Math.max(this.#readDeadlineMs, 30_000),
      signal: opts.signal,
    });
  }

  async warm(): Promise<void> {
    if (this.#closed) return;
    // 404 expected: any HTTP answer means the socket (and TLS session) is open and pooled.
    await this.#call({ method: 'GET', target: WARM_PATH, kind: 'object', deadlineMs: Math.min(this.#readDeadlineMs, 10_000) });
  }

  rateLimit(): RateLimitState {
    return this.#rate.state();
  }

  onExchange(listener: (e: ExchangeEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#keepWarmTimer) clearInterval(this.#keepWarmTimer);
    this.#keepWarmTimer = null;
    this.#listeners.clear();
    // A graceful close waits for in-flight answers; a hung server must not hold the app's shutdown.
    const graceful = this.#agent.close();
    const timer = setTimeout(() => void this.#agent.destroy().catch(() => {}), 2_000);
    try {
      await graceful;
    } catch {
      // destroyed meanwhile
    } finally {
      clearTimeout(timer);
    }
  }

  #keepWarmTick(): void {
    if (this.#closed || this.#inFlight > 0) return;
    if (this.#clock() - this.#lastExchangeAt < this.#keepWarmMs * 0.9) return;
    if (this.#rate.waitMs() > 0 || this.#rate.state().remaining < KEEP_WARM_MIN_REMAINING) return;
    void this.warm();
  }

  /** Never let the token (raw, URL-encoded or as the Basic credential) into a string we hand out. */
  #redact(s: string): string {
    let out = s;
    const b64 = this.#authorization.slice('Basic '.length);
    for (const secret of [this.#token, encodeURIComponent(this.#token), b64]) {
      if (secret) out = out.split(secret).join('***');
    }
    return out;
  }

  #resolveTarget(target: string): { origin: string; path: string; withAuth: boolean } {
    if (/^https?:\/\//i.test(target)) {
      const u = new URL(target);
      // Absolute caminhos may point to a file store (e.g. S3): the token only goes to the API host.
      return { origin: u.origin, path: `${u.pathname}${u.search}`, withAuth: u.origin === this.#origin };
    }
    // caminho_* paths are host-relative; API paths live under the configured base path.
    const isApi = target.startsWith('/v2/');
    return { origin: this.#origin, path: `${isApi ? this.#basePath : ''}${target}`, withAuth: true };
  }

  async #call<T>(spec: CallSpec): Promise<FocusOutcome<T>> {
    if (this.#closed) return { kind: 'never-sent', reason: 'cliente Focus encerrado' };
    const { origin, path, withAuth } = this.#resolveTarget(spec.target);
    const headers: Record<string, string> = { accept: spec.kind === 'bytes' ? '*/*' : 'application/json' };
    if (withAuth) headers.authorization = this.#authorization;
    let body: Buffer | undefined;
    if (spec.body !== undefined) {
      try {
        body = Buffer.from(JSON.stringify(spec.body), 'utf8');
      } catch {
        // BigInt or a cycle in the payload: a programming error, but a call must still not throw.
        return localError({ codigo: 'requisicao_invalida', mensagem: 'Os dados da nota não puderam ser convertidos em JSON.' });
      }
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    const deadlineAt = this.#clock() + spec.deadlineMs;
    const logPath = path.split('?')[0] ?? path;
    let resent429 = 0;
    let last429: FocusApiError | null = null;
    let retriedReset = false;
    let gateWaits = 0;

    this.#inFlight++;
    try {
      for (;;) {
        const gate = this.#rate.waitMs();
        if (gate > 0) {
          // The bound also protects against an injected clock that does not move while we sleep.
          if (this.#clock() + gate >= deadlineAt || ++gateWaits > MAX_GATE_WAITS) {
            return last429
              ? { kind: 'api-error', status: 429, error: last429 }
              : { kind: 'never-sent', reason: `limite de requisições da Focus NFe: liberação em ${Math.ceil(gate / 1000)} s, após o prazo da chamada` };
          }
          const aborted = await this.#wait(gate, spec.signal);
          if (aborted) return { kind: 'never-sent', reason: 'cancelada antes do envio (aguardando limite de requisições)' };
        }
        const timeoutMs = deadlineAt - this.#clock();
        if (timeoutMs <= 0) return { kind: 'never-sent', reason: 'prazo esgotado antes do envio' };

        const started = this.#clock();
        const r = await exchange(this.#agent, {
          origin,
          path,
          method: spec.method,
          headers,
          body,
          timeoutMs,
          signal: spec.signal,
          maxResponseBytes: this.#maxResponseBytes,
        });
        this.#lastExchangeAt = this.#clock();

        let outcome: FocusOutcome<T>;
        if (r.ok) {
          this.#rate.observe(r.response.status, r.response.headers);
          if (r.response.status === 429) {
            last429 = apiErrorOf(r.response);
            this.#notify(spec.method, logPath, 429, 'api-error', started);
            if (++resent429 <= MAX_429_RESENDS) continue;
            return { kind: 'api-error', status: 429, error: last429 };
          }
          outcome = mapResponse<T>(spec.kind, r.response);
          // The detail may quote a piece of an unreadable body: never let a secret ride along.
          if (outcome.kind === 'unknown-outcome') outcome = { ...outcome, detail: this.#redact(outcome.detail) };
        } else {
          outcome = mapFailure(r, (s) => this.#redact(s));
        }
        this.#notify(spec.method, logPath, r.ok ? r.response.status : undefined, outcome.kind, started);

        // A GET has no side effect: one resend after a dropped connection (e.g. a keep-alive socket the
        // server had just closed) spares the caller a spurious "unknown outcome".
        if (spec.method === 'GET' && !retriedReset && outcome.kind === 'unknown-outcome' && outcome.reason === 'reset' && deadlineAt - this.#clock() > 0) {
          retriedReset = true;
          continue;
        }
        return outcome;
      }
    } finally {
      this.#inFlight--;
    }
  }

  /** Sleeps (injected clock-friendly) unless the caller aborts; true when aborted. */
  async #wait(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
    if (!signal) {
      await this.#sleep(ms);
      return false;
    }
    if (signal.aborted) return true;
    let onAbort: () => void = () => {};
    const aborted = new Promise<boolean>((resolve) => {
      onAbort = () => resolve(true);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([this.#sleep(ms).then(() => false), aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  #notify(method: string, path: string, status: number | undefined, outcome: ExchangeEvent['outcome'], started: number): void {
    if (this.#listeners.size === 0) return;
    const at = this.#clock();
    const event: ExchangeEvent = { method, path, outcome, elapsedMs: at - started, at };
    if (status !== undefined) event.status = status;
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A faulty monitor must not break a sale.
      }
    }
  }
}
