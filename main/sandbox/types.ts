// Public shapes of the Focus NFe sandbox (a local simulator of the Focus API v2 for NFC-e).
// Other parts of Balcão code against these types, so changes here must stay additive.
import type { Emitter, Environment } from '../../shared/sale.ts';

export type { Environment };

export interface SandboxOptions {
  /** 0 (default) = a random free port on 127.0.0.1. */
  port?: number;
  /** When given, notes, counters, tokens and the TLS certificate persist here (node:sqlite) across restarts. */
  dataDir?: string;
  /** Serve HTTPS with a self-signed certificate generated at start (exposed as `Sandbox.ca`). */
  tls?: boolean;
  /** SEFAZ processing time for emissions, cancellations and inutilizações: fixed ms or a [min, max] range. Default 0. */
  latencyMs?: number | [number, number];
  /** Requests per token per fixed 60 s window. Default 100. */
  rateLimit?: number;
  /** Length of the fixed rate-limit window (Focus: 60 s). Shorter only to test long backlogs quickly. */
  rateWindowMs?: number;
  /** Epoch ms. Default Date.now. The admin clock offset is added on top. */
  clock?: () => number;
  /** Answer for an unknown token: 401 with an empty body (default) or 403 permissao_negada. */
  badTokenStatus?: 401 | 403;
  /** Override the demo emitter (e.g. CRT 3 to exercise CST rules). Its CNPJ becomes the authorized one. */
  emitter?: Emitter;
  /** Fixed tokens (otherwise random, and persisted in dataDir). */
  tokens?: { homologacao: string; producao: string };
  /** First number of every automatic series counter (proximo_numero_nfce_*). Default 1. */
  nextNumber?: number;
  /** Focus-side automatic series per environment (serie_nfce_*). Default 1 for both. */
  series?: { homologacao: number; producao: number };
  /** A re-POST after erro_autorizacao keeps the number the ref already got (default true, spec §8 item 21). */
  retryKeepsNumber?: boolean;
  /**
   * How far back a manual offline (forma_emissao=offline) data_emissao may go. Default 72 h:
   * the usual legal deadline is 24 h, but MG/RJ allow "end of the next business day" and a shop
   * offline over a weekend must still be able to transmit; beyond this SEFAZ-like 704 applies.
   */
  offlineMaxAgeMs?: number;
  /** Retry delays for webhook delivery (Focus: 1 min, 30 min, 1 h, 3 h, 24 h). Default accelerated [200, 1000, 5000]. */
  webhookRetryDelaysMs?: number[];
  /** Longest ref accepted (undocumented by Focus; the spec recommends ≤ 50). Default 100. */
  maxRefLength?: number;
}

/** A count fault applies to the next `count` API requests that match (admin requests never match). */
export interface FaultMatch {
  method?: string;
  pathPrefix?: string;
}
export interface CountFault {
  count: number;
  match?: FaultMatch;
}

export interface SefazDownMode {
  /** Whether the original attempt had actually reached SEFAZ and been authorized (then heal cancels it). Default false (heal inutilizes it). */
  originalAuthorized?: boolean;
  /** 'fail' = the contingency note cannot be effectivated: heal inutilizes both numbers (§6.1 item 4). */
  effectivation?: 'ok' | 'fail';
}

/** IBS/CBS rules (§8 items 35–36); every field has the spec's default. */
export interface IbsCbsRules {
  /** Date (YYYY-MM-DD, Brasília) from which CRT 3 notes without the group get 1115; null = never (NT v1.33). */
  crt3From?: { producao: string; homologacao: string } | null;
  /** Same for CRT 1, 2 and 4. Default 2027-01-04. */
  simplesFrom?: string | null;
  /** IBS/CBS totals omitted: reject (strict, default) or fill them from the items (lenient). */
  totals?: 'strict' | 'lenient';
  /** Reject 1118 when totals come with items whose CST/cClassTrib forbid them. Default true. */
  reject1118?: boolean;
  /** cStat of a value, sum or vNFTot mismatch (undocumented). Default 1030. */
  valueStatusSefaz?: string;
}

/** SEFAZ's payment rules (§8 item 14). */
export interface PaymentRules {
  /** 'detailed' (default): 865 short, 866 excess without troco, 869 wrong troco. '767': the older single code. */
  style?: 'detailed' | '767';
  /** Focus fills vTroco itself when it is omitted (unconfirmed; off by default). */
  fillTroco?: boolean;
}

