// Payment methods (tPag, Informe Técnico 2024.002 v1.11) and card brands (tBand), nfce-rules §6.

export const TPAG: Readonly<Record<string, string>> = {
  '01': 'Dinheiro',
  '02': 'Cheque',
  '03': 'Cartão de Crédito',
  '04': 'Cartão de Débito',
  '05': 'Cartão da Loja / Crediário',
  '10': 'Vale Alimentação',
  '11': 'Vale Refeição',
  '12': 'Vale Presente',
  '13': 'Vale Combustível',
  '15': 'Boleto Bancário',
  '16': 'Depósito Bancário',
  '17': 'PIX',
  '18': 'Transferência / Carteira Digital',
  '19': 'Fidelidade / Cashback',
  '20': 'PIX Estático',
  '21': 'Crédito em Loja',
  '22': 'Pagamento Eletrônico não Informado',
  '23': 'PIX Automático',
  '24': 'TEF',
  '90': 'Sem Pagamento',
  '91': 'Pagamento Posterior',
  '99': 'Outros',
};

/** Codes that exist nationally but an NFC-e may not carry (14 Duplicata Mercantil, NT 2016.002). */
export const TPAG_NOT_ALLOWED_IN_NFCE: ReadonlySet<string> = new Set(['14']);

export function isKnownTpag(code: string): boolean {
  return Object.hasOwn(TPAG, code);
}

/** The only method that can produce troco. */
export const TPAG_CASH = '01';
/** xPag (description) is required. */
export const TPAG_OTHER = '99';

/**
 * Methods that need the card group (tpIntegra, CNPJ, tBand, cAut): credit and debit always;
 * PIX dinâmico because many UFs reject it without the group (cStat 391).
 */
export const CARD_GROUP_REQUIRED: ReadonlySet<string> = new Set(['03', '04', '17']);

export function requiresCardGroup(code: string): boolean {
  return CARD_GROUP_REQUIRED.has(code);
}

/** Label for the receipt and the UI; for 99 the description the cashier typed. */
export function paymentLabel(code: string, description?: string): string {
  if (code === TPAG_OTHER && description) return description;
  return TPAG[code] ?? `Forma ${code}`;
}

const TPAG_PIX_STATIC = '20';

/**
 * Label for reports and the register's figures: a static PIX (tPag 20) was never confirmed by the bank at the
 * sale, so the manager and the accountant see it marked (PIX issue, Build 4). The receipt keeps the plain label.
 */
export function reportPaymentLabel(code: string): string {
  return code === TPAG_PIX_STATIC ? `${paymentLabel(code)} (não confirmado)` : paymentLabel(code);
}

export const TBAND: Readonly<Record<string, string>> = {
  '01': 'Visa',
  '02': 'Mastercard',
  '03': 'American Express',
  '04': 'Sorocred',
  '05': 'Diners Club',
  '06': 'Elo',
  '07': 'Hipercard',
  '08': 'Aura',
  '09': 'Cabal',
  '10': 'Alelo',
  '11': 'Banes Card',
  '12': 'CalCard',
  '13': 'Credz',
  '14': 'Discover',
  '15': 'GoodCard',
  '16': 'GreenCard',
  '17': 'Hiper',
  '18': 'JcB',
  '19': 'Mais',
  '20': 'MaxVan',
  '21': 'Policard',
  '22': 'RedeCompras',
  '23': 'Sodexo',
  '24': 'ValeCard',
  '25': 'Verocheque',
  '26': 'VR',
  '27': 'Ticket',
  '99': 'Outros',
};

export function brandLabel(code: string): string {
  return TBAND[code] ?? `Bandeira ${code}`;
}
