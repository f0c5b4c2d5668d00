// The tax reform (IBS/CBS) as Focus receives it and SEFAZ checks it (focus-nfce-api §3.10, §8 items
// 35–36; nfce-rules §8). Written from the spec, independently of Balcão's own rate table: the
// simulator's rates are SEFAZ's, so a wrong row in the app's table shows up as a rejection here.
import { toFocusDateTime } from '../../shared/datetime.ts';
import type { Crt } from '../../shared/sale.ts';
import { centsText, divRound, parseDecimal, scaledText } from './decimal.ts';
import type { Environment, IbsCbsRules } from './types.ts';

export interface NormItemIbsCbs {
  cst: string;
  cClassTrib: string;
  /** centavos */
  vBC: bigint;
  /** percent × 10⁴ (0.90 % → 9000n) */
  pIBSUF: bigint;
  vIBSUF: bigint;
  pIBSMun: bigint;
  vIBSMun: bigint;
  vIBS: bigint;
  pCBS: bigint;
  vCBS: bigint;
}

export interface NormIbsCbsTotals {
  vBC?: bigint;
  vIBSUF?: bigint;
  vIBSMun?: bigint;
  vIBS?: bigint;
  vCBS?: bigint;
}

export interface NormNoteIbsCbs {
  /** Per item, null when that item carries no group. */
  items: (NormItemIbsCbs | null)[];
  /** valor_total_item per item (vItem), null when absent. */
  vItem: (bigint | null)[];
  totalsGiven: NormIbsCbsTotals;
  /** The totals as written in the XML: the given ones, else the item sums (lenient mode). */
  totals: Required<NormIbsCbsTotals>;
  vNFTot: bigint | null;
  cMunFGIBS: string | null;
}

type Issue = { mensagem: string; campo: string | null };

const present = (v: unknown) => v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');
const str = (v: unknown) => (typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '');

/** The item keys that make an item "carry the group". */
const GROUP_KEYS = ['ibs_cbs_situacao_tributaria', 'ibs_cbs_classificacao_tributaria', 'ibs_cbs_base_calculo', 'cbs_aliquota', 'ibs_uf_aliquota'];

function dec(v: unknown, scale: number, campo: string, issues: Issue[]): bigint {
  if (!present(v)) return 0n;
  const r = parseDecimal(v, scale);
  if (!r.ok) {
    issues.push({ mensagem: `${campo}: valor decimal inválido (recebido ${JSON.stringify(v)})`, campo });
    return 0n;
  }
  return r.value;
}

/** Reads the IBS/CBS fields of the items and of the note; format problems go to `issues` (422). */
export function parseIbsCbs(body: Record<string, unknown>, rawItems: Record<string, unknown>[], issues: Issue[]): NormNoteIbsCbs {
  const items = rawItems.map((raw, i): NormItemIbsCbs | null => {
    if (!GROUP_KEYS.some((k) => present(raw[k]))) return null;
    const at = (f: string) => `items[${i}].${f}`;
    const cst = str(raw.ibs_cbs_situacao_tributaria);
    const cClassTrib = str(raw.ibs_cbs_classificacao_tributaria);
    if (!/^\d{3}$/.test(cst))
      issues.push({
        mensagem: `Item ${i + 1}: ibs_cbs_situacao_tributaria deve ter 3 dígitos (recebido ${JSON.stringify(raw.ibs_cbs_situacao_tributaria)})`,
        campo: at('ibs_cbs_situacao_tributaria'),
      });
    if (!/^\d{6}$/.test(cClassTrib))
      issues.push({
        mensagem: `Item ${i + 1}: ibs_cbs_classificacao_tributaria deve ter 6 dígitos (recebido ${JSON.stringify(raw.ibs_cbs_classificacao_tributaria)})`,
        campo: at('ibs_cbs_classificacao_tributaria'),
      });
    const vIBSUF = dec(raw.ibs_uf_valor, 2, at('ibs_uf_valor'), issues);
    const vIBSMun = dec(raw.ibs_mun_valor, 2, at('ibs_mun_valor'), issues);
    return {
      cst,
      cClassTrib,
      vBC: dec(raw.ibs_cbs_base_calculo, 2, at('ibs_cbs_base_calculo'), issues),
      pIBSUF: dec(raw.ibs_uf_aliquota, 4, at('ibs_uf_aliquota'), issues),
      vIBSUF,
      pIBSMun: dec(raw.ibs_mun_aliquota, 4, at('ibs_mun_aliquota'), issues),
      vIBSMun,
      vIBS: present(raw.ibs_valor_total) ? dec(raw.ibs_valor_total, 2, at('ibs_valor_total'), issues) : vIBSUF + vIBSMun,
      pCBS: dec(raw.cbs_aliquota, 4, at('cbs_aliquota'), issues),
      vCBS: dec(raw.cbs_valor, 2, at('cbs_valor'), issues),
    };
  });
  const vItem = rawItems.map((raw, i) => (present(raw.valor_total_item) ? dec(raw.valor_total_item, 2, `items[${i}].valor_total_item`, issues) : null));
  const totalsGiven: NormIbsCbsTotals = {};
  const keys: [keyof NormIbsCbsTotals, string][] = [
    ['vBC', 'ibs_cbs_base_calculo'],
    ['vIBSUF', 'ibs_uf_valor_total'],
    ['vIBSMun', 'ibs_mun_valor_total'],
    ['vIBS', 'ibs_valor_total'],
    ['vCBS', 'cbs_valor_total'],
  ];
  for (const [k, f] of keys) if (present(body[f])) totalsGiven[k] = dec(body[f], 2, f, issues);
  const sum = (f: (g: NormItemIbsCbs) => bigint) => items.reduce((a, g) => a + (g ? f(g) : 0n), 0n);
  const totals = {
    vBC: totalsGiven.vBC ?? sum((g) => g.vBC),
    vIBSUF: totalsGiven.vIBSUF ?? sum((g) => g.vIBSUF),
    vIBSMun: totalsGiven.vIBSMun ?? sum((g) => g.vIBSMun),
    vIBS: totalsGiven.vIBS ?? sum((g) => g.vIBS),
    vCBS: totalsGiven.vCBS ?? sum((g) => g.vCBS),
  };
  const cMun = present(body.ibs_cbs_municipio) ? str(body.ibs_cbs_municipio) : null;
  if (cMun !== null && !/^\d{7}$/.test(cMun)) issues.push({ mensagem: 'ibs_cbs_municipio deve ser o código IBGE de 7 dígitos', campo: 'ibs_cbs_municipio' });
  return {
    items,
    vItem,
    totalsGiven,
    totals,
    vNFTot: present(body.ibs_cbs_is_valor_total) ? dec(body.ibs_cbs_is_valor_total, 2, 'ibs_cbs_is_valor_total', issues) : null,
    cMunFGIBS: cMun,
  };
}

