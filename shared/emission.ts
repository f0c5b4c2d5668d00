// The emission state machine: every state an attempt can be in, the moves the journal accepts
// between them, and what each state allows (resend, print, cancel…). The one place these rules
// live: the journal enforces TRANSITIONS, and engine, repos, adapters, contingency, receipt model
// and renderer ask the capability sets below instead of keeping their own lists.
//
// pending → sending → authorized | rejected | unknown; authorized → cancelled.
// Contingency states belong to the offline flow (manual tpEmis 9 and Focus's automatic one).
export const EMISSION_STATES = [
  'pending',
  'sending',
  'authorized',
  'rejected',
  'denied',
  'unknown',
  'cancelled',
  /** Issued locally in manual offline contingency, printed, waiting to be transmitted. */
  'contingency',
  /** Focus answered autorizado with contingencia_offline and not yet efetivada. */
  'contingency_focus',
  /** The sale is waiting with no valid document (no certificate, SP, …): needs a manager. */
  'blocked',
  /** Superseded by another attempt of the same sale (e.g. cancelled after contingency). */
  'superseded',
] as const;
export type EmissionState = (typeof EMISSION_STATES)[number];

/** What a Focus answer (or a manager) may turn a state into. Anything else is a bug and the journal refuses it. */
export const TRANSITIONS: Readonly<Record<EmissionState, readonly EmissionState[]>> = {
  // GET-first after a restart may adopt any answer; a later attempt supersedes one that never left;
  // the offline flow parks one it could not issue; a payload SEFAZ would refuse is rejected locally.
  pending: ['pending', 'sending', 'authorized', 'rejected', 'denied', 'cancelled', 'contingency_focus', 'blocked', 'superseded'],
  sending: ['pending', 'unknown', 'authorized', 'rejected', 'denied', 'cancelled', 'contingency_focus', 'blocked'],
  // unknown → blocked: GET found, under this ref, a note that is not this sale (note_mismatch).
  unknown: ['pending', 'authorized', 'rejected', 'denied', 'cancelled', 'contingency_focus', 'blocked'],
  authorized: ['cancelled'],
  rejected: ['pending'],
  denied: [],
  cancelled: ['superseded'],
  contingency: ['authorized', 'contingency_focus', 'denied', 'cancelled'],
  contingency_focus: ['authorized', 'rejected', 'denied', 'cancelled'],
  blocked: ['pending', 'blocked', 'superseded'],
  superseded: [],
};

export function canTransition(from: EmissionState, to: EmissionState): boolean {
  return TRANSITIONS[from].includes(to);
}

const only = (...states: EmissionState[]): readonly EmissionState[] => states;
const except = (...states: EmissionState[]): readonly EmissionState[] => EMISSION_STATES.filter((s) => !states.includes(s));

/** Nothing will move these by itself any more (the journal's partial indexes exclude them). */
export const FINAL_STATES = only('authorized', 'rejected', 'denied', 'cancelled', 'superseded');
/** Work still outstanding for the sale: counted as "pending notes" in the status bar. */
export const OUTSTANDING_STATES = except(...FINAL_STATES);
/** The engine's own unfinished work: resolved at start (GET before any new POST). */
export const ENGINE_OPEN_STATES = only('pending', 'sending', 'unknown');
/** finalize()/resend() stop waiting: the outcome is known or owned by the offline flow. */
export const SETTLED_STATES = except(...ENGINE_OPEN_STATES);
/** A manager may send the note again (same ref) after fixing the data. */
export const RESENDABLE_STATES = only('rejected', 'blocked');
/** A DANFCe may be printed (a contingency receipt for the last two). */
export const PRINTABLE_STATES = only('authorized', 'contingency', 'contingency_focus');
/** Waiting for transmission or effectivation: the 24-hour clock runs (panel, status bar). */
export const CONTINGENCY_STATES = only('contingency', 'contingency_focus');
/** Cancellable at Focus (inside the 30-minute window). */
export const CANCELLABLE_STATES = only('authorized');
/** Focus holds an XML for them: downloaded to the local archive. */
export const ARCHIVABLE_STATES = only('authorized', 'denied', 'cancelled', 'contingency_focus');
/** Focus can e-mail the note. */
export const EMAILABLE_STATES = only('authorized', 'cancelled', 'contingency_focus');
/** The attempt is, or may still become, a valid note (so a second one would be a duplicate). */
export const LIVE_STATES = except('rejected', 'denied', 'cancelled', 'superseded');
/** Known never to have reached Focus: a later attempt may replace it without asking. */
export const UNSENT_STATES = only('pending', 'blocked');

