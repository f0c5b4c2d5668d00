// Focus's own checks before anything goes to SEFAZ (§8 item 10): a missing required field is a
// 400 requisicao_invalida "Parâmetro X não informado.", a malformed one a 422 erro_validacao_schema
// with erros[{mensagem, campo}]. What passes is normalized (exact integers, computed totals) for the
// SEFAZ rules, the XML and requisicao_nota_fiscal.
import { isValidCnpj, isValidCpf, normalizeDocument } from '../../shared/fiscal/cpf-cnpj.ts';
import { isKnownTpag, TPAG_NOT_ALLOWED_IN_NFCE } from '../../shared/fiscal/tpag.ts';
import { parseFocusDateTime, type LocalDateTime } from '../../shared/datetime.ts';
import { divRound, parseDecimal, type DecimalResult } from './decimal.ts';
import { apiError, isObject, type ApiResponse } from './http.ts';
import { parseIbsCbs, type NormNoteIbsCbs } from './ibscbs.ts';
import { PIS_COFINS_CSTS, pisCofinsGroup } from '../../shared/fiscal/pis-cofins.ts';

export const CSOSN_CODES: ReadonlySet<string> = new Set(['101', '102', '103', '201', '202', '203', '300', '400', '500', '900']);
export const CST_CODES: ReadonlySet<string> = new Set(['00', '10', '20', '30', '40', '41', '50', '51', '60', '70', '90']);
/** CSTs whose ICMS does not enter icms_valor_total (§3.9). */
const CST_NO_ICMS_TOTAL: ReadonlySet<string> = new Set(['40', '41', '50']);

export interface NormIcms {
  modBC: string;
  /** centavos */
  vBC: bigint;
  /** percent × 10⁴ (18.00 % → 180000n) */
  pICMS: bigint;
  vICMS: bigint;
  vICMSGiven: boolean;
}

export interface NormItem {
  n: number;
  codigo: string;
  descricao: string;
  ncm: string;
  cfop: string;
  cest: string | null;
  ean: string;
  eanTrib: string;
  uCom: string;
  /** ×10⁴ */
  qCom: bigint;
  /** ×10¹⁰ */
  vUnCom: bigint;
  uTrib: string;
  qTrib: bigint;
  vUnTrib: bigint;
  /** centavos, as given (or computed when omitted) */
  vProd: bigint;
  /** round-half-up(qCom × vUnCom) in centavos */
  vProdComputed: bigint;
  vDesc: bigint;
  vFrete: bigint;
  vSeg: bigint;
  vOutro: bigint;
  indTot: 0 | 1;
  orig: string;
  cst: string;
  icms: NormIcms | null;
  vTotTrib: bigint | null;
  pis: NormPisCofins | null;
  cofins: NormPisCofins | null;
}

/** PIS or COFINS of an item, by the XML group its CST goes in. */
export interface NormPisCofins {
  cst: string;
  group: 'aliq' | 'nt' | 'outr';
  /** centavos */
  vBC: bigint;
  /** percent × 10⁴ (0.65 % → 6500n) */
  p: bigint;
  /** centavos */
  v: bigint;
}

export interface NormPayment {
  tPag: string;
  vPag: bigint;
  indPag: string | null;
  tpIntegra: string | null;
  cnpjCred: string | null;
  tBand: string | null;
  cAut: string | null;
  xPag: string | null;
}

export interface NormDest {
  cpf: string | null;
  cnpj: string | null;
  idEstrangeiro: string | null;
  nome: string | null;
  indIEDest: string;
}

export interface Totals {
  vBC: bigint;
  vICMS: bigint;
  vProd: bigint;
  vDesc: bigint;
  vFrete: bigint;
  vSeg: bigint;
  vOutro: bigint;
  vNF: bigint;
  vTotTrib: bigint;
}

