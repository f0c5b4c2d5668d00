import { describe, expect, it } from 'vitest';
import { csvMoney, neutralise, toCsv } from '../../../../main/reports/csv.ts';

describe('CSV export', () => {
  it('neutralises cells a spreadsheet would run as a formula', () => {
    for (const evil of ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) expect(neutralise(evil)).toBe(`'${evil}`);
    expect(neutralise('Café 500g')).toBe('Café 500g');
  });
  it('writes money with a decimal comma, and quotes what needs quoting', () => {
    expect(csvMoney(123_456)).toBe('1234,56');
    expect(csvMoney(-5)).toBe('-0,05');
    const csv = toCsv(
      ['Produto', 'Valor (R$)'],
      [
        ['=cmd|calc', { number: csvMoney(-150) }],
        ['Pão; "francês"', { number: '1,00' }],
      ],
    );
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1)).toBe(`Produto;Valor (R$)\r\n'=cmd|calc;-1,50\r\n"Pão; ""francês""";1,00\r\n`);
  });
});
