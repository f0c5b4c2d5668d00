// The till's local date and time for the ISO instants the core sends (charges, certificates).
const pad2 = (n: number) => String(n).padStart(2, '0');

function local(iso: string): Date | null {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** '2026-11-30T14:05:00Z' → '30/11/2026' in the till's time zone ('—' when unreadable). */
export function formatDatePtBr(iso: string): string {
  const d = local(iso);
  return d ? `${pad2(d.getDate())}/${pad2(d.getMonth() + 1)}/${d.getFullYear()}` : '—';
}

/** '2026-11-30T14:05:00Z' → '30/11/2026 11:05' in São Paulo. */
export function formatDateTimePtBr(iso: string): string {
  const d = local(iso);
  return d ? `${formatDatePtBr(iso)} ${pad2(d.getHours())}:${pad2(d.getMinutes())}` : '—';
}
