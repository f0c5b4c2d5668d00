import { describe, expect, it } from 'vitest';
import {
  FORBIDDEN_CNF,
  buildChave,
  chaveDv,
  formatChave,
  generateCnf,
  isValidChave,
  isValidCnf,
  parseChave,
  stripNfePrefix,
} from '../../../../shared/fiscal/chave.ts';
import { seededRandom } from '../../../fixtures/seeded-random.ts';

describe('chaveDv / isValidChave (published vectors)', () => {
  it.each([
    '52060412ABC34501DE35550120000007801267301610', // sped-common, alphanumeric CNPJ
    '35170458716523000119550010000000121000123458', // sped-common build with cNF 00012345
    '35170400099999999999550010000000121000123459', // sped-common CPF issuer
    '35170358716523000119550010000000301000000300', // sped-common isValid
  ])('%s is valid', (chave) => {
    expect(isValidChave(chave)).toBe(true);
    expect(chaveDv(chave.slice(0, 43))).toBe(Number(chave[43]));
  });

  it('rejects a wrong DV and wrong shapes', () => {
    expect(isValidChave('35170358716523000119550010000000301000000306')).toBe(false);
    expect(isValidChave('5206041ABC34501DE35550120000007801267301610')).toBe(false); // 43 chars
    expect(isValidChave('52060412ABC34501DE3555012000000780126730161A')).toBe(false); // DV letter
    expect(isValidChave('5206041AABC34501DE3555012000000780126730161')).toBe(false);
    expect(isValidChave('52060412abc34501de35550120000007801267301610')).toBe(false); // lower case
    expect(isValidChave('')).toBe(false);
  });

  it('the Focus doc example key is fake: its DV is 0 but the rule gives 7', () => {
    expect(isValidChave('41190607504505000132650010000000121743484310')).toBe(false);
    expect(chaveDv('4119060750450500013265001000000012174348431')).toBe(7);
  });

  it('any single-character change of a valid chave is detected', () => {
    const chave = '52060412ABC34501DE35550120000007801267301610';
    for (let i = 0; i < 43; i++) {
      const c = chave[i] as string;
      const repl = /\d/.test(c) ? String((Number(c) + 1) % 10) : c === 'Z' ? 'A' : String.fromCharCode(c.charCodeAt(0) + 1);
      const changed = chave.slice(0, i) + repl + chave.slice(i + 1);
      expect(isValidChave(changed)).toBe(false);
    }
  });

  it('chaveDv rejects input that is not 43 characters', () => {
    expect(() => chaveDv('123')).toThrow(RangeError);
  });
});

describe('buildChave', () => {
  it('reproduces sped-common vectors', () => {
    expect(
      buildChave({ cUF: '35', dhEmi: '2017-04-10T10:00:00-03:00', cnpj: '58716523000119', modelo: '55', serie: 1, numero: 12, tpEmis: 1, cnf: '00012345' }),
    ).toBe('35170458716523000119550010000000121000123458');
    expect(buildChave({ uf: 'SP', dhEmi: '2017-04-10T10:00:00-03:00', cnpj: '99999999999', modelo: '55', serie: 1, numero: 12, tpEmis: 1, cnf: 12345 })).toBe(
      '35170400099999999999550010000000121000123459',
    );
    expect(
      buildChave({ uf: 'GO', dhEmi: '2006-04-15T08:00:00-03:00', cnpj: '12ABC34501DE35', modelo: '55', serie: 12, numero: 780, tpEmis: 1, cnf: '26730161' }),
    ).toBe('52060412ABC34501DE35550120000007801267301610');
  });

  it('builds an NFC-e offline chave (modelo 65 by default, tpEmis 9 at position 35)', () => {
    const chave = buildChave({ uf: 'PR', dhEmi: '2026-11-24T10:15:00-03:00', cnpj: '07504505000132', serie: 600, numero: 42, tpEmis: 9, cnf: '38561927' });
    expect(chave).toHaveLength(44);
    expect(isValidChave(chave)).toBe(true);
    expect(chave.slice(0, 34)).toBe('4126110750450500013265600000000042');
    expect(chave[34]).toBe('9');
    expect(chave.slice(35, 43)).toBe('38561927');
  });

  it('takes AAMM from the local date in dhEmi, not from UTC', () => {
    // 30/11 23:30 in Brasília is December in UTC; the chave must say 2611.
    const chave = buildChave({ uf: 'PR', dhEmi: '2026-11-30T23:30:00-03:00', cnpj: '07504505000132', serie: 1, numero: 1, tpEmis: 9, cnf: '38561927' });
    expect(chave.slice(2, 6)).toBe('2611');
  });

  it.each([
    [{ serie: 1000 }, /série/],
    [{ serie: -1 }, /série/],
    [{ numero: 0 }, /número/],
    [{ numero: 1_000_000_000 }, /número/],
    [{ cnf: '1234567' }, /cNF/],
    [{ cnpj: '123' }, /CNPJ\/CPF/],
    [{ dhEmi: '2026-11-30T23:30:00' }, /data\/hora/],
    [{ uf: undefined, cUF: '99' }, /UF/],
    [{ uf: 'PR', cUF: '35' }, /não conferem/],
    [{ tpEmis: 2 }, /tipo de emissão/],
  ])('rejects %j', (patch, message) => {
    const base = { uf: 'PR' as const, dhEmi: '2026-11-24T10:15:00-03:00', cnpj: '07504505000132', serie: 1, numero: 1, tpEmis: 9 as const, cnf: '38561927' };
    expect(() => buildChave({ ...base, ...(patch as object) })).toThrow(message);
  });
});