export interface CompanyFaults {
  /** false → 400 empresa_nao_habilitada. */
  nfceEnabled?: boolean;
  /** false → 422 (no CSC for the environment); the answer follows `cscError`. */
  cscConfigured?: boolean;
  /** false → 422 (no id_token / CSC id for the environment). */
  idTokenConfigured?: boolean;
  /** How a missing CSC/id_token is answered: 422 erro_validacao naming them (recorded, default) or 422 empresa_nao_configurada (documented). */
  cscError?: 'erro_validacao' | 'empresa_nao_configurada';
  /** The company's regime (regime_tributario) as Focus has it registered; default the emitter's CRT. */
  crt?: 1 | 2 | 3 | 4;
  /** false → 422 ambiente_nao_configurado. */
  environmentConfigured?: boolean;
  /** true → 400 certificado_vencido. */
  certificateExpired?: boolean;
}

export interface SandboxFaults {
  latencyMs?: number | [number, number];
  /** Never answer (keep the socket until the client gives up). afterCommit: process and store first. */
  hang?: CountFault & { afterCommit?: boolean };
  /** Process and store (the note is authorized), then destroy the socket without an answer. */
  resetAfterCommit?: CountFault;
  /** Answer 500 (or `status`) before processing anything. */
  serverError?: CountFault & { status?: number };
  /** Process and store, then answer with a truncated, unparseable JSON body. */
  malformed?: CountFault;
  /** SEFAZ rejects the next emissions (default match: POST /v2/nfce). */
  reject?: CountFault & { status_sefaz: string; mensagem_sefaz: string };
  /** SEFAZ denies the next emissions (cStat 302 by default; 301 or 303…). */
  deny?: CountFault & { status_sefaz?: string; mensagem_sefaz?: string };
  /** SEFAZ unreachable: automatic offline contingency (§6.1), or an outage rejection when contingency is off. */
  sefazDown?: boolean | SefazDownMode;
  /** habilita_contingencia_offline_nfce (default true; forced off in UFs without offline contingency). */
  contingencyEnabled?: boolean;
  /** cStat/message of an emission during an outage with contingency off. Default 108. */
  outageStatusSefaz?: string;
  outageMensagemSefaz?: string;
  /** Per-token limit of the fixed 60 s window. */
  rateLimit?: number;
  /** Accept connections and requests but never answer (black hole) until turned off. */
  dropConnections?: boolean;
  badTokenStatus?: 401 | 403;
  /** GET status of a contingency note that could not be effectivated (default stays 'autorizado'). */
  failedEffectivationStatus?: 'autorizado' | 'erro_autorizacao';
  company?: CompanyFaults;
  /** IBS/CBS rule knobs (1115 switch dates, strict totals, 1118, value cStat). */
  ibsCbs?: IbsCbsRules;
  /** Payment rule knobs (865/866/869 or 767, troco filling). */
  payments?: PaymentRules;
  /** Slow SEFAZ: POST /v2/nfce answers 202 processando_autorizacao and the note keeps processing (§8 item 34). */
  slowSefaz?: boolean;
  /** A proxy's 404 HTML page, without Focus's codigo nor Rate-Limit headers (the request never reached Focus). */
  proxyNotFound?: CountFault;
  /** An unrecognised 409 (§1.4) after the request was processed. */
  conflict?: CountFault & { afterCommit?: boolean };
  /** Body of the 401 for a bad token: Rails' plain text (default) or empty. */
  badTokenBody?: 'text' | 'empty';
}

export interface SandboxControls {
  /** Merge fault settings (a count fault replaces the pending one of the same kind). */
  set(faults: SandboxFaults): void;
  get(): SandboxFaults;
  /** Clear every fault, the rate-limit windows and the clock offset. Stored data stays. */
  reset(): void;
  /** Effectivate every pending automatic-contingency note (SEFAZ is back). Returns the refs handled. */
  heal(): Promise<string[]>;
  /** Shift the sandbox clock (emission window, cancel deadline, rate windows). */
  setClockOffset(offsetMs: number): void;
  now(): number;
}

export type NoteStatus = 'autorizado' | 'erro_autorizacao' | 'denegado' | 'cancelado';

