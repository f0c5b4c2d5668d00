// Card brands for the card form: the ones this till uses most come first, then the market leaders
// (Visa, Mastercard, Elo…), then the rest by name. Labels start with the name so typing on the
// list ("el" → Elo) finds a brand. Usage counts stay in this browser profile (not fiscal data).
import { TBAND } from '../../../shared/fiscal/tpag.ts';

const LEADERS = ['01', '02', '06', '03', '07', '05', '10', '23', '27', '26'];
const STORAGE_KEY = 'balcao.brandUse.v1';

export function orderBrands(usage: Readonly<Record<string, number>>): { code: string; name: string }[] {
  const rank = (code: string) => {
    const i = LEADERS.indexOf(code);
    return i < 0 ? LEADERS.length : i;
  };
  return Object.keys(TBAND)
    .map((code) => ({ code, name: TBAND[code] ?? code }))
    .sort((a, b) => (usage[b.code] ?? 0) - (usage[a.code] ?? 0) || rank(a.code) - rank(b.code) || a.name.localeCompare(b.name, 'pt-BR'));
}

export function brandUsage(): Record<string, number> {
  try {
    const raw = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as unknown;
    if (!raw || typeof raw !== 'object') return {};
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(raw)) if (k in TBAND && typeof v === 'number' && Number.isFinite(v)) out[k] = v;
    return out;
  } catch {
    return {};
  }
}

export function countBrandUse(code: string): void {
  try {
    const usage = brandUsage();
    usage[code] = (usage[code] ?? 0) + 1;
    localStorage.setItem(STORAGE_KEY, JSON.stringify(usage));
  } catch {
    // A full or blocked storage only loses the ordering hint.
  }
}
