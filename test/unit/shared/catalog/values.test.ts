import { describe, expect, it } from 'vitest';
import {
  looksLikeFormula,
  neutraliseFormula,
  priceWithMarkup,
  readBool,
  readCents,
  readDigits,
  readGtin,
  readPercentBp,
} from '../../../../shared/catalog/values.ts';
import { suggestMapping } from '../../../../shared/catalog/columns.ts';

describe('pt-BR spreadsheet values', () => {
  it('reads prices the way shops write them', () => {
    expect(readCents('1.234,56')).toEqual({ ok: true, value: 123_456 });
    expect(readCents('R$ 9,9')).toEqual({ ok: true, value: 990 });
    expect(readCents('12.50')).toEqual({ ok: true, value: 1250 });
    expect(readCents('1,234.50')).toEqual({ ok: true, value: 123_450 });
    expect(readCents(7.49)).toEqual({ ok: true, value: 749 });
    expect(readCents('3')).toEqual({ ok: true, value: 300 });
  });

  it('refuses negative, malformed and over-precise prices with a reason', () => {
    expect(readCents('-3,50')).toEqual({ ok: false, reason: 'preço negativo' });
    expect(readCents('doze')).toMatchObject({ ok: false, reason: expect.stringContaining('não é um número') });
    expect(readCents('1,234')).toMatchObject({ ok: false, reason: 'no máximo 2 casas decimais' });
    expect(readCents('250.000,00')).toMatchObject({ ok: false });
  });

  it('reads percentages, booleans, digits and GTINs', () => {
    expect(readPercentBp('18%')).toEqual({ ok: true, value: 1800 });
    expect(readPercentBp('31,45')).toEqual({ ok: true, value: 3145 });
    expect(readPercentBp('101')).toMatchObject({ ok: false });
    expect(readBool('Sim')).toEqual({ ok: true, value: true });
    expect(readBool('não')).toEqual({ ok: true, value: false });
    expect(readBool('talvez')).toMatchObject({ ok: false });
    expect(readDigits('1905.90.90', 8, 'NCM')).toEqual({ ok: true, value: '19059090' });
    expect(readDigits(4012010, 8, 'NCM')).toEqual({ ok: true, value: '04012010' });
    expect(readDigits('190590', 8, 'NCM')).toMatchObject({ ok: false, reason: 'NCM tem 8 dígitos (veio 6)' });
    expect(readGtin('SEM GTIN')).toEqual({ ok: true, value: null });
    expect(readGtin(7891000315507)).toEqual({ ok: true, value: '7891000315507' });
    expect(readGtin('12345')).toMatchObject({ ok: false });
  });

  it('spots formulas, neutralises them on export, and leaves signed numbers alone', () => {
    expect(looksLikeFormula('=1+1')).toBe(true);
    expect(looksLikeFormula('@SUM(A1)')).toBe(true);
    expect(looksLikeFormula('+55 11 9999')).toBe(true);
    expect(looksLikeFormula('-3,50')).toBe(false);
    expect(looksLikeFormula('Pão')).toBe(false);
    expect(neutraliseFormula('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(neutraliseFormula('Pão')).toBe('Pão');
  });

  it('applies a markup over cost rounded to the centavo', () => {
    expect(priceWithMarkup(455, 3000)).toBe(592);
    expect(priceWithMarkup(1000, 0)).toBe(1000);
  });

  it('maps headers regardless of accents and case', () => {
    expect(suggestMapping(['CODIGO', 'Descricao', 'Preço', 'EAN', 'ncm', 'CSOSN'])).toEqual({ code: 0, description: 1, price: 2, gtin: 3, ncm: 4, icms: 5 });
  });
});
