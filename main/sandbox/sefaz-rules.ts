// What SEFAZ itself rejects (status erro_autorizacao with a cStat), checked in SEFAZ's order on a
// note that already passed Focus's own validation. Messages are SEFAZ's (no accents, as it sends them).
import { isValidCnf } from '../../shared/fiscal/chave.ts';
import { HOMOLOG_DEST_NAME, HOMOLOG_ITEM_DESCRIPTION } from '../../shared/fiscal/homologation.ts';
import type { Crt } from '../../shared/sale.ts';
import { CSOSN_CODES, type NormNote } from './validation.ts';
import type { Environment, IbsCbsRules, PaymentRules } from './types.ts';
import type { SandboxContext } from './context.ts';
import { ibsCbsCheck } from './ibscbs.ts';

export interface SefazRejection {
  cStat: string;
  xMotivo: string;
}

/** How far data_emissao may be from SEFAZ's clock for a normal (tpEmis 1) note. */
export const EMISSION_WINDOW_MS = 5 * 60_000;

/**
 * NCMs the sandbox treats as absent from the TIPI table (cStat 778), so tests can trigger the
 * rejection on purpose. Real SEFAZ checks the full table; these are well-formed but unassigned codes.
 */
export const NCM_INEXISTENTE: ReadonlySet<string> = new Set(['99999999', '12345678', '11111111', '00000001']);

export const MSG = {
  '100': 'Autorizado o uso da NF-e',
  '102': 'Inutilizacao de numero homologado',
  '108': 'Servico Paralisado Momentaneamente (curto prazo)',
  '135': 'Evento registrado e vinculado a NF-e',
  '204': 'Rejeicao: Duplicidade de NF-e',
  '206': 'Rejeicao: NF-e ja esta inutilizada na Base de dados da SEFAZ',
  '217': 'Rejeicao: NF-e nao consta na base de dados da SEFAZ',
  '241': 'Um numero da faixa ja foi utilizado',
  '256': 'Rejeicao: Uma NF-e da faixa ja esta inutilizada na Base de dados da SEFAZ',
  '301': 'Uso Denegado: Irregularidade fiscal do emitente',
  '302': 'Uso Denegado: Irregularidade fiscal do destinatario',
  '303': 'Uso Denegado: Destinatario nao habilitado a operar na UF',
  '373': `Rejeicao: Descricao do primeiro item diferente de ${HOMOLOG_ITEM_DESCRIPTION}`,
  '501': 'Rejeicao: Prazo de cancelamento superior ao previsto na Legislacao',
  '528': 'Rejeicao: Valor do ICMS difere do produto BC e Aliquota',
  '531': 'Rejeicao: Total da BC ICMS difere do somatorio dos itens',
  '532': 'Rejeicao: Total do ICMS difere do somatorio dos itens',
  '535': 'Rejeicao: Total do Frete difere do somatorio dos itens',
  '536': 'Rejeicao: Total do Seguro difere do somatorio dos itens',
  '537': 'Rejeicao: Total do Desconto difere do somatorio dos itens',
  '539': 'Rejeicao: Duplicidade de NF-e, com diferenca na Chave de Acesso',
  '564': 'Rejeicao: Total do Produto / Servico difere do somatorio dos itens',
  '590': 'Rejeicao: Informado CST para emissor do Simples Nacional (CRT=1)',
  '591': 'Informado CSOSN para emissor que nao e do Simples Nacional (CRT diferente de 1)',
  '598': `Rejeicao: NF-e emitida em ambiente de homologacao com Razao Social do destinatario diferente de ${HOMOLOG_DEST_NAME}`,
  '610': 'Rejeicao: Total da NF difere do somatorio dos Valores compoe o valor Total da NF.',
  '629': 'Rejeicao: Valor do Produto difere do produto Valor Unitario de Comercializacao e Quantidade Comercial',
  '703': 'Rejeicao: Data-Hora de Emissao posterior ao horario de recebimento',
  '704': 'Rejeicao: NFC-e com Data-Hora de emissao atrasada',
  '725': 'Rejeicao: NFC-e com CFOP invalido',
  '767': 'Rejeicao: NFC-e com somatorio dos pagamentos diferente do total da Nota Fiscal',
  '865': 'Rejeicao: Total dos pagamentos menor que o total da nota',
  '866': 'Rejeicao: Ausencia de troco quando o valor dos pagamentos informados for maior que o total da nota',
  '778': 'Rejeicao: Informado NCM inexistente',
  '869': 'Rejeicao: Valor do troco incorreto',
  '897': 'Rejeicao: Codigo numerico em formato invalido',
} as const;

const reject = (cStat: keyof typeof MSG, suffix = ''): SefazRejection => ({ cStat, xMotivo: `${MSG[cStat]}${suffix}` });

export interface RuleContext {
  env: Environment;
  crt: Crt;
  /** SEFAZ receipt time, epoch ms. */
  now: number;
  /** forma_emissao=offline (tpEmis 9, retroactive dhEmi allowed). */
  offline: boolean;
  offlineMaxAgeMs: number;
  /** The number the note will carry (to compare with cNF). */
  numero: number;
  cnf: string;
  ibsCbs?: IbsCbsRules | undefined;
  payments?: PaymentRules | undefined;
  /** What SEFAZ accepts but flags (collected on the note). */
  warn?: (w: string) => void;
}