export interface NormNote {
  dhEmiText: string;
  dhEmi: LocalDateTime;
  natOp: string;
  indPres: string;
  modFrete: string;
  idDest: string;
  dest: NormDest | null;
  items: NormItem[];
  payments: NormPayment[];
  /** centavos, null when no troco key was sent */
  troco: bigint | null;
  totalsGiven: Partial<Totals>;
  totals: Totals;
  numero: number | null;
  serie: number | null;
  cnf: string | null;
  infCpl: string | null;
  infAdFisco: string | null;
  /** IBS/CBS fields (items without the group are null). */
  ibscbs: NormNoteIbsCbs;
  /** The request as Focus completes it (requisicao_nota_fiscal, minus the SEFAZ-time keys). */
  requisicao: Record<string, unknown>;
}

export type ValidationResult = { ok: true; note: NormNote } | { ok: false; response: ApiResponse };

type Issue = { mensagem: string; campo: string | null };

const present = (v: unknown) => v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');
const str = (v: unknown) => (typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '');
const missing = (campo: string, where?: string): Issue => ({
  mensagem: `Parâmetro "${campo}" não informado${where ? ` (${where})` : ''}.`,
  campo,
});

/** Dates without an offset appear in Focus's own examples; read them as Brasília time (-03:00). */
function parseEmissionDate(v: unknown): { text: string; parsed: LocalDateTime } | null {
  const s = str(v);
  const parsed = parseFocusDateTime(s) ?? parseFocusDateTime(`${s}-03:00`);
  if (!parsed) return null;
  const hasOffset = parseFocusDateTime(s) !== null;
  return { text: hasOffset ? s : `${s}-03:00`, parsed };
}

class Collector {
  readonly missing: Issue[] = [];
  readonly schema: Issue[] = [];

  decimal(v: unknown, scale: number, campo: string, label: string, opts: { positive?: boolean } = {}): bigint {
    const r: DecimalResult = parseDecimal(v, scale);
    if (!r.ok) {
      const why =
        r.reason === 'precision'
          ? `no máximo ${scale} casas decimais`
          : r.reason === 'negative'
            ? 'não pode ser negativo'
            : 'deve ser um número decimal com ponto (ex.: "12.50")';
      this.schema.push({ mensagem: `${label}: ${why} (recebido ${JSON.stringify(v)})`, campo });
      return 0n;
    }
    if (opts.positive && r.value === 0n) this.schema.push({ mensagem: `${label}: deve ser maior que zero`, campo });
    return r.value;
  }

  optionalMoney(v: unknown, campo: string, label: string): bigint | null {
    return present(v) ? this.decimal(v, 2, campo, label) : null;
  }

  pattern(v: unknown, re: RegExp, campo: string, mensagem: string): string {
    const s = str(v);
    if (!re.test(s)) this.schema.push({ mensagem: `${mensagem} (recebido ${JSON.stringify(v)})`, campo });
    return s;
  }
}

/**
 * pis_* / cofins_* of one item (focus-nfce-api §3.5). The CST must be in the NF-e table; 01/02 need
 * base, rate and a value equal to base × rate (±1 centavo); 03 needs the per-quantity fields, which
 * this sandbox does not model; 04–09 carry the CST alone; the others may send base, rate and value.
 */
