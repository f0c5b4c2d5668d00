// pt-BR formatting of what the store sends (epoch ms, AAAA-MM-DD days).
import { formatDateTimeBR, localOffsetMinutes, toFocusDateTime } from '../../../shared/datetime.ts';

export function whenBR(ms: number | null): string {
  if (ms === null) return 'nunca';
  return formatDateTimeBR(toFocusDateTime(ms, localOffsetMinutes(ms)), { seconds: false });
}

/** '2026-11-30' → '30/11/2026'. */
export function dayBR(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

export function todayIso(): string {
  return new Date().toLocaleDateString('sv-SE');
}

export function thisMonth(): string {
  return todayIso().slice(0, 7);
}
