import { describe, expect, it } from 'vitest';
import { parseAmount } from '../../../../shared/register/amount.ts';
import { countTotalCents, DenominationCounts } from '../../../../shared/register/denominations.ts';
import { compareDeclaration } from '../../../../shared/register/report.ts';
import { groupOf } from '../../../../shared/register/methods.ts';

describe('parseAmount', () => {
  it.each([
    ['150', 15_000],
    ['150,5', 15_050],
    ['1.234,56', 123_456],
    ['R$ 20,00', 2_000],
    ['12.50', 1_250],
    ['0', 0],
  ])('%s → %d centavos', (text, cents) => {
    expect(parseAmount(text, { allowZero: true })).toEqual({ ok: true, cents });
  });
  it.each([
    ['', 'amount_empty'],
    ['   ', 'amount_empty'],
    ['-5', 'amount_negative'],
    ['R$ -5,00', 'amount_negative'],
    ['12,345', 'amount_format'],
    ['abc', 'amount_format'],
    ['1,2,3', 'amount_format'],
    ['0', 'amount_zero'],
  ])('refuses %j with %s and a pt-BR sentence', (text, code) => {
    const r = parseAmount(text);
    expect(r).toMatchObject({ ok: false, code });
    expect(!r.ok && r.message).toMatch(/valor|Informe/);
  });
});

describe('denominations', () => {
  it('totals a count by note and coin', () => {
    expect(countTotalCents({ '20000': 1, '5000': 3, '25': 4, '1': 2 })).toBe(20_000 + 15_000 + 100 + 2);
  });
  it('refuses negative, fractional and unknown counts with Portuguese messages', () => {
    const neg = DenominationCounts.safeParse({ '5000': -1 });
    expect(neg.success).toBe(false);
    expect(neg.error!.issues[0]!.message).toMatch(/negativa/);
    expect(DenominationCounts.safeParse({ '5000': 1.5 }).error!.issues[0]!.message).toMatch(/inteiro/);
    expect(DenominationCounts.safeParse({ '300': 1 }).success).toBe(false);
    expect(DenominationCounts.safeParse({ '100': 2 }).success).toBe(true);
  });
});

describe('blind closing comparison', () => {
  it('declared − expected per group: negative is missing, positive is surplus', () => {
    const lines = compareDeclaration(
      { cash: 10_000, card: 5_000, pix: 0, other: 0 },
      { cashCounts: {}, cashCents: 9_500, cardCents: 5_000, pixCents: 100, otherCents: 0 },
    );
    expect(lines).toEqual([
      { group: 'cash', expectedCents: 10_000, declaredCents: 9_500, differenceCents: -500 },
      { group: 'card', expectedCents: 5_000, declaredCents: 5_000, differenceCents: 0 },
      { group: 'pix', expectedCents: 0, declaredCents: 100, differenceCents: 100 },
      { group: 'other', expectedCents: 0, declaredCents: 0, differenceCents: 0 },
    ]);
  });
  it('groups tPag codes the way the cashier declares them', () => {
    expect(['01', '03', '04', '17', '20', '10', '99'].map(groupOf)).toEqual(['cash', 'card', 'card', 'pix', 'pix', 'other', 'other']);
  });
});