describe('parseChave / formatChave', () => {
  it('splits the fields (with or without the NFe prefix)', () => {
    const fields = parseChave('NFe52060412ABC34501DE35550120000007801267301610');
    expect(fields).toEqual({
      cUF: '52',
      uf: 'GO',
      aamm: '0604',
      year: 2006,
      month: 4,
      cnpj: '12ABC34501DE35',
      modelo: '55',
      serie: 12,
      numero: 780,
      tpEmis: 1,
      cnf: '26730161',
      dv: 0,
    });
    expect(parseChave('5206 0412 ABC3 4501 DE35 5501 2000 0007 8012 6730 1610')?.numero).toBe(780);
  });

  it('round-trips buildChave', () => {
    const chave = buildChave({
      uf: 'MG',
      dhEmi: '2026-07-01T00:00:00-03:00',
      cnpj: '12ABC34501DE35',
      serie: 999,
      numero: 999_999_999,
      tpEmis: 9,
      cnf: '00000123',
    });
    expect(parseChave(chave)).toMatchObject({
      uf: 'MG',
      aamm: '2607',
      cnpj: '12ABC34501DE35',
      modelo: '65',
      serie: 999,
      numero: 999_999_999,
      tpEmis: 9,
      cnf: '00000123',
    });
  });

  it('returns null for invalid keys', () => {
    expect(parseChave('41190607504505000132650010000000121743484310')).toBeNull();
    expect(parseChave('nonsense')).toBeNull();
  });

  it('formats 11 groups of 4', () => {
    const text = formatChave('NFe52060412ABC34501DE35550120000007801267301610');
    expect(text).toBe('5206 0412 ABC3 4501 DE35 5501 2000 0007 8012 6730 1610');
    expect(text.split(' ')).toHaveLength(11);
    expect(stripNfePrefix('NFe123')).toBe('123');
  });
});

describe('cNF', () => {
  it('has the 20 forbidden sequences of rule B03-10', () => {
    expect(FORBIDDEN_CNF).toHaveLength(20);
    expect(new Set(FORBIDDEN_CNF).size).toBe(20);
    for (const c of FORBIDDEN_CNF) expect(isValidCnf(c, 1)).toBe(false);
  });

  it('must differ numerically from nNF and have 8 digits', () => {
    expect(isValidCnf('38561927', 1)).toBe(true);
    expect(isValidCnf('00000777', 777)).toBe(false);
    expect(isValidCnf('00000777', 778)).toBe(true);
    expect(isValidCnf('3856192', 1)).toBe(false);
    expect(isValidCnf('3856192A', 1)).toBe(false);
  });

  it('generateCnf redraws forbidden values and the note number', () => {
    const queue = [12_345_678, 55_555_555, 777, 1_234_567, 38_561_927];
    const draw = (max: number) => {
      expect(max).toBe(100_000_000);
      return queue.shift() as number;
    };
    expect(generateCnf(777, draw)).toBe('38561927'); // 01234567 is forbidden too
    expect(queue).toEqual([]);
  });

  it('pads small draws to 8 digits', () => {
    expect(generateCnf(1, () => 42)).toBe('00000042');
  });

  it('gives up with an error on a broken random source instead of hanging', () => {
    expect(() => generateCnf(1, () => 0)).toThrow(/cNF/);
    expect(() => generateCnf(1, () => 100_000_000)).toThrow(RangeError);
    expect(() => generateCnf(1, () => 0.5)).toThrow(RangeError);
  });

  it('draws from the whole range with a real random source', () => {
    const rnd = seededRandom(99);
    const drawn = Array.from({ length: 1000 }, (_, i) => generateCnf(i + 1, (max) => Math.floor(rnd() * max)));
    for (const [i, c] of drawn.entries()) expect(isValidCnf(c, i + 1)).toBe(true);
    expect(new Set(drawn).size).toBeGreaterThan(990);
  });
});
