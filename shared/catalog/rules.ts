// The register's fiscal checks, shared by the product form, the list filter and the importers.
// Each problem has a stable code; the message is for the manager (pt-BR).
//
// NCM: no maintained package or file with the official NCM table (Siscomex/TIPI) can be shipped
// from the registry this project uses, so the NCM is checked by shape only (8 digits, a real chapter
// 01–97) — the form says so. CEST: required when the ICMS code says the item is under substituição
// tributária (CST 10, 30, 60, 70; CSOSN 201, 202, 203, 500), checked by shape (7 digits).
import type { Crt, Product } from '../sale.ts';
import { icmsRegimeProblem } from '../nfce/payload.ts';
import { isValidGtin } from './gtin.ts';
import { PIS_COFINS_CSTS, pisCofinsGroup } from '../fiscal/pis-cofins.ts';

export type IssueCode =
  'gtin_invalid' | 'ncm_invalid' | 'cest_missing' | 'cest_invalid' | 'cfop_not_nfce' | 'icms_regime' | 'pis_cofins' | 'ibs_cbs_missing' | 'price_zero';

export interface ProductIssue {
  code: IssueCode;
  field: keyof Product;
  message: string;
}

export const NCM_CHECK_NOTE = 'NCM conferido só pelo formato (8 dígitos, capítulo 01 a 97): não há tabela oficial da NCM embarcada.';
export const CEST_CHECK_NOTE =
  'CEST exigido quando o ICMS é de substituição tributária (CST 10, 30, 60, 70 ou CSOSN 201, 202, 203, 500); conferido pelo formato (7 dígitos).';

/** ICMS codes of items under substituição tributária: the NFC-e then needs the CEST. */
export const ST_ICMS = new Set(['10', '30', '60', '70', '201', '202', '203', '500']);

/** CFOPs an NFC-e accepts (SEFAZ rejection 725 for any other). */
export const NFCE_CFOPS = ['5101', '5102', '5103', '5104', '5115', '5405', '5656', '5667', '5933'] as const;

export function ncmShapeOk(ncm: string): boolean {
  if (!/^\d{8}$/.test(ncm)) return false;
  const chapter = Number(ncm.slice(0, 2));
  return chapter >= 1 && chapter <= 97 && chapter !== 77;
}

export function cestRequired(icms: string): boolean {
  return ST_ICMS.has(icms);
}

/** Problems of a product's effective fiscal data for a shop of regime `crt`. */
export function productIssues(p: Product, crt: Crt): ProductIssue[] {
  const out: ProductIssue[] = [];
  if (p.gtin !== null && !isValidGtin(p.gtin))
    out.push({ code: 'gtin_invalid', field: 'gtin', message: `GTIN ${p.gtin} com dígito verificador errado (ou use SEM GTIN).` });
  if (!ncmShapeOk(p.ncm)) out.push({ code: 'ncm_invalid', field: 'ncm', message: `NCM ${p.ncm} inválido: 8 dígitos de um capítulo existente (01 a 97).` });
  if (cestRequired(p.icms) && p.cest === null)
    out.push({ code: 'cest_missing', field: 'cest', message: `CEST obrigatório: o ICMS ${p.icms} é de substituição tributária.` });
  if (p.cest !== null && !/^\d{7}$/.test(p.cest)) out.push({ code: 'cest_invalid', field: 'cest', message: 'CEST tem 7 dígitos.' });
  if (!(NFCE_CFOPS as readonly string[]).includes(p.cfop))
    out.push({ code: 'cfop_not_nfce', field: 'cfop', message: `CFOP ${p.cfop} não é aceito na NFC-e (use ${NFCE_CFOPS.join(', ')}).` });
  const regime = icmsRegimeProblem(crt, p.icms);
  if (regime) out.push({ code: 'icms_regime', field: 'icms', message: `O produto ${regime}.` });
  const pis = pisCofinsProblem(p.pisCofinsCst, crt);
  if (pis) out.push({ code: 'pis_cofins', field: 'pisCofinsCst', message: pis });
  if (p.ibsCbsCst === null || p.cClassTrib === null)
    out.push({ code: 'ibs_cbs_missing', field: 'ibsCbsCst', message: 'Sem CST e cClassTrib do IBS/CBS (reforma tributária).' });
  if (p.priceCents <= 0) out.push({ code: 'price_zero', field: 'priceCents', message: 'Sem preço de venda.' });
  return out;
}

/** What the NFC-e payload would refuse in a PIS/COFINS CST (shared/nfce/payload.ts), said to the manager. */
function pisCofinsProblem(cst: string, crt: Crt): string | null {
  if (!PIS_COFINS_CSTS.has(cst)) return `CST de PIS/COFINS ${cst} não existe na tabela da NF-e.`;
  const group = pisCofinsGroup(cst);
  if (group === 'qtde' || cst === '02') return `CST de PIS/COFINS ${cst} ainda não é emitido pelo Balcão (use 01, 04–09 ou 49–99).`;
  if (group === 'aliq' && crt !== 3) return `CST de PIS/COFINS ${cst} é de regime normal: no Simples Nacional/MEI use 49.`;
  return null;
}
