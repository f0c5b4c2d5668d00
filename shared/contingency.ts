// The contingency clock (nfce-rules §3.2): a note issued offline must be transmitted within 24 h
// of the sale; the manager is alerted at 12 h. One rule for the core (panel, status bar) and the
// renderer's live countdown.
export const HOUR_MS = 3_600_000;
export const CONTINGENCY_LIMIT_HOURS = 24;
export const CONTINGENCY_WARN_HOURS = 12;

export type ContingencyAlert = 'none' | '12h' | '24h';

/** The alert for a note of this age (ms since the sale). */
export function contingencyAlert(ageMs: number): ContingencyAlert {
  if (ageMs >= CONTINGENCY_LIMIT_HOURS * HOUR_MS) return '24h';
  if (ageMs >= CONTINGENCY_WARN_HOURS * HOUR_MS) return '12h';
  return 'none';
}

/** The same alert from the time left until the 24-hour limit (the panel's countdown). */
export function contingencyAlertByTimeLeft(msLeft: number): ContingencyAlert {
  return contingencyAlert(CONTINGENCY_LIMIT_HOURS * HOUR_MS - msLeft);
}