export interface OriginalAttempt {
  serie: number;
  numero: number;
  chave: string;
  cnf: string;
  /** Whether SEFAZ had in fact authorized the original attempt (decided by the sefazDown fault). */
  reachedSefaz: boolean;
  /** Status shown in tentativa_anterior. */
  outcome: 'processando_autorizacao' | 'cancelado' | 'inutilizado';
  authProtocolo: string | null;
  cancelProtocolo: string | null;
  resolvedAt: number | null;
}

export interface ContingencyInfo {
  /** true = Focus's automatic contingency (SEFAZ down); false = manual forma_emissao=offline. */
  automatic: boolean;
  efetivada: boolean;
  failed: boolean;
  /** dhCont: when contingency began (epoch ms). */
  startedAt: number;
  effectivatedAt: number | null;
  /** Decided when the contingency note was issued (sefazDown mode at that time). */
  plannedEffectivation: 'ok' | 'fail';
  original: OriginalAttempt | null;
}

export interface SandboxEconf {
  numero: number;
  protocolo: string;
  detalhes: Record<string, unknown>[];
  at: number;
  cancelled: { numero: number; protocolo: string; at: number } | null;
}

export interface CancelInfo {
  justificativa: string;
  protocolo: string;
  at: number;
}

export interface SandboxNote {
  ref: string;
  env: Environment;
  cnpj: string;
  status: NoteStatus;
  statusSefaz: string;
  mensagemSefaz: string;
  numero: number | null;
  serie: number | null;
  numberSource: 'auto' | 'client' | null;
  chave: string | null;
  cnf: string | null;
  tpEmis: 1 | 9 | null;
  /** data_emissao exactly as received. */
  dataEmissao: string | null;
  /** SEFAZ receipt (dhRecbto) of the authorization/denial, epoch ms. */
  authorizedAt: number | null;
  protocolo: string | null;
  digestValue: string | null;
  qrcodeUrl: string | null;
  urlConsulta: string | null;
  /** forma_emissao=offline. */
  offline: boolean;
  contingency: ContingencyInfo | null;
  cancel: CancelInfo | null;
  /** POSTs that reached processing for this ref. */
  posts: number;
  history: { at: number; status: NoteStatus; statusSefaz: string; numero: number | null }[];
  /** The last body received, as sent. */
  request: Record<string, unknown>;
  /** The note as Focus completes it (defaults, computed totals): requisicao_nota_fiscal. */
  requisicao: Record<string, unknown>;
  /** vNF in centavos. */
  totalCents: number;
  /** What SEFAZ let through but would flag later (e.g. vItem/vNFTot missing). */
  warnings?: string[];
  /** ECONF events attached to the note, oldest first. */
  econf?: SandboxEconf[];
  createdAt: number;
  updatedAt: number;
}

export interface SandboxInutilizacao {
  env: Environment;
  cnpj: string;
  modelo: '65';
  serie: number;
  numeroInicial: number;
  numeroFinal: number;
  justificativa: string;
  status: 'autorizado';
  statusSefaz: string;
  mensagemSefaz: string;
  protocolo: string;
  /** epoch ms of SEFAZ receipt. */
  receivedAt: number;
  /** Who asked: the API (POST) or Focus itself (contingency fix-up). */
  origin: 'api' | 'contingency';
  caminhoXml: string;
}

export interface SandboxEmail {
  env: Environment;
  ref: string;
  emails: string[];
  at: number;
}

export interface SandboxHook {
  id: string;
  env: Environment;
  cnpj: string | null;
  event: string;
  url: string;
  authorization: string | null;
  authorizationHeader: string | null;
  createdAt: number;
}

export interface WebhookDelivery {
  hookId: string;
  event: string;
  url: string;
  attempt: number;
  status: number | null;
  error: string | null;
  at: number;
  body: unknown;
}

export interface CscInfo {
  id: string;
  csc: string;
}

export interface Sandbox {
  /** http(s)://127.0.0.1:PORT */
  url: string;
  port: number;
  /** PEM of the self-signed certificate when tls. */
  ca?: string;
  /** The token decides the environment. */
  tokens: { homologacao: string; producao: string };
  cnpj: string;
  emitter: Emitter;
  /** The demo CSC per environment (what csc_nfce_* / id_token_nfce_* hold in Focus). */
  csc: { homologacao: CscInfo; producao: CscInfo };
  controls: SandboxControls;
  notes(): SandboxNote[];
  inutilizacoes(): SandboxInutilizacao[];
  emails(): SandboxEmail[];
  hooks(): SandboxHook[];
  webhookDeliveries(): WebhookDelivery[];
  close(): Promise<void>;
}
