// What the manager's contingency panel and the status bar show: notes waiting, their age against
// the 24-hour limit (alerts at 12 h and 24 h, nfce-rules §3.2), and every problem of the offline flow.
import type { ContingencyItem, StatusView } from '../../shared/contract.ts';
import { CONTINGENCY_LIMIT_HOURS as LIMIT_HOURS, contingencyAlert, HOUR_MS, type ContingencyAlert } from '../../shared/contingency.ts';
import { isContingency, OUTSTANDING_STATES, sqlList } from '../../shared/emission.ts';
import type { EmissionRow } from '../db/types.ts';
import type { ContingencyStore } from './store.ts';

function ageProblem(alert: ContingencyAlert, row: EmissionRow): { title: string; fix: string } | null {
  if (!isContingency(row.state)) return null;
  if (alert === '24h') {
    return {
      title: 'Prazo de 24 horas vencido',
      fix: 'Esta nota em contingência passou do prazo de transmissão. Restabeleça a internet e use "Enviar agora"; avise o contador, pois a SEFAZ pode aplicar multa.',
    };
  }
  if (alert === '12h') {
    return {
      title: 'Nota em contingência há mais de 12 horas',
      fix: 'Verifique a internet do estabelecimento e use "Enviar agora". O prazo para transmitir é de 24 horas a partir da venda.',
    };
  }
  return null;
}

function problemOf(row: EmissionRow): NonNullable<ContingencyItem['problem']> {
  const p: NonNullable<ContingencyItem['problem']> = { title: row.problemTitle ?? '', fix: row.problemFix ?? '' };
  if (row.blockReason) p.code = row.blockReason;
  return p;
}

export function roundHours(h: number): number {
  return Math.round(h * 10) / 10;
}

export function panelItems(store: ContingencyStore, now: number): ContingencyItem[] {
  const out: ContingencyItem[] = [];
  for (const row of store.panelRows()) {
    const sale = store.saleInfo(row.saleId);
    if (!sale) continue;
    const ageHours = Math.max(0, (now - sale.createdMs) / HOUR_MS);
    const alert = isContingency(row.state) ? contingencyAlert(now - sale.createdMs) : 'none';
    const problem = row.problemTitle ? problemOf(row) : ageProblem(alert, row);
    out.push({
      saleId: row.saleId,
      numero: row.numero ?? '',
      serie: row.serie ?? '',
      chave: row.chave ?? '',
      createdAt: sale.createdAt,
      totalCents: sale.totalCents,
      state: row.state,
      hoursLeft: roundHours(Math.max(0, LIMIT_HOURS - ageHours)),
      problem,
      ageHours: roundHours(ageHours),
      alert,
    });
  }
  return out;
}

export type ContingencyCounts = Pick<StatusView, 'pendingNotes' | 'contingencyNotes' | 'oldestContingencyHoursLeft'>;

/** Counts for the status bar, per sale (its latest attempt), from the journal. */
export function contingencyCounts(store: ContingencyStore, now: number): ContingencyCounts {
  const db = store.journal.db;
  const latest = `SELECT e.state, s.created_ms FROM emissions e JOIN sales s ON s.id = e.sale_id
    WHERE e.state IN ${sqlList(OUTSTANDING_STATES)}
      AND e.attempt = (SELECT MAX(attempt) FROM emissions x WHERE x.sale_id = e.sale_id)`;
  const rows = db.prepare(latest).all();
  let pending = 0;
  let contingency = 0;
  let oldest: number | null = null;
  for (const r of rows) {
    pending++;
    if (isContingency(String(r.state) as EmissionRow['state'])) {
      contingency++;
      const created = Number(r.created_ms);
      oldest = oldest === null ? created : Math.min(oldest, created);
    }
  }
  return {
    pendingNotes: pending,
    contingencyNotes: contingency,
    oldestContingencyHoursLeft: oldest === null ? null : roundHours(Math.max(0, LIMIT_HOURS - (now - oldest) / HOUR_MS)),
  };
}
