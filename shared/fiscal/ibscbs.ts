// IBS/CBS of an NFC-e (NT 2025.002, nfce-rules §8): whether a note carries the group, and its values.
//
// Rounding rule (integer centavos throughout):
//   1. per item, base vBC = item total (vProd − vDesc) − the item's ICMS when the period says the
//      ICMS leaves the base (CST 00 only; zero for Simples/CSOSN);
//   2. per item and per tax, value = round-half-up(vBC × rate% / 100) to the centavo, rates kept
//      exact as integers of 1/10 000 % (0.90 % → 9 000);
//   3. vIBS = vIBSUF + vIBSMun of the already rounded values;
//   4. vItem = item total (+ vIBS + vCBS only when the period says IBS/CBS is "por fora");
//   5. note totals are the sums of the rounded item values (never recomputed from the total base),
//      so Σ items = total exactly, as SEFAZ compares them.
import type { Crt } from '../sale.ts';
import { IBS_CBS_DEFAULT_CODES, IBS_CBS_PERIODS, IBS_CBS_REQUIRED_FROM, type IbsCbsPeriod } from './ibscbs-table.ts';

export interface IbsCbsOptions {
  /** Manager switch: send the group before the law requires it for the shop's regime. */
  earlyStart?: boolean;
  /** Store default (tax profile) for products without their own codes. */
  defaultCst?: string;
  defaultClassTrib?: string;
  /** Test or update hook; the dated table by default. */
  periods?: readonly IbsCbsPeriod[];
}

/** The local date (YYYY-MM-DD) of a data_emissao ('2026-12-31T23:59:00-03:00' → '2026-12-31'). */
export function noteDate(dataEmissao: string): string {
  const d = dataEmissao.slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new RangeError(`data de emissão inválida: ${dataEmissao}`);
  return d;
}

export function periodFor(date: string, periods: readonly IbsCbsPeriod[] = IBS_CBS_PERIODS): IbsCbsPeriod | null {
  let found: IbsCbsPeriod | null = null;
  for (const p of periods) if (p.from <= date && (!found || p.from > found.from)) found = p;
  return found;
}

/** Whether the law requires the group from this regime on this date (nfce-rules §8.3). */
export function ibsCbsRequired(crt: Crt, date: string): boolean {
  return date >= IBS_CBS_REQUIRED_FROM[crt];
}

/** Whether the note is sent with the group: required by law, or switched on early by the manager. */
export function ibsCbsApplies(crt: Crt, date: string, opts: IbsCbsOptions = {}): boolean {
  if (ibsCbsRequired(crt, date)) return true;
  return opts.earlyStart === true && periodFor(date, opts.periods) !== null;
}

/** '0.90' → 9000 (1/10 000 of a percent). Up to 4 decimals, as the XML's Decimal[3.2-4]. */
export function rateE4(percent: string): number {
  const m = /^(\d{1,3})(?:\.(\d{1,4}))?$/.exec(percent);
  if (!m) throw new RangeError(`alíquota inválida: ${percent}`);
  return Number(m[1]) * 10_000 + Number(((m[2] ?? '') + '0000').slice(0, 4));
}

/** round-half-up(baseCents × rateE4 / 1 000 000): a percentage with 4 decimals applied to centavos. */
export function applyRateE4(baseCents: number, rate: number): number {
  if (!Number.isSafeInteger(baseCents) || !Number.isSafeInteger(rate) || baseCents < 0 || rate < 0) {
    throw new RangeError('base e alíquota devem ser inteiros não negativos');
  }
  const n = BigInt(baseCents) * BigInt(rate);
  const d = 1_000_000n;
  return Number((n * 2n + d) / (2n * d));
}

export interface IbsCbsItemInput {
  seq: number;
  /** vProd − vDesc of the item, centavos. */
  totalCents: number;
  /** vICMS of the item (CST 00), 0 otherwise. */
  icmsCents: number;
  ibsCbsCst?: string | null | undefined;
  cClassTrib?: string | null | undefined;
}

export interface ItemIbsCbs {
  seq: number;
  cst: string;
  cClassTrib: string;
  baseCents: number;
  ibsUfRate: string;
  ibsUfCents: number;
  ibsMunRate: string;
  ibsMunCents: number;
  ibsCents: number;
  cbsRate: string;
  cbsCents: number;
  vItemCents: number;
}

export interface NoteIbsCbs {
  period: IbsCbsPeriod;
  items: ItemIbsCbs[];
  baseCents: number;
  ibsUfCents: number;
  ibsMunCents: number;
  ibsCents: number;
  cbsCents: number;
  /** vNFTot = Σ vItem. */
  vNFTotCents: number;
}

/** The codes an item goes out with: its own, else the store default, else the national default. */
export function itemCodes(it: Pick<IbsCbsItemInput, 'ibsCbsCst' | 'cClassTrib'>, opts: IbsCbsOptions = {}): { cst: string; cClassTrib: string } {
  return {
    cst: it.ibsCbsCst ?? opts.defaultCst ?? IBS_CBS_DEFAULT_CODES.cst,
    cClassTrib: it.cClassTrib ?? opts.defaultClassTrib ?? IBS_CBS_DEFAULT_CODES.cClassTrib,
  };
}

/** Values per item and totals, by the rounding rule above. The caller checks the CSTs first. */
export function computeIbsCbs(items: readonly IbsCbsItemInput[], period: IbsCbsPeriod, opts: IbsCbsOptions = {}): NoteIbsCbs {
  const ufRate = rateE4(period.ibsUf);
  const munRate = rateE4(period.ibsMun);
  const cbsRate = rateE4(period.cbs);
  const out: ItemIbsCbs[] = items.map((it) => {
    const { cst, cClassTrib } = itemCodes(it, opts);
    const baseCents = Math.max(0, it.totalCents - (period.baseExcludesIcms ? it.icmsCents : 0));
    const ibsUfCents = applyRateE4(baseCents, ufRate);
    const ibsMunCents = applyRateE4(baseCents, munRate);
    const cbsCents = applyRateE4(baseCents, cbsRate);
    const ibsCents = ibsUfCents + ibsMunCents;
    return {
      seq: it.seq,
      cst,
      cClassTrib,
      baseCents,
      ibsUfRate: period.ibsUf,
      ibsUfCents,
      ibsMunRate: period.ibsMun,
      ibsMunCents,
      ibsCents,
      cbsRate: period.cbs,
      cbsCents,
      vItemCents: it.totalCents + (period.vItemIncludesTax ? ibsCents + cbsCents : 0),
    };
  });
  const sum = (f: (i: ItemIbsCbs) => number) => out.reduce((a, i) => a + f(i), 0);
  return {
    period,
    items: out,
    baseCents: sum((i) => i.baseCents),
    ibsUfCents: sum((i) => i.ibsUfCents),
    ibsMunCents: sum((i) => i.ibsMunCents),
    ibsCents: sum((i) => i.ibsCents),
    cbsCents: sum((i) => i.cbsCents),
    vNFTotCents: sum((i) => i.vItemCents),
  };
}
