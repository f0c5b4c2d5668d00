// The API Pix client (Bacen standard, v2): OAuth2 client credentials over mutual TLS, immediate
// charges, received Pix and refunds. Every call ends in a typed outcome; like the Focus client it
// knows whether request bytes left the process, so a charge creation that may have reached the PSP
// is resolved with a GET before anything is sent again.
import { X509Certificate } from 'node:crypto';
import { Agent, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { pixAmount } from '../../shared/pix/brcode.ts';
import { errorCode, exchange, type RawResponse } from '../focus/transport.ts';
import { CobAnswer, PixList, Problem, RefundAnswer, TokenAnswer, type PixReceived } from './api-types.ts';

export interface PixClientConfig {
  /** https://psp.example/api/v2 — the API base; the token endpoint is `${baseUrl}/oauth/token` unless given. */
  baseUrl: string;
  tokenUrl?: string;
  clientId: string;
  clientSecret: string;
  /** Client certificate and private key (PEM) for mutual TLS. */
  cert: string;
  key: string;
  /** Extra CA to trust (a PSP homologation environment, or the simulator). */
  ca?: string;
}

export type PixFailureCode =
  | 'pix_auth' // client id/secret refused, or token refused
  | 'pix_client_cert_expired' // our certificate is past its validity: nothing was sent
  | 'pix_tls' // the TLS handshake failed (certificate refused or server not trusted)
  | 'pix_unreachable' // connection refused, DNS, connect timeout
  | 'pix_timeout' // no answer in time
  | 'pix_unavailable' // 5xx
  | 'pix_malformed' // an answer we cannot read
  | 'pix_refused'; // 4xx from the API (problem+json)

export type PixOutcome<T> =
  | { kind: 'ok'; value: T }
  /** The PSP answered with an error: nothing was done. */
  | { kind: 'failed'; code: PixFailureCode; status: number | null; detail: string | null; sent: false | 'answered' }
  /** The request may have reached the PSP without us hearing the answer. */
  | { kind: 'unknown'; code: PixFailureCode; detail: string | null };

export interface PixClientOptions {
  dispatcher?: Dispatcher;
  now?: () => number;
  timeoutMs?: number;
}

const MAX_BODY = 1024 * 1024;
const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|EPROTO)/;

export class PixClient {
  readonly #cfg: PixClientConfig;
  readonly #origin: string;
  readonly #base: string;
  readonly #tokenPath: string;
  readonly #agent: Dispatcher;
  readonly #ownsAgent: boolean;
  #closed = false;
  readonly #now: () => number;
  readonly #timeoutMs: number;
  #token: { value: string; expiresAt: number } | null = null;

  constructor(cfg: PixClientConfig, opts: PixClientOptions = {}) {
    this.#cfg = cfg;
    const base = new URL(cfg.baseUrl);
    this.#origin = base.origin;
    this.#base = base.pathname.replace(/\/$/, '');
    this.#tokenPath = cfg.tokenUrl ? new URL(cfg.tokenUrl).pathname : `${this.#base}/oauth/token`;
    this.#now = opts.now ?? Date.now;
    this.#timeoutMs = opts.timeoutMs ?? 10_000;
    this.#ownsAgent = !opts.dispatcher;
    this.#agent =
      opts.dispatcher ??
      new Agent({
        connections: 2,
        pipelining: 1,
        keepAliveTimeout: 20_000,
        connect: { timeout: 3_000, cert: cfg.cert, key: cfg.key, ...(cfg.ca ? { ca: cfg.ca } : {}) },
      });
  }

