// A committed Sale → the Focus NFe v2 NFC-e request body (focus-nfce-api §3): flat snake_case,
// every number a fixed-decimal string computed from integer centavos. Item values are sent, note
// totals are left for Focus to sum (§3.9: a sent total is used as is), except valor_total_tributos
// and valor_troco, which are exact sums we already hold.
import { UserFacingError } from '../errors.ts';
import type { Emitter, Environment, Payment, Sale, SaleItem } from '../sale.ts';
import { applyBasisPoints, centsToDecimal, qtyToDecimal } from '../money.ts';
import { HOMOLOG_DEST_NAME, HOMOLOG_ITEM_DESCRIPTION } from '../fiscal/homologation.ts';
import { TPAG_OTHER, requiresCardGroup } from '../fiscal/tpag.ts';
import { computeIbsCbs, ibsCbsApplies, itemCodes, noteDate, periodFor, type IbsCbsOptions, type NoteIbsCbs } from '../fiscal/ibscbs.ts';
import { IBS_CBS_SUPPORTED_CST } from '../fiscal/ibscbs-table.ts';
import { PIS_COFINS_CSTS, pisCofinsGroup } from '../fiscal/pis-cofins.ts';

/** Structurally the NfceRequestBody of main/focus/types.ts (shared cannot import main). */
export type NfceRequest = Record<string, unknown> & {
  cnpj_emitente: string;
  data_emissao: string;
  items: Record<string, unknown>[];
  formas_pagamento: Record<string, unknown>[];
};

export interface OfflineNumbering {
  numero: number;
  serie: number;
  /** cNF, 8 digits: the one printed inside the chave. */
  codigoUnico: string;
}

export interface NfcePayloadInput {
  sale: Sale;
  emitter: Emitter;
  environment: Environment;
  /** Manual offline contingency (POST …&forma_emissao=offline): the PDV's own numbering. */
  offline?: OfflineNumbering;
  /** IBS/CBS: the manager's early start and the store's default codes. */
  taxReform?: IbsCbsOptions;
}

/** A sale that cannot become a valid NFC-e body; the message is for the manager (pt-BR). */
export class NfcePayloadError extends UserFacingError<'nfce_payload'> {
  readonly itemSeq: number | undefined;
  constructor(message: string, itemSeq?: number) {
    super('nfce_payload', message);
    this.itemSeq = itemSeq;
  }
}

const SIMPLES_CRT = new Set([1, 4]);
/** CSOSN supported without extra ICMS groups (101 needs credit fields; 20x need ST). */
const SUPPORTED_CSOSN = new Set(['102', '103', '300', '400', '500']);
const SUPPORTED_CST = new Set(['00', '40', '41', '60']);

/**
 * ICMS code vs regime, checked here so the cashier gets a clear message instead of SEFAZ's 591:
 * CRT 1 (Simples) and 4 (MEI) use CSOSN; CRT 2 (excesso de sublimite) and 3 (normal) use CST.
 */
export function icmsRegimeProblem(crt: Emitter['crt'], icms: string): string | null {
  if (SIMPLES_CRT.has(crt)) {
    if (SUPPORTED_CSOSN.has(icms)) return null;
    if (icms.length === 2) return `usa CST ${icms}, mas a empresa é do Simples Nacional/MEI (use CSOSN, por exemplo 102 ou 500)`;
    return `usa CSOSN ${icms}, que o sistema ainda não emite (use 102, 103, 300, 400 ou 500)`;
  }
  if (SUPPORTED_CST.has(icms)) return null;
  if (icms.length === 3) return `usa CSOSN ${icms}, mas a empresa não é do Simples Nacional (use CST, por exemplo 00, 40, 41 ou 60)`;
  return `usa CST ${icms}, que o sistema ainda não emite (use 00, 40, 41 ou 60)`;
}

/** vICMS of an item as the payload sends it (CST 00 only). */
function itemIcmsCents(item: SaleItem): number {
  return item.icms === '00' ? applyBasisPoints(item.totalCents, item.icmsRateBp) : 0;
}

