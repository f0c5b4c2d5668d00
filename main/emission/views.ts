// Journal row → what the UI sees (EmissionView): no secrets, no XML, times as the user needs them.
import type { EmissionRow } from '../db/types.ts';
import { isCancellable, isContingency, type EmissionView } from '../../shared/emission.ts';

function problemView(row: EmissionRow): NonNullable<EmissionView['problem']> {
  const p: NonNullable<EmissionView['problem']> = { title: row.problemTitle ?? '', fix: row.problemFix ?? '' };
  if (row.blockReason) p.code = row.blockReason;
  return p;
}

/** Focus documents the 30-minute cancel window for NFC-e, counted from data_emissao. */
export const CANCEL_WINDOW_MS = 30 * 60_000;

export function cancelDeadlineOf(row: EmissionRow): number | null {
  if (!isCancellable(row.state) || row.contingenciaOffline || row.emittedMs === null) return null;
  return row.emittedMs + CANCEL_WINDOW_MS;
}

export function toEmissionView(row: EmissionRow): EmissionView {
  return {
    saleId: row.saleId,
    attempt: row.attempt,
    ref: row.ref,
    state: row.state,
    environment: row.environment,
    numero: row.numero,
    serie: row.serie,
    chave: row.chave,
    protocolo: row.protocolo,
    authorizedAt: row.authorizedAt,
    qrcodeUrl: row.qrcodeUrl,
    urlConsulta: row.urlConsulta,
    statusSefaz: row.statusSefaz,
    mensagemSefaz: row.mensagemSefaz,
    problem: row.problemTitle ? problemView(row) : null,
    contingency: isContingency(row.state) || row.contingenciaOffline || row.tpEmis === '9',
    cancelDeadline: cancelDeadlineOf(row),
    updatedAt: new Date(row.updatedMs).toISOString(),
  };
}