/** The company's regime as registered at Focus, and the rule knobs, for SEFAZ's checks. */
export function ruleKnobs(ctx: SandboxContext): Pick<RuleContext, 'crt' | 'ibsCbs' | 'payments'> {
  const f = ctx.faults.value;
  return { crt: f.company?.crt ?? ctx.emitter.crt, ibsCbs: f.ibsCbs, payments: f.payments };
}

/** The first SEFAZ rejection for this note, or null when SEFAZ would authorize it. */
export function sefazCheck(n: NormNote, ctx: RuleContext): SefazRejection | null {
  // Emission time (B09 rules): ±5 min online; contingency notes may be older, up to the deadline.
  const delta = n.dhEmi.epochMs - ctx.now;
  if (delta > EMISSION_WINDOW_MS) return reject('703');
  if (ctx.offline ? -delta > ctx.offlineMaxAgeMs : -delta > EMISSION_WINDOW_MS) return reject('704');

  if (!isValidCnf(ctx.cnf, ctx.numero)) return reject('897', ` [cNF: ${ctx.cnf}]`);

  if (ctx.env === 'homologacao') {
    if (n.items[0]?.descricao !== HOMOLOG_ITEM_DESCRIPTION) return reject('373');
    if (n.dest?.nome != null && n.dest.nome !== HOMOLOG_DEST_NAME) return reject('598');
  }

  for (const it of n.items) {
    const isCsosn = CSOSN_CODES.has(it.cst);
    if (isCsosn && ctx.crt !== 1 && ctx.crt !== 4) return reject('591', `. [nItem:${it.n}]`);
    if (!isCsosn && (ctx.crt === 1 || ctx.crt === 4)) return reject('590', ` [nItem:${it.n}]`);
  }
  for (const it of n.items) {
    // NFC-e is a sale to a final consumer inside the state: only 5.xxx CFOPs.
    if (!it.cfop.startsWith('5')) return reject('725', ` [nItem:${it.n}]`);
  }
  for (const it of n.items) if (NCM_INEXISTENTE.has(it.ncm)) return reject('778', ` [nItem:${it.n}]`);

  for (const it of n.items) {
    if (absDiff(it.vProd, it.vProdComputed) > 1n) return reject('629', ` [nItem:${it.n}]`);
    if (it.icms?.vICMSGiven) {
      const calc = (it.icms.vBC * it.icms.pICMS * 2n + 1_000_000n) / 2_000_000n;
      if (absDiff(it.icms.vICMS, calc) > 1n) return reject('528', ` [nItem:${it.n}]`);
    }
  }

  const g = n.totalsGiven;
  const t = n.totals;
  const sum = (f: (i: (typeof n.items)[number]) => bigint) => n.items.reduce((a, i) => a + f(i), 0n);
  if (g.vBC !== undefined && g.vBC !== sum((i) => i.icms?.vBC ?? 0n)) return reject('531');
  if (g.vICMS !== undefined && g.vICMS !== sumIcms(n)) return reject('532');
  if (g.vFrete !== undefined && g.vFrete !== sum((i) => i.vFrete)) return reject('535');
  if (g.vSeg !== undefined && g.vSeg !== sum((i) => i.vSeg)) return reject('536');
  if (g.vDesc !== undefined && g.vDesc !== sum((i) => i.vDesc)) return reject('537');
  if (g.vProd !== undefined && g.vProd !== sum((i) => (i.indTot === 1 ? i.vProd : 0n))) return reject('564');
  const expectedNF = t.vProd - t.vDesc + t.vFrete + t.vSeg + t.vOutro;
  if (g.vNF !== undefined && g.vNF !== expectedNF) return reject('610');

  const tax = ibsCbsCheck(
    n.ibscbs,
    n.items.length,
    {
      env: ctx.env,
      crt: ctx.crt,
      now: ctx.now,
      offline: ctx.offline,
      dhEmiText: n.dhEmiText,
      rules: ctx.ibsCbs,
    },
    ctx.warn ?? (() => {}),
  );
  if (tax) return tax;

  return paymentCheck(n, t.vNF, ctx.payments ?? {});
}

/**
 * Payments (YA rules, §8 item 14): 865 when they do not cover vNF (except tPag 90/91), 866 when they
 * pass it without vTroco, 869 when vTroco is not Σ vPag − vNF. The '767' style keeps the older code.
 */
function paymentCheck(n: NormNote, vNF: bigint, rules: PaymentRules): SefazRejection | null {
  const paid = n.payments.reduce((a, p) => a + p.vPag, 0n);
  const troco = n.troco ?? 0n;
  if (rules.style === '767') {
    if (paid < vNF) return reject('767');
    if (paid - troco !== vNF) return reject(troco === 0n ? '767' : '869');
    return null;
  }
  const exempt = n.payments.some((p) => p.tPag === '90' || p.tPag === '91');
  if (paid < vNF) return exempt ? null : reject('865');
  if (troco === 0n) return paid > vNF && !rules.fillTroco ? reject('866') : null;
  if (paid - troco !== vNF) return reject('869');
  return null;
}

function sumIcms(n: NormNote): bigint {
  return n.items.reduce((a, i) => a + (i.icms && !['40', '41', '50'].includes(i.cst) ? i.icms.vICMS : 0n), 0n);
}

const absDiff = (a: bigint, b: bigint) => (a > b ? a - b : b - a);