function itemIcms(item: SaleItem, crt: Emitter['crt']): Record<string, string> {
  const problem = icmsRegimeProblem(crt, item.icms);
  if (problem) throw new NfcePayloadError(`Item ${item.seq} (${item.description}) ${problem}.`, item.seq);
  const out: Record<string, string> = { icms_origem: item.origin, icms_situacao_tributaria: item.icms };
  if (item.icms === '00') {
    if (!(item.icmsRateBp > 0)) {
      throw new NfcePayloadError(`Item ${item.seq} (${item.description}) tem CST 00 sem alíquota de ICMS no cadastro.`, item.seq);
    }
    // The discount is unconditional (it is on the document), so it reduces the ICMS base.
    const base = item.totalCents;
    out.icms_modalidade_base_calculo = '3';
    out.icms_base_calculo = centsToDecimal(base);
    out.icms_aliquota = centsToDecimal(item.icmsRateBp); // 1800 bp → '18.00'
    out.icms_valor = centsToDecimal(itemIcmsCents(item));
  }
  return out;
}

/**
 * PIS/COFINS from the item's CST (shared/fiscal/pis-cofins.ts). Simples Nacional, MEI and excesso de
 * sublimite (CRT 1/2/4) pay PIS/COFINS inside the DAS: their products use 49 (or 99, or an NT code such
 * as 04/06 for monofásico) with zero values; CST 01/02 is refused for them. Regime normal's CST 01 is
 * taxed at the rates fixed on the item at the sale (the company's cumulative or non-cumulative regime).
 * An item journaled before the CST was kept follows the old rule: 49 for CRT 1/2/4, groups left out
 * for CRT 3 (they are optional in modelo 65).
 */
function itemPisCofins(item: SaleItem, crt: Emitter['crt']): Record<string, string> {
  const cst = item.pisCofinsCst ?? (crt === 3 ? null : '49');
  if (cst === null) return {};
  const where = `Item ${item.seq} (${item.description})`;
  if (!PIS_COFINS_CSTS.has(cst)) throw new NfcePayloadError(`${where} tem CST de PIS/COFINS ${cst}, que não existe na tabela da NF-e.`, item.seq);
  const group = pisCofinsGroup(cst);
  if (group === 'nt') return { pis_situacao_tributaria: cst, cofins_situacao_tributaria: cst };
  if (group === 'qtde') throw new NfcePayloadError(`${where} usa CST de PIS/COFINS 03 (por quantidade), que o sistema ainda não emite.`, item.seq);
  if (group === 'outr') {
    return {
      pis_situacao_tributaria: cst,
      pis_base_calculo: '0.00',
      pis_aliquota_porcentual: '0.00',
      pis_valor: '0.00',
      cofins_situacao_tributaria: cst,
      cofins_base_calculo: '0.00',
      cofins_aliquota_porcentual: '0.00',
      cofins_valor: '0.00',
    };
  }
  if (crt !== 3) {
    throw new NfcePayloadError(`${where} usa CST de PIS/COFINS ${cst}, mas a empresa do Simples Nacional/MEI recolhe no DAS (use 49).`, item.seq);
  }
  if (cst === '02') throw new NfcePayloadError(`${where} usa CST de PIS/COFINS 02 (alíquota diferenciada), que o sistema ainda não emite.`, item.seq);
  const pisBp = item.pisRateBp ?? 0;
  const cofinsBp = item.cofinsRateBp ?? 0;
  if (!(pisBp > 0 && cofinsBp > 0)) {
    throw new NfcePayloadError(`${where} tem CST de PIS/COFINS 01 sem alíquotas: escolha o regime de PIS/COFINS em Configurações.`, item.seq);
  }
  const base = centsToDecimal(item.totalCents);
  return {
    pis_situacao_tributaria: cst,
    pis_base_calculo: base,
    pis_aliquota_porcentual: centsToDecimal(pisBp),
    pis_valor: centsToDecimal(applyBasisPoints(item.totalCents, pisBp)),
    cofins_situacao_tributaria: cst,
    cofins_base_calculo: base,
    cofins_aliquota_porcentual: centsToDecimal(cofinsBp),
    cofins_valor: centsToDecimal(applyBasisPoints(item.totalCents, cofinsBp)),
  };
}

