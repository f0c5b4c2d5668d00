// Brazilian cash as a cashier counts it: notes and coins of the Real, in centavos. The opening
// float and the blind closing count are both "how many of each", totalled here on both sides.
import { z } from 'zod';

export const DENOMINATIONS_CENTS = [20_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100, 50, 25, 10, 5, 1] as const;

/** 20000 → 'R$ 200', 50 → '50 centavos', 100 → 'R$ 1 (moeda)'. */
export function denominationLabel(cents: number): string {
  if (cents >= 200) return `R$ ${cents / 100}`;
  if (cents === 100) return 'R$ 1 (moeda)';
  return `${cents} centavo${cents === 1 ? '' : 's'}`;
}

/** Counts per denomination (key: centavos as a string). Negative, fractional or absurd counts are refused. */
export const DenominationCounts = z.partialRecord(
  z.enum(DENOMINATIONS_CENTS.map(String) as [string, ...string[]], { message: 'cédula ou moeda desconhecida' }),
  z
    .number({ message: 'informe a quantidade em números' })
    .int({ message: 'a quantidade de cédulas e moedas é um número inteiro' })
    .min(0, { message: 'a quantidade não pode ser negativa' })
    .max(100_000, { message: 'quantidade grande demais' }),
);
export type DenominationCounts = Partial<Record<string, number>>;

export function countTotalCents(counts: DenominationCounts): number {
  let total = 0;
  for (const [k, n] of Object.entries(counts)) total += Number(k) * (n ?? 0);
  return total;
}
