// Turning what came back (an HTTP answer or a transport failure) into a FocusOutcome.
// Rule from the spec: a body with `status` is a document result whatever the HTTP code; `{codigo, mensagem}`
// is an API error; nothing else is trusted. Anything after the request left that is not a clear answer
// (5xx, unparseable body, timeout, reset) is an unknown outcome: the caller must query before re-posting.
import { z } from 'zod';
import type { FocusApiError, FocusOutcome } from './types.ts';
import type { FailureCause, RawResponse } from './transport.ts';
import { errorCode } from './transport.ts';

export type BodyKind = 'document' | 'object' | 'array' | 'bytes';

const ApiErrorBody = z.object({
  codigo: z.string().min(1),
  mensagem: z.unknown().optional(),
  erros: z.array(z.looseObject({ mensagem: z.unknown().optional(), campo: z.unknown().optional() })).optional(),
});

const DocumentBody = z.looseObject({ status: z.string().min(1) });

/** The codigo given to a 404 whose body carries no Focus codigo. */
export const SYNTHETIC_NOT_FOUND = 'http_404_sem_codigo';

const SYNTHETIC: Record<number, { codigo: string; mensagem: string }> = {
  401: { codigo: 'nao_autorizado', mensagem: 'Token de acesso da Focus NFe inválido ou não informado (HTTP 401).' },
  403: { codigo: 'permissao_negada', mensagem: 'Acesso negado pela Focus NFe para este token (HTTP 403).' },
  // Not Focus's `nao_encontrado`: a 404 without Focus's codigo may be a proxy's page, so it never
  // proves that a note does not exist (focus-nfce-api §4.6).
  404: { codigo: SYNTHETIC_NOT_FOUND, mensagem: 'Endereço não encontrado (HTTP 404 sem resposta da Focus NFe; pode ser um proxy ou a rede).' },
  429: { codigo: 'limite_requisicoes_excedido', mensagem: 'Limite de requisições da Focus NFe excedido (HTTP 429).' },
};

export function syntheticError(status: number): FocusApiError {
  return SYNTHETIC[status] ?? { codigo: `http_${status}`, mensagem: `A Focus NFe respondeu HTTP ${status} sem um erro reconhecível.` };
}

type Parsed = { kind: 'empty' } | { kind: 'json'; value: unknown } | { kind: 'invalid'; text: string };

function parseJson(body: Buffer): Parsed {
  const text = body.toString('utf8').trim();
  if (text === '') return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'invalid', text: text.slice(0, 120) };
  }
}

function toApiError(value: unknown): FocusApiError | null {
  const r = ApiErrorBody.safeParse(value);
  if (!r.success) return null;
  const error: FocusApiError = {
    codigo: r.data.codigo,
    mensagem: typeof r.data.mensagem === 'string' ? r.data.mensagem : '',
  };
  if (r.data.erros) {
    error.erros = r.data.erros.map((e) => ({
      mensagem: typeof e.mensagem === 'string' ? e.mensagem : JSON.stringify(e.mensagem ?? ''),
      campo: typeof e.campo === 'string' ? e.campo : null,
    }));
  }
  return error;
}

/** The answer parsed as an API error body, if it is one (used for 429 bodies). */
export function apiErrorOf(res: RawResponse): FocusApiError {
  const parsed = parseJson(res.body);
  return (parsed.kind === 'json' && toApiError(parsed.value)) || syntheticError(res.status);
}

export function mapResponse<T>(kind: BodyKind, res: RawResponse): FocusOutcome<T> {
  const { status } = res;
  const success = status >= 200 && status < 300;

  if (kind === 'bytes' && success) {
    return { kind: 'ok', status, body: new Uint8Array(res.body) as T };
  }

  const parsed = parseJson(res.body);
  const value = parsed.kind === 'json' ? parsed.value : undefined;

  if (kind === 'document' && value !== undefined && DocumentBody.safeParse(value).success) {
    return { kind: 'ok', status, body: value as T };
  }
  if (status >= 500) {
    return { kind: 'unknown-outcome', reason: 'server-error', status, detail: `HTTP ${status} da Focus NFe` };
  }
  if (success) {
    if (kind === 'object' && parsed.kind === 'empty') return { kind: 'ok', status, body: {} as T };
    if (kind === 'object' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const asError = toApiError(value);
      if (asError) return { kind: 'api-error', status, error: asError };
      return { kind: 'ok', status, body: value as T };
    }
    if (kind === 'array' && Array.isArray(value)) return { kind: 'ok', status, body: value as T };
    const asError = value === undefined ? null : toApiError(value);
    if (asError) return { kind: 'api-error', status, error: asError };
    return {
      kind: 'unknown-outcome',
      reason: 'malformed',
      status,
      detail: parsed.kind === 'invalid' ? `corpo não é JSON: ${JSON.stringify(parsed.text)}` : `HTTP ${status} com corpo inesperado`,
    };
  }
  if (status >= 400) {
    const asError = value === undefined ? null : toApiError(value);
    return { kind: 'api-error', status, error: asError ?? syntheticError(status) };
  }
  // 1xx/3xx: Focus never redirects the API; treat as an answer we cannot read.
  return { kind: 'unknown-outcome', reason: 'malformed', status, detail: `HTTP ${status} inesperado` };
}

const NEVER_SENT_TEXT: Record<string, string> = {
  ECONNREFUSED: 'conexão recusada',
  ENOTFOUND: 'endereço não encontrado (DNS)',
  EAI_AGAIN: 'falha temporária de DNS',
  ENETUNREACH: 'rede inacessível',
  EHOSTUNREACH: 'servidor inacessível',
  ENETDOWN: 'rede fora do ar',
  ECONNRESET: 'conexão interrompida antes do envio',
  UND_ERR_CONNECT_TIMEOUT: 'tempo de conexão esgotado',
  UND_ERR_SOCKET: 'conexão interrompida antes do envio',
  BALCAO_DEADLINE: 'prazo esgotado antes do envio',
  BALCAO_ABORTED: 'cancelada antes do envio',
};

export function mapFailure(f: { sent: boolean; cause: FailureCause; error: Error }, redact: (s: string) => string): FocusOutcome<never> {
  const code = errorCode(f.error) ?? 'ERRO';
  const message = redact(f.error.message);
  if (!f.sent) {
    const what = NEVER_SENT_TEXT[code] ?? (isTlsCode(code) ? 'falha na negociação TLS' : 'falha de conexão');
    return { kind: 'never-sent', reason: `${what} (${code}): ${message}` };
  }
  const detail = `${code}: ${message}`;
  if (f.cause === 'deadline') return { kind: 'unknown-outcome', reason: 'timeout', detail };
  if (f.cause === 'signal') return { kind: 'unknown-outcome', reason: 'aborted', detail };
  if (f.cause === 'too-large') return { kind: 'unknown-outcome', reason: 'malformed', detail };
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return { kind: 'unknown-outcome', reason: 'timeout', detail };
  }
  if (code.startsWith('HPE_') || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' || code === 'UND_ERR_HEADERS_OVERFLOW') {
    return { kind: 'unknown-outcome', reason: 'malformed', detail };
  }
  return { kind: 'unknown-outcome', reason: 'reset', detail };
}

function isTlsCode(code: string): boolean {
  return (
    code.startsWith('ERR_TLS') ||
    code.startsWith('ERR_SSL') ||
    code.includes('CERT') ||
    code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
    code === 'SELF_SIGNED_CERT_IN_CHAIN'
  );
}