function buildItem(item: SaleItem, index: number, crt: Emitter['crt'], environment: Environment): Record<string, unknown> {
  const qty = qtyToDecimal(item.qtyE4);
  const unitPrice = centsToDecimal(item.unitPriceCents);
  const gtin = item.gtin ?? 'SEM GTIN';
  const out: Record<string, unknown> = {
    numero_item: String(index + 1),
    codigo_produto: item.code,
    descricao: environment === 'homologacao' && index === 0 ? HOMOLOG_ITEM_DESCRIPTION : item.description,
    codigo_ncm: item.ncm,
    cfop: item.cfop,
    unidade_comercial: item.unit,
    quantidade_comercial: qty,
    valor_unitario_comercial: unitPrice,
    unidade_tributavel: item.unit,
    quantidade_tributavel: qty,
    valor_unitario_tributavel: unitPrice,
    valor_bruto: centsToDecimal(item.grossCents),
    codigo_barras_comercial: gtin,
    codigo_barras_tributavel: gtin,
  };
  if (item.discountCents > 0) out.valor_desconto = centsToDecimal(item.discountCents);
  if (item.cest) out.cest = item.cest;
  Object.assign(out, itemIcms(item, crt), itemPisCofins(item, crt));
  out.valor_total_tributos = centsToDecimal(item.approxTaxCents);
  return out;
}

function buildPayment(p: Payment, index: number): Record<string, unknown> {
  const out: Record<string, unknown> = { forma_pagamento: p.method, valor_pagamento: centsToDecimal(p.amountCents) };
  if (p.method === TPAG_OTHER) {
    if (!p.description) throw new NfcePayloadError(`Pagamento ${index + 1}: a forma "Outros" precisa de descrição.`);
    out.descricao_pagamento = p.description;
  }
  if (p.card || requiresCardGroup(p.method)) {
    const integration = p.card?.integration ?? '2';
    out.tipo_integracao = integration;
    if (integration === '1' && !(p.card?.acquirerCnpj && p.card.authorization)) {
      throw new NfcePayloadError(`Pagamento ${index + 1}: cartão integrado (TEF) precisa do CNPJ da credenciadora e do número de autorização.`);
    }
    if (p.card?.acquirerCnpj) out.cnpj_credenciadora = p.card.acquirerCnpj;
    if (p.card?.brand) out.bandeira_operadora = p.card.brand;
    if (p.card?.authorization) out.numero_autorizacao = p.card.authorization;
  }
  return out;
}

/**
 * The IBS/CBS of this note when it carries the group (the regime requires it on the note's date, or
 * the manager started early), else null. Throws NfcePayloadError for a CST Balcão cannot compute.
 * The receipt uses the same function, so paper and note never disagree.
 */
export function noteIbsCbs(sale: Sale, crt: Emitter['crt'], opts: IbsCbsOptions = {}): NoteIbsCbs | null {
  const date = noteDate(sale.createdAt);
  if (!ibsCbsApplies(crt, date, opts)) return null;
  const period = periodFor(date, opts.periods);
  if (!period) throw new NfcePayloadError(`Não há alíquotas de IBS/CBS na tabela do Balcão para ${date}. Atualize o Balcão.`);
  for (const it of sale.items) {
    const { cst } = itemCodes(it, opts);
    if (!IBS_CBS_SUPPORTED_CST.has(cst)) {
      throw new NfcePayloadError(
        `Item ${it.seq} (${it.description}) usa CST de IBS/CBS ${cst}, que o sistema ainda não emite (use 000, tributação integral).`,
        it.seq,
      );
    }
  }
  return computeIbsCbs(
    sale.items.map((it) => ({ seq: it.seq, totalCents: it.totalCents, icmsCents: itemIcmsCents(it), ibsCbsCst: it.ibsCbsCst, cClassTrib: it.cClassTrib })),
    period,
    opts,
  );
}

