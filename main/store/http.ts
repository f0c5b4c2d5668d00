// The lane's HTTP(S) client for the store server (shared/store/protocol.ts). One keep-alive undici
// Agent. Over https the store's certificate is PINNED: its SHA-256 must equal the fingerprint kept
// at pairing (the store's certificate is usually self-signed, so the CA chain is not what we trust).
// Answers are parsed with the protocol's zod schemas; a refusal becomes a StoreError with its code.
import { Agent, buildConnector } from 'undici';
import type { TLSSocket } from 'node:tls';
import type { z } from 'zod';
import { PROTOCOL_HEADER, STORE_PROTOCOL_VERSION, StoreError, storeErrorFromBody } from '../../shared/store/protocol.ts';

export interface StoreHttpOptions {
  baseUrl: string;
  /** Bearer credential (from the vault); absent for hello and pairing. */
  credential?: string | null;
  /** Pinned SHA-256 of the store's certificate (hex, lowercase, no colons). null: accept any and record it (pairing only). */
  fingerprint?: string | null;
  connectTimeoutMs?: number;
  /** Called on every answer the store gave (any status): the credit port's proof of contact. */
  onAnswer?: () => void;
}

/** The store could not be reached or answered garbage: the lane keeps working and retries later. */
export function unreachable(detail: string, cause?: unknown): StoreError {
  return new StoreError('store_unavailable', undefined, cause === undefined ? {} : { cause: new Error(detail, { cause }) });
}

interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Another bearer than the lane's credential (a manager session). */
  bearer?: string;
}

export function normalizeFingerprint(fp: string): string {
  return fp.replace(/:/g, '').toLowerCase();
}

export class StoreHttp {
  readonly origin: string;
  readonly #basePath: string;
  readonly #agent: Agent;
  #credential: string | null;
  readonly #onAnswer: (() => void) | undefined;
  /** Fingerprint of the last TLS peer (pairing compares it with what the store declares). */
  seenFingerprint: string | null = null;

  constructor(opts: StoreHttpOptions) {
    let url: URL;
    try {
      url = new URL(opts.baseUrl);
    } catch {
      throw new StoreError('invalid_request', 'Endereço do servidor da loja inválido. Use https://endereço:porta.');
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || url.search) {
      throw new StoreError('invalid_request', 'Endereço do servidor da loja inválido. Use https://endereço:porta, sem usuário nem parâmetros.');
    }
    if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
      throw new StoreError('invalid_request', 'Fora deste computador o servidor da loja só é aceito com https://.');
    }
    this.origin = url.origin;
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.#credential = opts.credential ?? null;
    this.#onAnswer = opts.onAnswer;
    const pinned = opts.fingerprint ? normalizeFingerprint(opts.fingerprint) : null;
    // No TLS session resumption: a resumed session shows no peer certificate, and every connection
    // must prove it is the pinned store.
    const base = buildConnector({ rejectUnauthorized: false, maxCachedSessions: 0, timeout: opts.connectTimeoutMs ?? 3_000 });
    const connect: buildConnector.connector = (o, cb) =>
      base(o, (err, socket) => {
        if (err || !socket) return cb(err ?? new Error('connect failed'), null);
        if (o.protocol === 'https:') {
          const fp = normalizeFingerprint((socket as TLSSocket).getPeerCertificate().fingerprint256 ?? '');
          this.seenFingerprint = fp;
          if (pinned !== null && fp !== pinned) {
            socket.destroy();
            return cb(new StoreError('unauthorized', 'O certificado do servidor da loja mudou desde o pareamento. Pareie o caixa de novo.'), null);
          }
        }
        cb(null, socket);
      });
    this.#agent = new Agent({ connections: 4, keepAliveTimeout: 10_000, headersTimeout: 60_000, bodyTimeout: 60_000, connect });
  }

  setCredential(c: string | null): void {
    this.#credential = c;
  }

  async get<S extends z.ZodType>(path: string, schema: S, opts: CallOptions = {}): Promise<z.infer<S>> {
    return this.#call('GET', path, undefined, schema, opts);
  }

  async post<S extends z.ZodType>(path: string, body: object, schema: S, opts: CallOptions = {}): Promise<z.infer<S>> {
    return this.#call('POST', path, { protocol: STORE_PROTOCOL_VERSION, ...body }, schema, opts);
  }

  async #call<S extends z.ZodType>(method: 'GET' | 'POST', path: string, body: object | undefined, schema: S, opts: CallOptions): Promise<z.infer<S>> {
    const headers: Record<string, string> = { accept: 'application/json', [PROTOCOL_HEADER]: String(STORE_PROTOCOL_VERSION) };
    const bearer = opts.bearer ?? this.#credential;
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (body) headers['content-type'] = 'application/json';
    const signals = [AbortSignal.timeout(opts.timeoutMs ?? 15_000), ...(opts.signal ? [opts.signal] : [])];
    let status: number;
    let text: string;
    try {
      const res = await this.#agent.request({
        origin: this.origin,
        path: this.#basePath + path,
        method,
        headers,
        body: body ? JSON.stringify(body) : null,
        signal: AbortSignal.any(signals),
      });
      status = res.statusCode;
      text = await res.body.text();
      this.#onAnswer?.();
    } catch (err) {
      if (err instanceof StoreError) throw err;
      const cause = (err as { cause?: unknown }).cause;
      if (cause instanceof StoreError) throw cause;
      throw unreachable(`${method} ${path}`, err);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw unreachable(`${method} ${path}: resposta não é JSON (HTTP ${status})`);
    }
    if (status >= 400) throw storeErrorFromBody(json);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw unreachable(`${method} ${path}: resposta fora do protocolo`, parsed.error);
    return parsed.data;
  }

  async close(): Promise<void> {
    await this.#agent.close().catch(() => undefined);
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
