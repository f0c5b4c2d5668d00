import { describe, expect, it } from 'vitest';
import { center, glueMeasures, labelValue, right, unglue, wrap, wrapBalanced, wrapSegments } from '../../../../shared/receipt/text.ts';

describe('wrap', () => {
  it('breaks on spaces and never exceeds the width', () => {
    expect(wrap('Pão de Forma Integral Sem Adição de Açúcar', 16)).toEqual(['Pão de Forma', 'Integral Sem', 'Adição de Açúcar']);
  });

  it('gives the first line its own width (text after a code)', () => {
    expect(wrap('um dois tres quatro', 10, 4)).toEqual(['um', 'dois tres', 'quatro']);
  });

  it('cuts words longer than the line, preferring URL separators', () => {
    const lines = wrap('http://www.fazenda.pr.gov.br/nfce/consulta', 32);
    expect(lines).toEqual(['http://www.fazenda.pr.gov.br/', 'nfce/consulta']);
    expect(wrap('A'.repeat(25), 10)).toEqual(['A'.repeat(10), 'A'.repeat(10), 'A'.repeat(5)]);
  });

  it('squashes whitespace and survives empty text', () => {
    expect(wrap('  a \n\t b  ', 10)).toEqual(['a b']);
    expect(wrap('', 10)).toEqual(['']);
  });

  it('keeps every line within the width for arbitrary input', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 300; n++) {
      const words = Array.from({ length: 1 + Math.floor(rnd() * 20) }, () => 'x'.repeat(1 + Math.floor(rnd() * 40)));
      const width = 8 + Math.floor(rnd() * 40);
      const first = 1 + Math.floor(rnd() * width);
      const lines = wrap(words.join(' '), width, first);
      expect(lines[0]?.length).toBeLessThanOrEqual(first);
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(width);
      expect(lines.join('').replace(/ /g, '')).toBe(words.join(''));
    }
  });
});

describe('layout helpers', () => {
  it('wrapBalanced evens out the lines of a centered heading', () => {
    expect(wrapBalanced('EMITIDA EM AMBIENTE DE HOMOLOGAÇÃO – SEM VALOR FISCAL', 48)).toEqual(['EMITIDA EM AMBIENTE DE', 'HOMOLOGAÇÃO – SEM VALOR FISCAL']);
  });

  it('wrapSegments keeps segments whole', () => {
    expect(wrapSegments(['NFC-e nº 000000123', 'Série 001', '24/11/2026 10:15:09'], 32)).toEqual(['NFC-e nº 000000123 Série 001', '24/11/2026 10:15:09']);
  });

  it('labelValue right-aligns the value at the width, wrapping a long label', () => {
    expect(labelValue('Troco R$', '43,75', 20)).toEqual(['Troco R$       43,75']);
    const l = labelValue('Pagamento Eletrônico não Informado', '1.234,56', 20);
    expect(l).toEqual(['Pagamento Eletrônico', 'não Informado', '            1.234,56']);
    for (const line of l) expect(line.length).toBeLessThanOrEqual(20);
  });

  it('center and right pad to the width', () => {
    expect(center('ab', 6)).toBe('  ab');
    expect(right('ab', 6)).toBe('    ab');
  });

  it('glues a measure to its number so "450 g" never splits', () => {
    const lines = wrap(glueMeasures('Grãos Selecionados 450 g'), 22).map(unglue);
    expect(lines).toEqual(['Grãos Selecionados', '450 g']);
  });
});
