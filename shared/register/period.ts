// The manager's reports over a day or a period, the accountant's month and numbering gaps: the
// shapes the core computes and the screens draw.
import type { CountAndCents, MethodTotal, OperatorTotal, SerieRange } from './report.ts';

export interface PeriodReport {
  from: string;
  to: string;
  /** The terminal the figures cover; null for every terminal of the journal. */
  terminalId: string | null;
  /** Terminals with sales or cash movements in the period, whatever the filter (the screen's choices). */
  terminals: string[];
  sales: CountAndCents & { grossCents: number; changeCents: number };
  /** Average ticket in centavos (0 without sales). */
  averageCents: number;
  discounts: CountAndCents;
  cancelledNotes: CountAndCents;
  cancelledItems: CountAndCents;
  cancelledSales: CountAndCents;
  contingencyPending: CountAndCents;
  /** Cash taken out of (sangria) and put into (suprimento) the drawers in the period. */
  sangrias: CountAndCents;
  suprimentos: CountAndCents;
  byHour: { hour: number; count: number; totalCents: number }[];
  byDay: { day: string; count: number; totalCents: number; cancelled: number }[];
  byMethod: MethodTotal[];
  byOperator: OperatorTotal[];
  topProducts: { productId: string; description: string; qtyE4: number; totalCents: number }[];
  numbering: SerieRange[];
}

export interface MonthExportResult {
  month: string;
  path: string;
  bytes: number;
  authorized: number;
  cancelled: number;
  cancelEvents: number;
  inutilizacoes: number;
  /** XMLs that were not on disk and came from Focus during this export. */
  fetched: number;
  /** Notes whose XML could be neither found nor fetched (listed in the zip's LEIAME). */
  missing: string[];
  backup: { available: boolean; message: string; onlyInBackup: string[]; onlyInExport: string[] };
}

export interface NumberingGap {
  serie: string;
  from: number;
  to: number;
  /** An inutilização already covers it (authorized) or is on its way (pending). */
  status: 'open' | 'pending' | 'voided';
}

export interface InutilizacaoView {
  id: number;
  serie: string;
  from: number;
  to: number;
  justificativa: string;
  state: 'pending' | 'authorized' | 'rejected';
  createdMs: number;
  message: string | null;
}
