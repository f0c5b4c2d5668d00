// How close a contingency note is to the 24-hour limit for transmitting it.
const HOUR = 3_600_000;

export type Urgency = 'ok' | 'warn' | 'late';

/** 12 h of age (12 h left) is the first alert; past 24 h the note is late. */
export function urgencyOf(msLeft: number): Urgency {
  if (msLeft <= 0) return 'late';
  if (msLeft <= 12 * HOUR) return 'warn';
  return 'ok';
}