/** Defaults of §8 item 36: CRT 3 from 03/08/2026 (production) / 01/07/2026 (homologation); CRT 1/2/4 from 04/01/2027. */
export const DEFAULT_IBS_CBS_RULES: Required<Omit<IbsCbsRules, 'valueStatusSefaz'>> & { valueStatusSefaz: string } = {
  crt3From: { producao: '2026-08-03', homologacao: '2026-07-01' },
  simplesFrom: '2027-01-04',
  totals: 'strict',
  reject1118: true,
  valueStatusSefaz: '1030',
};

export const IBS_CBS_MSG: Record<string, string> = {
  '1115': 'Rejeição: IBS/CBS não informado',
  '1026': 'Rejeição: Alíquota do IBS de competência da UF difere da alíquota vigente',
  '1027': 'Rejeição: Alíquota do IBS de competência da UF difere da alíquota vigente no período de transição',
  '1036': 'Rejeição: Alíquota do IBS de competência do Município difere da alíquota vigente',
  '1037': 'Rejeição: Alíquota da CBS difere da alíquota vigente',
  '1118': 'Rejeição: Totalizador do IBS/CBS informado para CST que não permite',
};

/** CST/cClassTrib pairs whose items may not be totalled in IBSCBSTot (reported for 010/010002). */
const NO_TOTALS: ReadonlySet<string> = new Set(['010:010002']);

export interface IbsCbsRuleContext {
  env: Environment;
  crt: Crt;
  /** SEFAZ receipt time (epoch ms); the rule's date for an online note. */
  now: number;
  offline: boolean;
  /** data_emissao text (date of a retroactive offline note, and the year of the rates). */
  dhEmiText: string;
  rules: IbsCbsRules | undefined;
}

export interface IbsCbsRejection {
  cStat: string;
  xMotivo: string;
}

const rate = (percent: string) => BigInt(Math.round(Number(percent) * 10_000));