  /** Days until the client certificate expires (negative when expired), or null if unreadable. */
  certificateDaysLeft(): number | null {
    try {
      const x = new X509Certificate(this.#cfg.cert);
      return Math.floor((Date.parse(x.validTo) - this.#now()) / 86_400_000);
    } catch {
      return null;
    }
  }

  /** Closes the connection pool once (a second close, e.g. by a profile closing twice, is a no-op). */
  async close(): Promise<void> {
    if (!this.#ownsAgent || this.#closed) return;
    this.#closed = true;
    await this.#agent.close();
  }

  createCharge(txid: string, input: { amountCents: number; key: string; expirySeconds: number; message?: string }): Promise<PixOutcome<CobAnswer>> {
    const body = {
      calendario: { expiracao: input.expirySeconds },
      valor: { original: pixAmount(input.amountCents) },
      chave: input.key,
      ...(input.message ? { solicitacaoPagador: input.message.slice(0, 140) } : {}),
    };
    return this.#call('PUT', `/cob/${encodeURIComponent(txid)}`, body, CobAnswer, [201, 200]);
  }

  /** The charge, or null when the PSP does not know the txid (404). */
  async getCharge(txid: string): Promise<PixOutcome<CobAnswer | null>> {
    const r = await this.#call('GET', `/cob/${encodeURIComponent(txid)}`, undefined, CobAnswer, [200]);
    if (r.kind === 'failed' && r.status === 404) return { kind: 'ok', value: null };
    return r;
  }

  removeCharge(txid: string): Promise<PixOutcome<CobAnswer>> {
    return this.#call('PATCH', `/cob/${encodeURIComponent(txid)}`, { status: 'REMOVIDA_PELO_USUARIO_RECEBEDOR' }, CobAnswer, [200]);
  }

  /** Every Pix received between two instants, all pages. */
  async listReceived(from: Date, to: Date): Promise<PixOutcome<PixReceived[]>> {
    const out: PixReceived[] = [];
    for (let page = 0; page < 100; page++) {
      const q = new URLSearchParams({
        inicio: from.toISOString(),
        fim: to.toISOString(),
        'paginacao.paginaAtual': String(page),
        'paginacao.itensPorPagina': '1000',
      });
      const r = await this.#call('GET', `/pix?${q.toString()}`, undefined, PixList, [200]);
      if (r.kind !== 'ok') return r;
      out.push(...r.value.pix);
      if (page + 1 >= r.value.parametros.paginacao.quantidadeDePaginas) break;
    }
    return { kind: 'ok', value: out };
  }

  refund(e2eid: string, id: string, amountCents: number, description?: string): Promise<PixOutcome<RefundAnswer>> {
    return this.#call(
      'PUT',
      `/pix/${encodeURIComponent(e2eid)}/devolucao/${encodeURIComponent(id)}`,
      { valor: pixAmount(amountCents), ...(description ? { descricao: description.slice(0, 140) } : {}) },
      RefundAnswer,
      [201, 200],
    );
  }

  async getRefund(e2eid: string, id: string): Promise<PixOutcome<RefundAnswer | null>> {
    const r = await this.#call('GET', `/pix/${encodeURIComponent(e2eid)}/devolucao/${encodeURIComponent(id)}`, undefined, RefundAnswer, [200]);
    if (r.kind === 'failed' && r.status === 404) return { kind: 'ok', value: null };
    return r;
  }

  /** The manager's "testar conexão": a token and a one-minute listing, nothing created. */
  async testConnection(): Promise<PixOutcome<{ certificateDaysLeft: number | null }>> {
    const to = new Date(this.#now());
    const r = await this.listReceived(new Date(to.getTime() - 60_000), to);
    if (r.kind !== 'ok') return r;
    return { kind: 'ok', value: { certificateDaysLeft: this.certificateDaysLeft() } };
  }

  async #getToken(): Promise<PixOutcome<string>> {
    if (this.#token && this.#token.expiresAt > this.#now()) return { kind: 'ok', value: this.#token.value };
    const days = this.certificateDaysLeft();
    if (days !== null && days < 0) return { kind: 'failed', code: 'pix_client_cert_expired', status: null, detail: null, sent: false };
    const basic = Buffer.from(`${this.#cfg.clientId}:${this.#cfg.clientSecret}`).toString('base64');
    const raw = await exchange(this.#agent, {
      origin: this.#origin,
      path: this.#tokenPath,
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: Buffer.from('grant_type=client_credentials'),
      timeoutMs: this.#timeoutMs,
      maxResponseBytes: MAX_BODY,
    });
    if (!raw.ok) return transportFailure(raw.error, raw.cause, false);
    if (raw.response.status === 400 || raw.response.status === 401 || raw.response.status === 403) {
      return { kind: 'failed', code: 'pix_auth', status: raw.response.status, detail: null, sent: 'answered' };
    }
    const parsed = parseBody(raw.response, TokenAnswer, [200]);
    if (parsed.kind !== 'ok') return parsed;
    // Renew a minute early so a token never expires between our check and the PSP's.
    this.#token = { value: parsed.value.access_token, expiresAt: this.#now() + Math.max(0, parsed.value.expires_in - 60) * 1000 };
    return { kind: 'ok', value: parsed.value.access_token };
  }

  async #call<S extends z.ZodType>(
    method: 'GET' | 'PUT' | 'PATCH',
    path: string,
    body: unknown,
    schema: S,
    okStatus: number[],
  ): Promise<PixOutcome<z.output<S>>> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = await this.#getToken();
      if (token.kind !== 'ok') return token;
      const raw = await exchange(this.#agent, {
        origin: this.#origin,
        path: `${this.#base}${path}`,
        method,
        headers: { authorization: `Bearer ${token.value}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: Buffer.from(JSON.stringify(body)) } : {}),
        timeoutMs: this.#timeoutMs,
        maxResponseBytes: MAX_BODY,
      });
      if (!raw.ok) return transportFailure(raw.error, raw.cause, raw.sent);
      // A token the PSP no longer accepts (revoked, clock skew): the request was refused, so one
      // retry with a fresh token is safe even for a PUT.
      if ((raw.response.status === 401 || raw.response.status === 403) && attempt === 0) {
        this.#token = null;
        continue;
      }
      if (raw.response.status === 401 || raw.response.status === 403)
        return { kind: 'failed', code: 'pix_auth', status: raw.response.status, detail: problemDetail(raw.response), sent: 'answered' };
      return parseBody(raw.response, schema, okStatus);
    }
    return { kind: 'failed', code: 'pix_auth', status: null, detail: null, sent: 'answered' };
  }
}

function problemDetail(r: RawResponse): string | null {
  try {
    const p = Problem.safeParse(JSON.parse(r.body.toString('utf8')));
    return p.success ? (p.data.detail ?? p.data.title ?? null) : null;
  } catch {
    return null;
  }
}

function parseBody<S extends z.ZodType>(r: RawResponse, schema: S, okStatus: number[]): PixOutcome<z.output<S>> {
  if (r.status >= 500) return { kind: 'failed', code: 'pix_unavailable', status: r.status, detail: problemDetail(r), sent: 'answered' };
  if (!okStatus.includes(r.status)) return { kind: 'failed', code: 'pix_refused', status: r.status, detail: problemDetail(r), sent: 'answered' };
  let json: unknown;
  try {
    json = JSON.parse(r.body.toString('utf8'));
  } catch {
    // A 2xx we cannot read may still have created the charge: treat it as unknown, resolve with a GET.
    return { kind: 'unknown', code: 'pix_malformed', detail: null };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { kind: 'unknown', code: 'pix_malformed', detail: null };
  return { kind: 'ok', value: parsed.data };
}

function transportFailure(
  error: Error,
  cause: string,
  sent: boolean,
):
  | { kind: 'failed'; code: PixFailureCode; status: null; detail: string | null; sent: false }
  | { kind: 'unknown'; code: PixFailureCode; detail: string | null } {
  const code = errorCode(error) ?? '';
  const kind: PixFailureCode = cause === 'deadline' ? 'pix_timeout' : TLS_CODES.test(code) ? 'pix_tls' : sent ? 'pix_unavailable' : 'pix_unreachable';
  if (sent) return { kind: 'unknown', code: kind, detail: code || null };
  return { kind: 'failed', code: kind, status: null, detail: code || null, sent: false };
}
