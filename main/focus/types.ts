// The typed surface of the Focus NFe API v2 (NFC-e) as Balcão's client exposes it.
// The emission engine codes against FocusApi; main/focus/client.ts implements it with undici.

export type NfceStatus = 'autorizado' | 'erro_autorizacao' | 'denegado' | 'cancelado' | 'processando_autorizacao';

export interface TentativaAnterior {
  status: string;
  serie?: string;
  numero?: string;
  chave_nfe?: string;
  caminho_xml_nota_fiscal?: string;
  caminho_xml_cancelamento?: string;
  numero_protocolo?: string;
  [k: string]: unknown;
}

/** The document body of POST /v2/nfce and GET /v2/nfce/REF (unknown keys are kept). */
export interface FocusDocument {
  cnpj_emitente?: string;
  ref?: string;
  status: NfceStatus;
  status_sefaz?: string;
  mensagem_sefaz?: string;
  chave_nfe?: string;
  numero?: string;
  serie?: string;
  caminho_xml_nota_fiscal?: string;
  caminho_danfe?: string;
  qrcode_url?: string;
  url_consulta_nf?: string;
  caminho_xml_cancelamento?: string;
  numero_protocolo?: string;
  data_emissao?: string;
  contingencia_offline?: boolean;
  contingencia_offline_efetivada?: boolean;
  tentativa_anterior?: TentativaAnterior;
  requisicao_nota_fiscal?: Record<string, unknown>;
  protocolo_nota_fiscal?: Record<string, unknown>;
  [k: string]: unknown;
}

export interface FocusCancelResult {
  status: 'cancelado' | 'erro_cancelamento';
  status_sefaz?: string;
  mensagem_sefaz?: string;
  caminho_xml_cancelamento?: string;
  numero_protocolo?: string;
  [k: string]: unknown;
}

export interface FocusInutilizacaoRequest {
  cnpj: string;
  serie: string;
  numero_inicial: string;
  numero_final: string;
  justificativa: string;
}

export interface FocusInutilizacao {
  status: 'autorizado' | 'erro_autorizacao';
  status_sefaz?: string;
  mensagem_sefaz?: string;
  serie?: string;
  numero_inicial?: string;
  numero_final?: string;
  cnpj?: string;
  modelo?: string;
  caminho_xml?: string;
  [k: string]: unknown;
}

export interface FocusInutilizacoesQuery {
  cnpj?: string;
  cpf?: string;
  data_recebimento_inicial?: string;
  data_recebimento_final?: string;
  numero_inicial?: string;
  numero_final?: string;
}

/** One entry of detalhes_pagamento (ECONF, focus-nfce-api §2.7 / §8 item 31). */
export interface FocusEconfDetalhe {
  forma_pagamento: string;
  valor_pagamento: string;
  /** AAAA-MM-DD */
  data_pagamento: string;
  indicador_pagamento?: string;
  descricao_pagamento?: string;
  cnpj_instituicao_financeira?: string;
  bandeira_operadora?: string;
  numero_autorizacao?: string;
  cnpj_transacional?: string;
  uf_transacional?: string;
  cnpj_beneficiario?: string;
  uf_beneficiario?: string;
}

/** The answer to POST/GET/DELETE …/econf: status is the event's (autorizado, or erro_autorizacao). */
export interface FocusEconfResult {
  status: string;
  status_sefaz?: string;
  mensagem_sefaz?: string;
  caminho_xml_conciliacao_financeira?: string;
  numero_conciliacao_financeira?: number;
  numero_protocolo?: string;
  caminho_xml_cancelamento_conciliacao_financeira?: string;
  numero_cancelamento_conciliacao_financeira?: number;
}

/** GET /v2/backups/CNPJ.json (spec §7.2): one monthly ZIP of XMLs and of DANFEs per month. */
export interface FocusBackups {
  backups: { mes: string; danfes?: string; xmls?: string }[];
  [k: string]: unknown;
}

