// Homologation (tpAmb 2) fixed texts, nfce-rules §9: SEFAZ compares them byte for byte
// (no accents), cStat 373 for the first item and 598 for the recipient name.
import type { Environment } from '../sale.ts';

export const HOMOLOG_ITEM_DESCRIPTION = 'NOTA FISCAL EMITIDA EM AMBIENTE DE HOMOLOGACAO - SEM VALOR FISCAL';
export const HOMOLOG_DEST_NAME = 'NF-E EMITIDA EM AMBIENTE DE HOMOLOGACAO - SEM VALOR FISCAL';
/** Printed in the DANFCe fiscal message area (accents allowed on paper). */
export const HOMOLOG_RECEIPT_MESSAGE = 'EMITIDA EM AMBIENTE DE HOMOLOGAÇÃO – SEM VALOR FISCAL';

export type TpAmb = 1 | 2;

/** producao → 1, homologacao → 2 (the QR code's tpAmb and the chave-independent XML field). */
export function tpAmbOf(env: Environment): TpAmb {
  return env === 'producao' ? 1 : 2;
}
