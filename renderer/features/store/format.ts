// pt-BR formatting of what the store sends (epoch ms, AAAA-MM-DD days).
import { formatDateTimeBR, localOffsetMinutes, toFocusDateTime } from '../../../shared/datetime.ts';
import { todayLocal } from '../history/dates.ts';

export function whenBR(ms: number | null): string {
  if (ms === null) return 'nunca';
  return formatDateTimeBR(toFocusDateTime(ms, localOffsetMinutes(ms)), { seconds: false });
}

/** '2026-11-30' → '30/11/2026'. */
export function dayBR(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

/** This month as the field shows it: 'mm/aaaa' (a native month input follows the OS language, not the shop's). */
export function thisMonthBR(): string {
  return todayLocal().slice(3);
}

/** 'mm/aaaa' (or m/aaaa) → 'aaaa-mm', or null when it is not a month. */
export function brMonthToIso(text: string): string | null {
  const m = /^\s*(\d{1,2})\/(\d{4})\s*$/.exec(text);
  if (!m) return null;
  const mo = Number(m[1]);
  if (mo < 1 || mo > 12) return null;
  return `${m[2]}-${String(mo).padStart(2, '0')}`;
}
