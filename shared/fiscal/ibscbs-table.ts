// The tax reform's (IBS/CBS) rates and rules as dated data (nfce-rules §8). Change these rows, not
// the code, when a new NT or regulation moves a rate or a date. Every value a source has not settled
// is listed in the row's `unconfirmed`, so a reviewer (and a test) can see what is still a guess.
import type { Crt } from '../sale.ts';

export type IbsCbsUnknown = 'cbs' | 'ibsUf' | 'ibsMun' | 'vItemIncludesTax' | 'baseExcludesIcms';

export interface IbsCbsPeriod {
  /** First day (local date of data_emissao, YYYY-MM-DD) the row applies. */
  from: string;
  /** Rates in percent, as the XML/Focus carry them (up to 4 decimals). */
  cbs: string;
  ibsUf: string;
  ibsMun: string;
  /** Whether vItem (valor_total_item) adds IBS/CBS ("por fora"). 2026: no (NT 2025.002). */
  vItemIncludesTax: boolean;
  /** Whether the item's ICMS is taken out of the IBS/CBS base (LC 214/2025 art. 12 transition rule). */
  baseExcludesIcms: boolean;
  /** The values of this row no source has confirmed yet [?]. */
  unconfirmed: readonly IbsCbsUnknown[];
  source: string;
}

export const IBS_CBS_PERIODS: readonly IbsCbsPeriod[] = [
  {
    from: '2026-01-01',
    cbs: '0.90',
    ibsUf: '0.10',
    ibsMun: '0.00',
    vItemIncludesTax: false,
    baseExcludesIcms: true,
    unconfirmed: ['baseExcludesIcms'],
    source: 'LC 214/2025 art. 343-348; NT 2025.002 (test year: CBS 0,9 %, IBS 0,1 %); rejections 1026/1036/1037',
  },
  {
    from: '2027-01-01',
    // The 2027 CBS is "reference rate minus 0.1 point" and not published yet: 0.90 is a placeholder
    // so notes keep flowing; replace it the day the rate is set (the sandbox does not check it).
    cbs: '0.90',
    ibsUf: '0.05',
    ibsMun: '0.05',
    vItemIncludesTax: false,
    baseExcludesIcms: true,
    unconfirmed: ['cbs', 'ibsMun', 'vItemIncludesTax', 'baseExcludesIcms'],
    source: 'nfce-rules §8.2/§8.4: IBS-UF 0,05 % (rejection 1027); CBS and IBS-Mun not set',
  },
];

/**
 * From which note date (local, YYYY-MM-DD) the law requires the group for each regime (nfce-rules
 * §8.3): regime normal since 01/01/2026; Simples, excess of sublimit and MEI from 04/01/2027 (UB12-10).
 */
export const IBS_CBS_REQUIRED_FROM: Readonly<Record<Crt, string>> = {
  1: '2027-01-04',
  2: '2027-01-04',
  3: '2026-01-01',
  4: '2027-01-04',
};

/** The store default a shop's accountant confirms (nfce-rules §8.3 typical 2026 default). */
export const IBS_CBS_DEFAULT_CODES = { cst: '000', cClassTrib: '000001' } as const;

/** CSTs Balcão computes: 000 = tributação integral. Others need reductions/deferral groups. */
export const IBS_CBS_SUPPORTED_CST: ReadonlySet<string> = new Set(['000']);
