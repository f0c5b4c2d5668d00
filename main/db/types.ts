// Row shapes the journal hands out. Domain types (Sale, SaleItem, Payment) come from shared/sale.ts.
import type { Environment, Sale } from '../../shared/sale.ts';
import type { BlockReason, EmissionState } from '../../shared/emission.ts';
import type { SaleSummary } from '../../shared/contract.ts';

/** A sale ready to be committed: everything but the id the journal assigns. */
export type NewSale = Omit<Sale, 'id'> & {
  /** The draft's clientId: committing the same clientId twice returns the first sale. */
  clientId: string;
  createdMs: number;
};

export interface EmissionRow {
  id: number;
  saleId: number;
  attempt: number;
  ref: string;
  environment: Environment;
  state: EmissionState;
  createdMs: number;
  updatedMs: number;
  /** How many POSTs left for this ref (for diagnostics). */
  posts: number;
  /** data_emissao of the last POST, epoch ms (the 30-minute cancel window counts from it). */
  emittedMs: number | null;
  numero: string | null;
  serie: string | null;
  chave: string | null;
  protocolo: string | null;
  authorizedAt: string | null;
  qrcodeUrl: string | null;
  urlConsulta: string | null;
  caminhoXml: string | null;
  caminhoDanfe: string | null;
  caminhoXmlCancel: string | null;
  xmlArchivedMs: number | null;
  canArchivedMs: number | null;
  statusSefaz: string | null;
  mensagemSefaz: string | null;
  codigoApi: string | null;
  /** Stable code of the problem (what decisions key on); problemTitle/problemFix are its display text. */
  blockReason: BlockReason | null;
  problemTitle: string | null;
  problemFix: string | null;
  contingenciaOffline: boolean;
  contingenciaEfetivada: boolean;
  tpEmis: string | null;
  cnf: string | null;
  dhCont: string | null;
  xJust: string | null;
  offlineQr: string | null;
  payloadJson: string | null;
}

/** Columns a transition or an update may set (the state itself goes through transition()). */
export type EmissionPatch = Partial<Omit<EmissionRow, 'id' | 'saleId' | 'attempt' | 'ref' | 'state' | 'createdMs' | 'updatedMs' | 'posts'>> & {
  incrementPosts?: boolean;
};

/** One Focus answer (or transport failure) as received, kept forever next to its emission. */
export interface AnswerRecord {
  operation: 'emit' | 'query' | 'cancel' | 'email' | 'download';
  /** FocusOutcome kind: ok, api-error, never-sent, unknown-outcome. */
  kind: string;
  httpStatus?: number | null;
  /** The body as received (JSON text), or the failure reason. */
  body?: string | null;
  atMs?: number;
}

export interface AuditInput {
  actor: string;
  /** e.g. cancel, discount_override, settings_change, resend, email, contingency. */
  action: string;
  saleId?: number | null;
  details?: Record<string, unknown>;
  atMs?: number;
}

export interface AuditEntry {
  id: number;
  atMs: number;
  actor: string;
  action: string;
  saleId: number | null;
  details: Record<string, unknown>;
}

export interface SaleListQuery {
  /** Local dates YYYY-MM-DD, inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  numero?: string | undefined;
  totalCents?: number | undefined;
  limit?: number | undefined;
}

/** SaleSummary (shared/contract.ts) with the operator's id; the shell resolves the display name. */
export type JournalSaleSummary = Omit<SaleSummary, 'operatorName'> & { operatorId: string };

export interface CommitResult {
  sale: Sale;
  emission: EmissionRow;
  /** false when the clientId was already committed (a resent finalize). */
  created: boolean;
}