export interface FocusApiError {
  codigo: string;
  mensagem: string;
  erros?: { mensagem: string; campo: string | null }[];
}

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Epoch ms when the window resets. */
  resetAt: number;
}

/**
 * Every call resolves (never rejects) to one of these.
 * - ok: the API answered with a document body (whatever its fiscal status).
 * - api-error: the API answered with {codigo, mensagem} (or an empty 401/403/404); `status` is the HTTP code.
 * - never-sent: the request did not leave (connect refused/timeout, aborted before write): safe to resend.
 * - unknown-outcome: it may have been processed (timeout after write, reset, 5xx, malformed body):
 *   for an emission, resolve with query() before any new POST.
 */
export type FocusOutcome<T> =
  | { kind: 'ok'; status: number; body: T }
  | { kind: 'api-error'; status: number; error: FocusApiError }
  | { kind: 'never-sent'; reason: string }
  | { kind: 'unknown-outcome'; reason: 'timeout' | 'reset' | 'server-error' | 'malformed' | 'aborted'; status?: number; detail: string };

export interface CallOptions {
  /** Overall deadline for this call in ms (connect + answer). */
  deadlineMs?: number;
  signal?: AbortSignal;
}

export interface EmitOptions extends CallOptions {
  completa?: boolean;
  /** Manual offline contingency: forma_emissao=offline. */
  offline?: boolean;
}

/** The Focus NFC-e request body (flat snake_case; values as strings). */
export type NfceRequestBody = Record<string, unknown> & {
  cnpj_emitente: string;
  data_emissao: string;
  items: Record<string, unknown>[];
  formas_pagamento: Record<string, unknown>[];
};

export interface FocusApi {
  emit(ref: string, body: NfceRequestBody, opts?: EmitOptions): Promise<FocusOutcome<FocusDocument>>;
  query(ref: string, opts?: CallOptions & { completa?: boolean }): Promise<FocusOutcome<FocusDocument>>;
  cancel(ref: string, justificativa: string, opts?: CallOptions): Promise<FocusOutcome<FocusCancelResult>>;
  email(ref: string, emails: string[], opts?: CallOptions): Promise<FocusOutcome<Record<string, unknown>>>;
  inutilize(req: FocusInutilizacaoRequest, opts?: CallOptions): Promise<FocusOutcome<FocusInutilizacao>>;
  listInutilizacoes(q: FocusInutilizacoesQuery, opts?: CallOptions): Promise<FocusOutcome<FocusInutilizacao[]>>;
  /** ECONF: attach payment data to an authorized note (POST /v2/nfce/REF/econf). */
  econf(ref: string, detalhes: FocusEconfDetalhe[], opts?: CallOptions): Promise<FocusOutcome<FocusEconfResult>>;
  econfQuery(ref: string, protocolo: string, opts?: CallOptions): Promise<FocusOutcome<FocusEconfResult>>;
  econfCancel(ref: string, protocolo: string, opts?: CallOptions): Promise<FocusOutcome<FocusEconfResult>>;
  /** The monthly backups Focus keeps for the CNPJ (optional: simulators and fakes may lack it). */
  backups?(cnpj: string, opts?: CallOptions): Promise<FocusOutcome<FocusBackups>>;
  /** GET a caminho_* path (relative to the host, or absolute URL); returns the raw bytes. */
  download(caminho: string, opts?: CallOptions): Promise<FocusOutcome<Uint8Array>>;
  /** Open (or keep open) the connection so a sale never pays a handshake. */
  warm(): Promise<void>;
  /** Last Rate-Limit-* headers seen (limit 100/min until told otherwise). */
  rateLimit(): RateLimitState;
  /** Listener for every answer's arrival or transport failure (the link monitor uses it). */
  onExchange(listener: (e: ExchangeEvent) => void): () => void;
  close(): Promise<void>;
}

export interface ExchangeEvent {
  method: string;
  path: string;
  /** HTTP status, or undefined for a transport failure. */
  status?: number;
  outcome: FocusOutcome<unknown>['kind'];
  elapsedMs: number;
  at: number;
}