/** The first SEFAZ rejection of the IBS/CBS rules, or null; `warn` collects what SEFAZ lets through. */
export function ibsCbsCheck(g: NormNoteIbsCbs, itemsCount: number, ctx: IbsCbsRuleContext, warn: (w: string) => void): IbsCbsRejection | null {
  const rules = { ...DEFAULT_IBS_CBS_RULES, ...ctx.rules };
  // SEFAZ keys these rules on its own clock (Brasília), or on dhEmi for a retroactive offline note.
  const date = ctx.offline ? ctx.dhEmiText.slice(0, 10) : toFocusDateTime(ctx.now, -180).slice(0, 10);
  const switchDate = ctx.crt === 3 ? (rules.crt3From === null ? null : rules.crt3From[ctx.env]) : rules.simplesFrom;
  const any = g.items.some((x) => x !== null);
  if (switchDate !== null && date >= switchDate) {
    const missing = g.items.findIndex((x) => x === null);
    if (missing >= 0) return { cStat: '1115', xMotivo: `${IBS_CBS_MSG['1115']} [nItem: ${missing + 1}]` };
  }
  if (!any) return null;

  const year = Number(ctx.dhEmiText.slice(0, 4));
  const value = (what: string, n: number) => ({ cStat: rules.valueStatusSefaz, xMotivo: `Rejeição: ${what} [nItem: ${n}]` });
  for (const [i, it] of g.items.entries()) {
    if (!it) continue;
    const n = i + 1;
    if (year === 2026) {
      if (it.pIBSUF !== rate('0.10')) return { cStat: '1026', xMotivo: `${IBS_CBS_MSG['1026']} [nItem: ${n}]` };
      if (it.pIBSMun !== 0n) return { cStat: '1036', xMotivo: `${IBS_CBS_MSG['1036']} [nItem: ${n}]` };
      if (it.pCBS !== rate('0.90')) return { cStat: '1037', xMotivo: `${IBS_CBS_MSG['1037']} [nItem: ${n}]` };
    } else if (year === 2027 || year === 2028) {
      // No CBS or IBS-Mun check until those rates are confirmed (§8 item 35).
      if (it.pIBSUF !== rate('0.05')) return { cStat: '1027', xMotivo: `${IBS_CBS_MSG['1027']} [nItem: ${n}]` };
    }
    const calc = (p: bigint) => divRound(it.vBC * p, 1_000_000n);
    const off = (a: bigint, b: bigint) => (a > b ? a - b : b - a) > 1n;
    if (off(it.vIBSUF, calc(it.pIBSUF))) return value(`Valor do IBS da UF difere de vBC × pIBSUF (${centsText(calc(it.pIBSUF))})`, n);
    if (off(it.vIBSMun, calc(it.pIBSMun))) return value(`Valor do IBS do Município difere de vBC × pIBSMun (${centsText(calc(it.pIBSMun))})`, n);
    if (off(it.vCBS, calc(it.pCBS))) return value(`Valor da CBS difere de vBC × pCBS (${centsText(calc(it.pCBS))}, alíquota ${scaledText(it.pCBS, 4)})`, n);
    if (it.vIBS !== it.vIBSUF + it.vIBSMun) return value('vIBS difere de vIBSUF + vIBSMun', n);
  }

  const t = g.totalsGiven;
  const keys = ['vBC', 'vIBSUF', 'vIBSMun', 'vIBS', 'vCBS'] as const;
  const given = keys.filter((k) => t[k] !== undefined);
  if (rules.reject1118 && given.length > 0 && g.items.every((x) => x === null || NO_TOTALS.has(`${x.cst}:${x.cClassTrib}`))) {
    return { cStat: '1118', xMotivo: IBS_CBS_MSG['1118'] as string };
  }
  if (given.length < keys.length && rules.totals === 'strict') {
    return { cStat: rules.valueStatusSefaz, xMotivo: 'Rejeição: Grupo de totais do IBS/CBS (IBSCBSTot) não informado' };
  }
  const sum = (f: (x: NormItemIbsCbs) => bigint) => g.items.reduce((a, x) => a + (x ? f(x) : 0n), 0n);
  const sums = { vBC: sum((x) => x.vBC), vIBSUF: sum((x) => x.vIBSUF), vIBSMun: sum((x) => x.vIBSMun), vIBS: sum((x) => x.vIBS), vCBS: sum((x) => x.vCBS) };
  for (const k of given) {
    const v = t[k] as bigint;
    if ((v > sums[k] ? v - sums[k] : sums[k] - v) > 1n)
      return { cStat: rules.valueStatusSefaz, xMotivo: `Rejeição: Total ${k} do IBS/CBS difere do somatório dos itens` };
  }
  const missingVItem = g.vItem.findIndex((v) => v === null);
  if (missingVItem >= 0 && missingVItem < itemsCount) warn(`valor_total_item ausente no item ${missingVItem + 1} (SEFAZ autoriza e aponta na auditoria)`);
  if (g.vNFTot === null) warn('ibs_cbs_is_valor_total (vNFTot) ausente (SEFAZ autoriza e aponta na auditoria)');
  else if (g.vItem.every((v) => v !== null)) {
    const sumItems = g.vItem.reduce<bigint>((a, v) => a + v, 0n);
    if (sumItems !== g.vNFTot) return { cStat: rules.valueStatusSefaz, xMotivo: 'Rejeição: vNFTot difere do somatório de vItem' };
  }
  return null;
}