function pisCofins(
  c: Collector,
  raw: Record<string, unknown>,
  tax: 'pis' | 'cofins',
  at: (f: string) => string,
  label: (f: string) => string,
): NormPisCofins | null {
  const f = (name: string) => `${tax}_${name}`;
  if (!present(raw[f('situacao_tributaria')])) return null;
  const cst = c.pattern(raw[f('situacao_tributaria')], /^\d{2}$/, at(f('situacao_tributaria')), `${label(f('situacao_tributaria'))}: 2 dígitos`);
  if (!PIS_COFINS_CSTS.has(cst)) {
    c.schema.push({ mensagem: `${label(f('situacao_tributaria'))}: CST ${JSON.stringify(cst)} não existe`, campo: at(f('situacao_tributaria')) });
    return null;
  }
  const group = pisCofinsGroup(cst);
  if (group === 'nt') return { cst, group, vBC: 0n, p: 0n, v: 0n };
  if (group === 'qtde') {
    c.schema.push({ mensagem: `${label(f('quantidade_vendida'))}: obrigatório para o CST ${cst}`, campo: at(f('quantidade_vendida')) });
    return null;
  }
  const required = group === 'aliq';
  const dec = (name: string, scale: number) => (required || present(raw[f(name)]) ? c.decimal(raw[f(name)], scale, at(f(name)), label(f(name))) : 0n);
  const vBC = dec('base_calculo', 2);
  const p = dec('aliquota_porcentual', 4);
  const v = dec('valor', 2);
  if (p > 100n * 10_000n) c.schema.push({ mensagem: `${label(f('aliquota_porcentual'))}: no máximo 100`, campo: at(f('aliquota_porcentual')) });
  const calc = divRound(vBC * p, 100n * 10_000n);
  if (v - calc > 1n || calc - v > 1n) {
    c.schema.push({ mensagem: `${label(f('valor'))}: difere de base × alíquota (esperado ${calc})`, campo: at(f('valor')) });
  }
  return { cst, group, vBC, p, v };
}

/**
 * Validate and normalize an NFC-e body. `cnpj` is already checked by the caller (403 path).
 * `offline` = forma_emissao=offline (numero, serie, codigo_unico become mandatory).
 */