export const isFinal = (s: EmissionState): boolean => FINAL_STATES.includes(s);
export const isSettled = (s: EmissionState): boolean => SETTLED_STATES.includes(s);
export const isResendable = (s: EmissionState): boolean => RESENDABLE_STATES.includes(s);
export const isPrintable = (s: EmissionState): boolean => PRINTABLE_STATES.includes(s);
export const isContingency = (s: EmissionState): boolean => CONTINGENCY_STATES.includes(s);
export const isCancellable = (s: EmissionState): boolean => CANCELLABLE_STATES.includes(s);
export const isEmailable = (s: EmissionState): boolean => EMAILABLE_STATES.includes(s);

/** SQL list literal of states or codes, e.g. `('a', 'b')`, for queries and partial indexes (constants only). */
export function sqlList(values: readonly (EmissionState | BlockReason)[]): string {
  return `(${values.map((s) => `'${s}'`).join(', ')})`;
}

export const STATE_LABEL_PT: Record<EmissionState, string> = {
  pending: 'Pendente',
  sending: 'Enviando',
  authorized: 'Autorizada',
  rejected: 'Rejeitada',
  denied: 'Denegada',
  unknown: 'Verificando',
  cancelled: 'Cancelada',
  contingency: 'Contingência',
  contingency_focus: 'Contingência (Focus)',
  blocked: 'Pendente — ação do gerente',
  superseded: 'Substituída',
};

/**
 * Why an emission carries a problem, as a stable code: decisions (what the offline flow may
 * resend, what holds the backlog, what the panel lists) key on it, never on the title shown.
 */
export const BLOCK_REASONS = [
  /** SEFAZ or Focus refused the note (erro_autorizacao, validation): fix the data and resend. */
  'rejected',
  /** SEFAZ denied the note (denegado). */
  'denied',
  /** The sale cannot become a valid payload (e.g. CSOSN × regime): fix the product. */
  'invalid_sale_data',
  /** Focus refused the token, company or certificate: a manager fixes the setup. */
  'focus_setup',
  /** Offline contingency: no A1 certificate (or no CSC for QR v2). */
  'contingency_no_certificate',
  /** Offline contingency is not allowed in the emitter's UF (SP). */
  'contingency_uf_forbidden',
  /** The contingency série is missing or equal to the normal one. */
  'contingency_bad_serie',
  /** The sale's data keep the offline note from being built. */
  'contingency_invalid_sale',
  /** A transmitted contingency note was refused: same numero and chave, fix and send again. */
  'contingency_rejected',
  /** Focus authorized the contingency note with a chave other than the printed one. */
  'chave_mismatch',
  /** An earlier attempt is authorized past the cancel window: cancelamento por substituição. */
  'substitution_needed',
  /** Focus holds a note under this attempt's ref that is not this sale (total, items or time differ). */
  'note_mismatch',
] as const;
export type BlockReason = (typeof BLOCK_REASONS)[number];

/** Blocks the offline flow puts on a sale it could not issue: it retries them by itself. */
export const CONTINGENCY_BLOCKS: readonly BlockReason[] = [
  'contingency_no_certificate',
  'contingency_uf_forbidden',
  'contingency_bad_serie',
  'contingency_invalid_sale',
];

export function isBlockReason(v: unknown): v is BlockReason {
  return typeof v === 'string' && (BLOCK_REASONS as readonly string[]).includes(v);
}

/** What the UI needs to know of an emission (no secrets, no raw XML). */
export interface EmissionView {
  saleId: number;
  attempt: number;
  ref: string;
  state: EmissionState;
  environment: 'producao' | 'homologacao';
  numero: string | null;
  serie: string | null;
  chave: string | null;
  protocolo: string | null;
  authorizedAt: string | null;
  qrcodeUrl: string | null;
  urlConsulta: string | null;
  statusSefaz: string | null;
  mensagemSefaz: string | null;
  /** Plain-Portuguese explanation and fix for a rejection or a problem; `code` is stable. */
  problem: { title: string; fix: string; code?: BlockReason } | null;
  contingency: boolean;
  /** Epoch ms until which the note may still be cancelled, or null. */
  cancelDeadline: number | null;
  updatedAt: string;
}
