// Emission states as the journal records them and the UI shows them.
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

export const FINAL_STATES: readonly EmissionState[] = ['authorized', 'rejected', 'denied', 'cancelled', 'superseded'];

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
  /** Plain-Portuguese explanation and fix for a rejection or a problem. */
  problem: { title: string; fix: string } | null;
  contingency: boolean;
  /** Epoch ms until which the note may still be cancelled, or null. */
  cancelDeadline: number | null;
  updatedAt: string;
}