/** Focus's flat names (focus-nfce-api §3.10): item group, vItem, note totals and vNFTot. */
function addIbsCbs(body: NfceRequest, tax: NoteIbsCbs): void {
  tax.items.forEach((t, i) => {
    Object.assign(body.items[i] as Record<string, unknown>, {
      ibs_cbs_situacao_tributaria: t.cst,
      ibs_cbs_classificacao_tributaria: t.cClassTrib,
      ibs_cbs_base_calculo: centsToDecimal(t.baseCents),
      ibs_uf_aliquota: t.ibsUfRate,
      ibs_uf_valor: centsToDecimal(t.ibsUfCents),
      ibs_mun_aliquota: t.ibsMunRate,
      ibs_mun_valor: centsToDecimal(t.ibsMunCents),
      ibs_valor_total: centsToDecimal(t.ibsCents),
      cbs_aliquota: t.cbsRate,
      cbs_valor: centsToDecimal(t.cbsCents),
      valor_total_item: centsToDecimal(t.vItemCents),
    });
  });
  body.ibs_cbs_base_calculo = centsToDecimal(tax.baseCents);
  body.ibs_uf_valor_total = centsToDecimal(tax.ibsUfCents);
  body.ibs_mun_valor_total = centsToDecimal(tax.ibsMunCents);
  body.ibs_valor_total = centsToDecimal(tax.ibsCents);
  body.cbs_valor_total = centsToDecimal(tax.cbsCents);
  body.ibs_cbs_is_valor_total = centsToDecimal(tax.vNFTotCents);
}

/**
 * Builds the POST /v2/nfce body. Throws NfcePayloadError (pt-BR) when the sale cannot be a valid
 * NFC-e (ICMS code vs regime, missing data). Homologation swaps in the texts SEFAZ demands
 * (cStat 373/598). Change goes in the top-level `valor_troco` (focus spec §3.8 recommendation,
 * the Comunicador example; the sandbox accepts it) while the cash valor_pagamento stays the amount
 * tendered, so Σ valor_pagamento − valor_troco = total.
 */
export function buildNfceRequest(input: NfcePayloadInput): NfceRequest {
  const { sale, emitter, environment, offline } = input;
  if (sale.items.length === 0) throw new NfcePayloadError('A venda não tem itens.');
  if (sale.payments.length === 0) throw new NfcePayloadError('A venda não tem pagamentos.');
  const body: NfceRequest = {
    cnpj_emitente: emitter.cnpj,
    data_emissao: sale.createdAt,
    natureza_operacao: 'VENDA AO CONSUMIDOR',
    presenca_comprador: '1',
    modalidade_frete: '9',
    local_destino: '1',
    items: sale.items.map((it, i) => buildItem(it, i, emitter.crt, environment)),
    formas_pagamento: sale.payments.map(buildPayment),
  };
  const tax = noteIbsCbs(sale, emitter.crt, input.taxReform);
  if (tax) {
    addIbsCbs(body, tax);
    // cMunFGIBS only for a sale outside the establishment (indPres 5, nfce-rules §8.1); counter sales are 1.
    if (body.presenca_comprador === '5') body.ibs_cbs_municipio = emitter.address.cityCode;
  }
  if (sale.changeCents > 0) body.valor_troco = centsToDecimal(sale.changeCents);
  body.valor_total_tributos = centsToDecimal(sale.items.reduce((a, it) => a + it.approxTaxCents, 0));

  const doc = sale.customer?.document;
  if (doc) {
    if (/^\d{11}$/.test(doc)) body.cpf_destinatario = doc;
    else body.cnpj_destinatario = doc;
    body.indicador_inscricao_estadual_destinatario = '9';
    const name = environment === 'homologacao' ? HOMOLOG_DEST_NAME : sale.customer?.name;
    if (name) body.nome_destinatario = name;
  }

  if (offline) {
    if (!Number.isInteger(offline.numero) || offline.numero < 1 || offline.numero > 999_999_999) {
      throw new NfcePayloadError('Número da nota em contingência inválido.');
    }
    if (!Number.isInteger(offline.serie) || offline.serie < 0 || offline.serie > 999) {
      throw new NfcePayloadError('Série da contingência inválida.');
    }
    if (!/^\d{8}$/.test(offline.codigoUnico)) throw new NfcePayloadError('Código numérico (cNF) da contingência inválido.');
    body.numero = String(offline.numero);
    body.serie = String(offline.serie);
    body.codigo_unico = offline.codigoUnico;
  }
  return body;
}
