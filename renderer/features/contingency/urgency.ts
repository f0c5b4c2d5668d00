// How close a contingency note is to the 24-hour limit, as the panel colours it. The rule itself
// (12 h alert, 24 h limit) is shared/contingency.ts, the same the core uses.
import { contingencyAlertByTimeLeft, type ContingencyAlert } from '../../../shared/contingency.ts';

export type Urgency = 'ok' | 'warn' | 'late';

const URGENCY: Record<ContingencyAlert, Urgency> = { none: 'ok', '12h': 'warn', '24h': 'late' };

function urgencyOfAlert(alert: ContingencyAlert): Urgency {
  return URGENCY[alert];
}

/** 12 h of age (12 h left) is the first alert; past 24 h the note is late. */
export function urgencyOf(msLeft: number): Urgency {
  return urgencyOfAlert(contingencyAlertByTimeLeft(msLeft));
}
