// Purchase CFOP (on the supplier's NF-e) → the CFOP the shop uses when it resells the item at the
// counter. Shown to the manager on the NF-e import screen.
export const PURCHASE_TO_SALE_CFOP: readonly { purchase: string[]; sale: string; note: string }[] = [
  { purchase: ['5102', '6102', '5101', '6101', '5403', '6403'], sale: '5102', note: 'Compra para revenda tributada → venda de mercadoria (5102)' },
  {
    purchase: ['5405', '6405', '5401', '6401', '5402', '6402', '6404'],
    sale: '5405',
    note: 'Compra com ICMS retido por ST → venda com ST já recolhida (5405)',
  },
  { purchase: ['5910', '6910'], sale: '5102', note: 'Bonificação recebida → venda de mercadoria (5102)' },
];

export function saleCfopFor(purchaseCfop: string): string {
  for (const row of PURCHASE_TO_SALE_CFOP) if (row.purchase.includes(purchaseCfop)) return row.sale;
  return '5102';
}