export function validateNfce(body: Record<string, unknown>, offline: boolean): ValidationResult {
  const c = new Collector();

  for (const f of ['data_emissao', 'presenca_comprador', 'modalidade_frete', 'local_destino'] as const) {
    if (!present(body[f])) c.missing.push(missing(f));
  }
  if (offline)
    for (const f of ['numero', 'serie', 'codigo_unico'] as const) if (!present(body[f])) c.missing.push(missing(f, 'obrigatório com forma_emissao=offline'));
  const rawItems = body.items;
  if (!Array.isArray(rawItems) || rawItems.length === 0) c.missing.push(missing('items'));
  const rawPays = body.formas_pagamento;
  if (!Array.isArray(rawPays) || rawPays.length === 0) c.missing.push(missing('formas_pagamento'));

  const itemsIn = Array.isArray(rawItems) ? rawItems : [];
  const paysIn = Array.isArray(rawPays) ? rawPays : [];

  // Required item fields first: a missing field is a 400 even if other fields are malformed.
  itemsIn.forEach((it, i) => {
    if (!isObject(it)) {
      c.schema.push({ mensagem: `items[${i}] deve ser um objeto`, campo: `items[${i}]` });
      return;
    }
    const req = [
      'numero_item',
      'codigo_produto',
      'descricao',
      'codigo_ncm',
      'cfop',
      'unidade_comercial',
      'quantidade_comercial',
      'valor_unitario_comercial',
      'icms_origem',
      'icms_situacao_tributaria',
    ];
    for (const f of req) if (!present(it[f])) c.missing.push(missing(`items[${i}].${f}`, `item ${i + 1}`));
    if (str(it.icms_situacao_tributaria) === '00') {
      for (const f of ['icms_modalidade_base_calculo', 'icms_base_calculo', 'icms_aliquota']) {
        if (!present(it[f])) c.missing.push(missing(`items[${i}].${f}`, `item ${i + 1}, obrigatório para CST 00`));
      }
    }
  });
  paysIn.forEach((p, i) => {
    if (!isObject(p)) {
      c.schema.push({ mensagem: `formas_pagamento[${i}] deve ser um objeto`, campo: `formas_pagamento[${i}]` });
      return;
    }
    for (const f of ['forma_pagamento', 'valor_pagamento']) if (!present(p[f])) c.missing.push(missing(`formas_pagamento[${i}].${f}`));
    if (str(p.tipo_integracao) === '1') {
      for (const f of ['cnpj_credenciadora', 'numero_autorizacao']) {
        if (!present(p[f])) c.missing.push(missing(`formas_pagamento[${i}].${f}`, 'obrigatório com tipo_integracao 1'));
      }
    }
    if (str(p.forma_pagamento) === '99' && !present(p.descricao_pagamento)) {
      c.missing.push(missing(`formas_pagamento[${i}].descricao_pagamento`, 'obrigatório para forma 99'));
    }
  });

  if (c.missing.length > 0) {
    return { ok: false, response: apiError(400, 'requisicao_invalida', (c.missing[0] as Issue).mensagem, c.missing) };
  }

  // ---- formats (422) -------------------------------------------------------------------------
  const date = parseEmissionDate(body.data_emissao);
  if (!date)
    c.schema.push({ mensagem: `data_emissao inválida (use AAAA-MM-DDTHH:MM:SS-03:00; recebido ${JSON.stringify(body.data_emissao)})`, campo: 'data_emissao' });
  const indPres = c.pattern(
    body.presenca_comprador,
    /^[145]$/,
    'presenca_comprador',
    'presenca_comprador deve ser 1 (presencial), 4 (entrega em domicílio) ou 5 para NFC-e',
  );
  const modFrete = c.pattern(body.modalidade_frete, /^[012349]$/, 'modalidade_frete', 'modalidade_frete deve ser 0, 1, 2, 3, 4 ou 9');
  // NFC-e is always an internal operation (idDest 1).
  const idDest = c.pattern(body.local_destino, /^1$/, 'local_destino', 'local_destino deve ser 1 (operação interna) para NFC-e');
  const natOp = present(body.natureza_operacao) ? str(body.natureza_operacao) : 'VENDA AO CONSUMIDOR';
  if (natOp.length > 60) c.schema.push({ mensagem: 'natureza_operacao deve ter no máximo 60 caracteres', campo: 'natureza_operacao' });

  // Destinatário
  let dest: NormDest | null = null;
  const cpfIn = present(body.cpf_destinatario) ? normalizeDocument(str(body.cpf_destinatario)) : null;
  const cnpjIn = present(body.cnpj_destinatario) ? normalizeDocument(str(body.cnpj_destinatario)) : null;
  const idEst = present(body.id_estrangeiro_destinatario) ? str(body.id_estrangeiro_destinatario) : null;
  const nomeDest = present(body.nome_destinatario) ? str(body.nome_destinatario) : null;
  if (cpfIn && cnpjIn) c.schema.push({ mensagem: 'Informe apenas um documento do destinatário: cpf_destinatario ou cnpj_destinatario', campo: null });
  if (cpfIn && !isValidCpf(cpfIn)) c.schema.push({ mensagem: `CPF do destinatário inválido: ${cpfIn}`, campo: 'cpf_destinatario' });
  if (cnpjIn && !isValidCnpj(cnpjIn)) c.schema.push({ mensagem: `CNPJ do destinatário inválido: ${cnpjIn}`, campo: 'cnpj_destinatario' });
  if (nomeDest !== null && (nomeDest.length < 2 || nomeDest.length > 60))
    c.schema.push({ mensagem: 'nome_destinatario deve ter de 2 a 60 caracteres', campo: 'nome_destinatario' });
  const indIE = present(body.indicador_inscricao_estadual_destinatario) ? str(body.indicador_inscricao_estadual_destinatario) : '9';
  if (!/^[129]$/.test(indIE))
    c.schema.push({ mensagem: 'indicador_inscricao_estadual_destinatario deve ser 1, 2 ou 9', campo: 'indicador_inscricao_estadual_destinatario' });
  if (cpfIn || cnpjIn || idEst || nomeDest) dest = { cpf: cpfIn, cnpj: cnpjIn, idEstrangeiro: idEst, nome: nomeDest, indIEDest: indIE };

  // Items
  if (itemsIn.length > 990) c.schema.push({ mensagem: 'Uma NFC-e tem no máximo 990 itens', campo: 'items' });
  const items: NormItem[] = [];
  itemsIn.forEach((raw, i) => {
    if (!isObject(raw)) return;
    const at = (f: string) => `items[${i}].${f}`;
    const label = (f: string) => `Item ${i + 1}, ${f}`;
    const nItem = str(raw.numero_item);
    if (nItem !== String(i + 1))
      c.schema.push({
        mensagem: `numero_item deve ser sequencial a partir de 1: esperado ${i + 1}, recebido ${JSON.stringify(raw.numero_item)}`,
        campo: at('numero_item'),
      });
    const codigo = str(raw.codigo_produto);
    if (codigo.length > 60) c.schema.push({ mensagem: `${label('codigo_produto')}: no máximo 60 caracteres`, campo: at('codigo_produto') });
    const descricao = str(raw.descricao);
    if (descricao.length > 120) c.schema.push({ mensagem: `${label('descricao')}: no máximo 120 caracteres`, campo: at('descricao') });
    const ncm = c.pattern(raw.codigo_ncm, /^\d{8}$/, at('codigo_ncm'), `${label('codigo_ncm')}: o NCM deve ter 8 dígitos`);
    const cfop = c.pattern(raw.cfop, /^\d{4}$/, at('cfop'), `${label('cfop')}: o CFOP deve ter 4 dígitos`);
    const cest = present(raw.cest) ? c.pattern(raw.cest, /^\d{7}$/, at('cest'), `${label('cest')}: o CEST deve ter 7 dígitos`) : null;
    const uCom = c.pattern(raw.unidade_comercial, /^.{1,6}$/, at('unidade_comercial'), `${label('unidade_comercial')}: de 1 a 6 caracteres`);
    const qCom = c.decimal(raw.quantidade_comercial, 4, at('quantidade_comercial'), label('quantidade_comercial'), { positive: true });
    const vUnCom = c.decimal(raw.valor_unitario_comercial, 10, at('valor_unitario_comercial'), label('valor_unitario_comercial'));
    const uTrib = present(raw.unidade_tributavel)
      ? c.pattern(raw.unidade_tributavel, /^.{1,6}$/, at('unidade_tributavel'), `${label('unidade_tributavel')}: de 1 a 6 caracteres`)
      : uCom;
    const qTrib = present(raw.quantidade_tributavel)
      ? c.decimal(raw.quantidade_tributavel, 4, at('quantidade_tributavel'), label('quantidade_tributavel'), { positive: true })
      : qCom;
    const vUnTrib = present(raw.valor_unitario_tributavel)
      ? c.decimal(raw.valor_unitario_tributavel, 10, at('valor_unitario_tributavel'), label('valor_unitario_tributavel'))
      : vUnCom;
    const gtin = (v: unknown, f: string) => {
      if (!present(v)) return 'SEM GTIN';
      return c.pattern(v, /^(SEM GTIN|\d{8}|\d{12,14})$/, at(f), `${label(f)}: GTIN de 8, 12, 13 ou 14 dígitos, ou "SEM GTIN"`);
    };
    const ean = gtin(raw.codigo_barras_comercial, 'codigo_barras_comercial');
    const eanTrib = present(raw.codigo_barras_tributavel) ? gtin(raw.codigo_barras_tributavel, 'codigo_barras_tributavel') : ean;
    // qCom (×10⁴) × vUnCom (×10¹⁰) = ×10¹⁴ → centavos (×10²)
    const vProdComputed = divRound(qCom * vUnCom, 10n ** 12n);
    const vProdGiven = c.optionalMoney(raw.valor_bruto, at('valor_bruto'), label('valor_bruto'));
    const vDesc = c.optionalMoney(raw.valor_desconto, at('valor_desconto'), label('valor_desconto')) ?? 0n;
    const vFrete = c.optionalMoney(raw.valor_frete, at('valor_frete'), label('valor_frete')) ?? 0n;
    const vSeg = c.optionalMoney(raw.valor_seguro, at('valor_seguro'), label('valor_seguro')) ?? 0n;
    const vOutro = c.optionalMoney(raw.valor_outras_despesas, at('valor_outras_despesas'), label('valor_outras_despesas')) ?? 0n;
    const indTotRaw = present(raw.inclui_no_total) ? str(raw.inclui_no_total) : '1';
    if (!/^[01]$/.test(indTotRaw)) c.schema.push({ mensagem: `${label('inclui_no_total')}: deve ser 0 ou 1`, campo: at('inclui_no_total') });
    const orig = c.pattern(raw.icms_origem, /^[0-8]$/, at('icms_origem'), `${label('icms_origem')}: de 0 a 8`);
    const cst = str(raw.icms_situacao_tributaria);
    if (!CSOSN_CODES.has(cst) && !CST_CODES.has(cst))
      c.schema.push({ mensagem: `${label('icms_situacao_tributaria')}: CST/CSOSN desconhecido ${JSON.stringify(cst)}`, campo: at('icms_situacao_tributaria') });
    let icms: NormIcms | null = null;
    if (cst === '00') {
      const modBC = c.pattern(
        raw.icms_modalidade_base_calculo,
        /^[0-3]$/,
        at('icms_modalidade_base_calculo'),
        `${label('icms_modalidade_base_calculo')}: de 0 a 3`,
      );
      const vBC = c.decimal(raw.icms_base_calculo, 2, at('icms_base_calculo'), label('icms_base_calculo'));
      const pICMS = c.decimal(raw.icms_aliquota, 4, at('icms_aliquota'), label('icms_aliquota'));
      if (pICMS > 100n * 10_000n) c.schema.push({ mensagem: `${label('icms_aliquota')}: no máximo 100`, campo: at('icms_aliquota') });
      const vGiven = c.optionalMoney(raw.icms_valor, at('icms_valor'), label('icms_valor'));
      const vCalc = divRound(vBC * pICMS, 100n * 10_000n);
      icms = { modBC, vBC, pICMS, vICMS: vGiven ?? vCalc, vICMSGiven: vGiven !== null };
    }
    const vTotTrib = c.optionalMoney(raw.valor_total_tributos, at('valor_total_tributos'), label('valor_total_tributos'));
    const pis = pisCofins(c, raw, 'pis', at, label);
    const cofins = pisCofins(c, raw, 'cofins', at, label);
    items.push({
      n: i + 1,
      codigo,
      descricao,
      ncm,
      cfop,
      cest,
      ean,
      eanTrib,
      uCom,
      qCom,
      vUnCom,
      uTrib,
      qTrib,
      vUnTrib,
      vProd: vProdGiven ?? vProdComputed,
      vProdComputed,
      vDesc,
      vFrete,
      vSeg,
      vOutro,
      indTot: indTotRaw === '0' ? 0 : 1,
      orig,
      cst,
      icms,
      vTotTrib,
      pis,
      cofins,
    });
  });

  // Payments
  const payments: NormPayment[] = [];
  let trocoInPayments: bigint | null = null;
  if (paysIn.length > 100) c.schema.push({ mensagem: 'No máximo 100 formas de pagamento', campo: 'formas_pagamento' });
  paysIn.forEach((raw, i) => {
    if (!isObject(raw)) return;
    const at = (f: string) => `formas_pagamento[${i}].${f}`;
    const tPag = c.pattern(raw.forma_pagamento, /^\d{2}$/, at('forma_pagamento'), 'forma_pagamento deve ter 2 dígitos');
    if (/^\d{2}$/.test(tPag) && (!isKnownTpag(tPag) || TPAG_NOT_ALLOWED_IN_NFCE.has(tPag))) {
      c.schema.push({ mensagem: `forma_pagamento ${tPag} não é aceita em NFC-e`, campo: at('forma_pagamento') });
    }
    const vPag = c.decimal(raw.valor_pagamento, 2, at('valor_pagamento'), `Pagamento ${i + 1}, valor_pagamento`, { positive: tPag !== '90' });
    const tpIntegra = present(raw.tipo_integracao) ? c.pattern(raw.tipo_integracao, /^[12]$/, at('tipo_integracao'), 'tipo_integracao deve ser 1 ou 2') : null;
    let cnpjCred: string | null = null;
    if (present(raw.cnpj_credenciadora)) {
      cnpjCred = normalizeDocument(str(raw.cnpj_credenciadora));
      if (!isValidCnpj(cnpjCred)) c.schema.push({ mensagem: `CNPJ da credenciadora inválido: ${cnpjCred}`, campo: at('cnpj_credenciadora') });
    }
    const tBand = present(raw.bandeira_operadora)
      ? c.pattern(raw.bandeira_operadora, /^\d{2}$/, at('bandeira_operadora'), 'bandeira_operadora deve ter 2 dígitos')
      : null;
    const cAut = present(raw.numero_autorizacao)
      ? c.pattern(raw.numero_autorizacao, /^.{1,128}$/, at('numero_autorizacao'), 'numero_autorizacao: de 1 a 128 caracteres')
      : null;
    const xPag = present(raw.descricao_pagamento)
      ? c.pattern(raw.descricao_pagamento, /^.{2,60}$/, at('descricao_pagamento'), 'descricao_pagamento: de 2 a 60 caracteres')
      : null;
    const indPag = present(raw.indicador_pagamento)
      ? c.pattern(raw.indicador_pagamento, /^[01]$/, at('indicador_pagamento'), 'indicador_pagamento deve ser 0 ou 1')
      : null;
    for (const key of ['troco', 'valor_troco']) {
      const t = c.optionalMoney(raw[key], at(key), `Pagamento ${i + 1}, ${key}`);
      if (t !== null) trocoInPayments = (trocoInPayments ?? 0n) + t;
    }
    payments.push({ tPag, vPag, indPag, tpIntegra, cnpjCred, tBand, cAut, xPag });
  });
  // Troco: top-level valor_troco (Comunicador example) wins; else troco/valor_troco inside payments (§3.8).
  const trocoTop = c.optionalMoney(body.valor_troco, 'valor_troco', 'valor_troco');
  const troco = trocoTop ?? trocoInPayments;

  // Numbering given by the client (own numbering or manual contingency)
  let numero: number | null = null;
  let serie: number | null = null;
  let cnf: string | null = null;
  if (present(body.numero)) {
    const s = c.pattern(body.numero, /^\d{1,9}$/, 'numero', 'numero deve ser um inteiro de 1 a 999999999');
    numero = /^\d{1,9}$/.test(s) ? Number(s) : null;
    if (numero === 0) c.schema.push({ mensagem: 'numero deve ser maior que zero', campo: 'numero' });
  }
  if (present(body.serie)) {
    const s = c.pattern(body.serie, /^\d{1,3}$/, 'serie', 'serie deve ser um inteiro de 0 a 999');
    serie = /^\d{1,3}$/.test(s) ? Number(s) : null;
  }
  if ((numero === null) !== (serie === null) && c.schema.length === 0) {
    c.schema.push({ mensagem: 'Informe numero e serie juntos', campo: numero === null ? 'numero' : 'serie' });
  }
  if (present(body.codigo_unico)) cnf = c.pattern(body.codigo_unico, /^\d{8}$/, 'codigo_unico', 'codigo_unico (cNF) deve ter exatamente 8 dígitos');

  const ibscbs = parseIbsCbs(body, itemsIn.filter(isObject), c.schema);

  // Totals sent by the client are used as is (§3.9); keep them to compare with the item sums.
  const totalsGiven: Partial<Totals> = {};
  const totalKeys: [keyof Totals, string][] = [
    ['vProd', 'valor_produtos'],
    ['vDesc', 'valor_desconto'],
    ['vFrete', 'valor_frete'],
    ['vSeg', 'valor_seguro'],
    ['vOutro', 'valor_outras_despesas'],
    ['vNF', 'valor_total'],
    ['vBC', 'icms_base_calculo'],
    ['vICMS', 'icms_valor_total'],
    ['vTotTrib', 'valor_total_tributos'],
  ];
  for (const [k, f] of totalKeys) {
    const v = c.optionalMoney(body[f], f, f);
    if (v !== null) totalsGiven[k] = v;
  }

  if (c.schema.length > 0 || !date) {
    return {
      ok: false,
      response: apiError(422, 'erro_validacao_schema', 'Erro na validação do Schema XML, verifique o detalhamento dos erros', c.schema),
    };
  }

  const sum = (f: (it: NormItem) => bigint) => items.reduce((a, it) => a + f(it), 0n);
  const computed: Totals = {
    vProd: sum((it) => (it.indTot === 1 ? it.vProd : 0n)),
    vDesc: sum((it) => it.vDesc),
    vFrete: sum((it) => it.vFrete),
    vSeg: sum((it) => it.vSeg),
    vOutro: sum((it) => it.vOutro),
    vBC: sum((it) => it.icms?.vBC ?? 0n),
    vICMS: sum((it) => (it.icms && !CST_NO_ICMS_TOTAL.has(it.cst) ? it.icms.vICMS : 0n)),
    vTotTrib: sum((it) => it.vTotTrib ?? 0n),
    vNF: 0n,
  };
  const base = { ...computed, ...totalsGiven };
  computed.vNF = base.vProd - base.vDesc + base.vFrete + base.vSeg + base.vOutro;
  const totals: Totals = { ...computed, ...totalsGiven };

  const requisicao = completeRequest(body, items, totals, natOp);
  return {
    ok: true,
    note: {
      dhEmiText: date.text,
      dhEmi: date.parsed,
      natOp,
      indPres,
      modFrete,
      idDest,
      dest,
      items,
      payments,
      troco,
      totalsGiven,
      totals,
      numero,
      serie,
      cnf,
      infCpl: present(body.informacoes_adicionais_contribuinte) ? str(body.informacoes_adicionais_contribuinte) : null,
      infAdFisco: present(body.informacoes_adicionais_fisco) ? str(body.informacoes_adicionais_fisco) : null,
      ibscbs,
      requisicao,
    },
  };
}

