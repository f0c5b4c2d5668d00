import { describe, expect, it } from 'vitest';
import { CodePageError, encodeText, parseCodePage, transliterate } from '../../../../main/printing/codepage.ts';

describe('parseCodePage', () => {
  it('defaults to cp860 (Portuguese), Epson table 3', () => {
    expect(parseCodePage('')).toEqual({ name: 'cp860', table: 3 });
    expect(parseCodePage(undefined)).toEqual({ name: 'cp860', table: 3 });
  });

  it('accepts the usual spellings and a table number for clones', () => {
    expect(parseCodePage('CP850')).toEqual({ name: 'cp850', table: 2 });
    expect(parseCodePage('PC860')).toEqual({ name: 'cp860', table: 3 });
    expect(parseCodePage('WPC1252')).toEqual({ name: 'windows1252', table: 16 });
    expect(parseCodePage('cp858')).toEqual({ name: 'cp858', table: 19 });
    expect(parseCodePage('cp860:17')).toEqual({ name: 'cp860', table: 17 });
    expect(parseCodePage('windows1252@45')).toEqual({ name: 'windows1252', table: 45 });
  });

  it('refuses unknown pages and tables with a message in Portuguese', () => {
    expect(() => parseCodePage('cp437')).toThrow(CodePageError);
    expect(() => parseCodePage('utf8')).toThrow(/não suportada/);
    expect(() => parseCodePage('cp860:300')).toThrow(/tabela inválido/);
  });
});

describe('transliterate / encodeText', () => {
  it('keeps Portuguese accents in cp860 and maps them to the right bytes', () => {
    const line = 'ação ÇÃO áéíóú âêô ãõ à ü';
    expect(transliterate(line, 'cp860')).toBe(line);
    const bytes = encodeText('çÇãÃõ', 'cp860');
    expect([...bytes]).toEqual([0x87, 0x80, 0x84, 0x8e, 0x94]);
    expect([...encodeText('çÇãÃõ', 'windows1252')]).toEqual([0xe7, 0xc7, 0xe3, 0xc3, 0xf5]);
  });

  it('replaces typographic characters instead of printing "?"', () => {
    expect(transliterate('HOMOLOGAÇÃO – SEM “VALOR” … €', 'cp860')).toBe('HOMOLOGAÇÃO - SEM "VALOR" ... EUR');
    expect(transliterate('ñ ß Ø', 'cp860')).toBe('ñ ß ?');
    expect(transliterate('Ő', 'cp860')).toBe('O');
    // cp858 has the euro sign, cp850 does not
    expect(transliterate('€', 'cp858')).toBe('€');
    expect(transliterate('€', 'cp850')).toBe('EUR');
  });
});

describe('encodeText fast path', () => {
  it('matches the transliterated text byte for byte, including decomposed accents', () => {
    const samples = ['Café com pão – R$ 1,00…', 'a\u0303o CORAC\u0327A\u0303O', 'Ø€™ 😀 fim', 'simples ASCII 123'];
    for (const s of samples) {
      for (const page of ['cp860', 'windows1252', 'cp850'] as const) {
        const expected = [...transliterate(s, page)].map((ch) => encodeText(ch, page)[0]);
        expect([...encodeText(s, page)], `${s} in ${page}`).toEqual(expected);
      }
    }
    expect(new TextDecoder('latin1').decode(encodeText('a\u0303o', 'windows1252'))).toBe('ão');
  });
});
