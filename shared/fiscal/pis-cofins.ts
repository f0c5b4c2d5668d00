// PIS/COFINS on an NFC-e item (focus-nfce-api §3.5). The product's CST picks the XML group:
//   01, 02      PISAliq/COFINSAliq — taxed by rate: base, rate and value are sent;
//   03          PISQtde — taxed per unit sold (not emitted by Balcão yet);
//   04–09       PISNT — not taxed here (monofásico, ST, alíquota zero, isento…): the CST alone;
//   49–99       PISOutr — other operations: CST with zero base, rate and value.
// The basic rates of CST 01 are the law's, by the company's PIS/COFINS regime (a setting).
import { z } from 'zod';

export const PIS_COFINS_REGIMES = ['cumulativo', 'nao_cumulativo'] as const;
export const PisCofinsRegime = z.enum(PIS_COFINS_REGIMES);
export type PisCofinsRegime = z.infer<typeof PisCofinsRegime>;

/** Basis points: cumulativo (lucro presumido) 0,65 % / 3 %; não cumulativo (lucro real) 1,65 % / 7,6 %. */
export const PIS_COFINS_RATES: Readonly<Record<PisCofinsRegime, { pisBp: number; cofinsBp: number }>> = {
  cumulativo: { pisBp: 65, cofinsBp: 300 },
  nao_cumulativo: { pisBp: 165, cofinsBp: 760 },
};

export const PIS_COFINS_REGIME_LABELS: Readonly<Record<PisCofinsRegime, string>> = {
  cumulativo: 'Cumulativo (lucro presumido): PIS 0,65 %, COFINS 3 %',
  nao_cumulativo: 'Não cumulativo (lucro real): PIS 1,65 %, COFINS 7,6 %',
};

/** The CSTs of the NF-e table (01–09, 49, 50–56, 60–67, 70–75, 98, 99). */
export const PIS_COFINS_CSTS: ReadonlySet<string> = new Set(
  [...range(1, 9), 49, ...range(50, 56), ...range(60, 67), ...range(70, 75), 98, 99].map((n) => String(n).padStart(2, '0')),
);

export type PisCofinsGroup = 'aliq' | 'qtde' | 'nt' | 'outr';

/** The XML group a known CST goes in (the CST must be in PIS_COFINS_CSTS). */
export function pisCofinsGroup(cst: string): PisCofinsGroup {
  const n = Number(cst);
  if (n === 1 || n === 2) return 'aliq';
  if (n === 3) return 'qtde';
  if (n >= 4 && n <= 9) return 'nt';
  return 'outr';
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}