const money = (v: bigint) => {
  const s = String(v).padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
};

/** §8 item 15: fill omitted totals and item values, force the NFC-e constants. */
function completeRequest(body: Record<string, unknown>, items: NormItem[], t: Totals, natOp: string): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(body);
  out.natureza_operacao = natOp;
  out.tipo_documento = '1';
  out.consumidor_final = '1';
  out.finalidade_emissao = '1';
  out.valor_produtos = money(t.vProd);
  out.valor_desconto = money(t.vDesc);
  out.valor_frete = money(t.vFrete);
  out.valor_seguro = money(t.vSeg);
  out.valor_outras_despesas = money(t.vOutro);
  out.valor_total = money(t.vNF);
  out.icms_base_calculo = money(t.vBC);
  out.icms_valor_total = money(t.vICMS);
  if (t.vTotTrib > 0n) out.valor_total_tributos = money(t.vTotTrib);
  out.items = (body.items as Record<string, unknown>[]).map((raw, i) => {
    const it = items[i] as NormItem;
    return {
      ...raw,
      unidade_tributavel: it.uTrib,
      quantidade_tributavel: present(raw.quantidade_tributavel) ? raw.quantidade_tributavel : raw.quantidade_comercial,
      valor_unitario_tributavel: present(raw.valor_unitario_tributavel) ? raw.valor_unitario_tributavel : raw.valor_unitario_comercial,
      valor_bruto: money(it.vProd),
      inclui_no_total: String(it.indTot),
      codigo_barras_comercial: it.ean,
      codigo_barras_tributavel: it.eanTrib,
      ...(it.icms ? { icms_valor: money(it.icms.vICMS) } : {}),
    };
  });
  return out;
}
