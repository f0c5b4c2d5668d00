// How the till groups payment methods when the cashier declares the day: cash is counted, card and
// PIX totals are declared from the terminal's own slips, the rest is listed. tPag codes from
// shared/fiscal/tpag.ts.
export type DeclaredGroup = 'cash' | 'card' | 'pix' | 'other';

export const GROUP_LABEL_PT: Record<DeclaredGroup, string> = {
  cash: 'Dinheiro',
  card: 'Cartões (crédito e débito)',
  pix: 'PIX',
  other: 'Outras formas',
};

export function groupOf(tpag: string): DeclaredGroup {
  if (tpag === '01') return 'cash';
  if (tpag === '03' || tpag === '04' || tpag === '05' || tpag === '24') return 'card';
  if (tpag === '17' || tpag === '20' || tpag === '23') return 'pix';
  return 'other';
}
