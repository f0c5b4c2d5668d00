// Request/response values passed between the server loop and the handlers. Handlers return an
// ApiResponse instead of writing to the socket, so the server can apply rate-limit headers and
// the "after commit" faults (malformed body, reset) uniformly.
import type { IncomingHttpHeaders } from 'node:http';
import type { Environment } from './types.ts';

export interface ApiRequest {
  method: string;
  /** URL path without the query string, percent-decoded per segment by the router. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** Set once the token is recognized. */
  env?: Environment;
  token?: string;
}

export interface ApiResponse {
  status: number;
  /** JSON body; omitted for an empty body. */
  json?: unknown;
  /** Raw text body (XML, HTML) with its content type. */
  text?: string;
  /** Raw binary body (the monthly backup ZIP) with its content type. */
  bytes?: Uint8Array;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface FocusErrorBody {
  codigo: string;
  mensagem: string;
  erros?: { mensagem: string; campo: string | null }[];
}

export function json(status: number, body: unknown): ApiResponse {
  return { status, json: body };
}

export function apiError(status: number, codigo: string, mensagem: string, erros?: FocusErrorBody['erros']): ApiResponse {
  const body: FocusErrorBody = { codigo, mensagem };
  if (erros && erros.length > 0) body.erros = erros;
  return { status, json: body };
}

export const notFoundNote = (): ApiResponse => apiError(404, 'nao_encontrado', 'Nota fiscal não encontrada');

/** Parse the body as JSON; undefined for an empty body, a 415 response for anything unparseable. */
export function parseJsonBody(req: ApiRequest): { ok: true; value: unknown } | { ok: false; response: ApiResponse } {
  const text = req.rawBody.toString('utf8');
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return {
      ok: false,
      response: apiError(415, 'requisicao_invalida', 'O corpo da requisição não é um JSON válido. Verifique a sintaxe e o Content-Type application/json.'),
    };
  }
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Drop keys whose value is undefined or null: Focus omits absent keys instead of sending null. */
export function compact<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null) out[k] = v;
  return out as T;
}
