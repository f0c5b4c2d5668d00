import { describe, expect, it } from 'vitest';
import {
  cnpjCheckDigits,
  documentKind,
  formatCnpj,
  formatCpf,
  formatDocument,
  isValidCnpj,
  isValidCpf,
  normalizeDocument,
  validateDocument,
} from '../../../../shared/fiscal/cpf-cnpj.ts';
import { seededRandom } from '../../../fixtures/seeded-random.ts';

describe('CPF', () => {
  it.each(['12345678909', '123.456.789-09', '00000000191', '000.000.001-91', ' 529.982.247-25 '])('accepts %j', (cpf) => {
    expect(isValidCpf(cpf)).toBe(true);
  });

  it.each(['12345678901', '12345678900', '1234567890', '123456789091', '11111111111', '00000000000', '99999999999', 'abcdefghijk', ''])('rejects %j', (cpf) => {
    expect(isValidCpf(cpf)).toBe(false);
  });

  it('flipping any digit of a valid CPF invalidates it', () => {
    const base = '52998224725';
    for (let i = 0; i < 11; i++) {
      const d = Number(base[i]);
      const flipped = base.slice(0, i) + String((d + 1) % 10) + base.slice(i + 1);
      expect(isValidCpf(flipped)).toBe(false);
    }
  });
});

describe('CNPJ numeric and alphanumeric (ASCII − 48)', () => {
  it('computes the Receita Federal example 12.ABC.345/01DE-35', () => {
    expect(cnpjCheckDigits('12ABC34501DE')).toBe('35');
    expect(isValidCnpj('12ABC34501DE35')).toBe(true);
    expect(isValidCnpj('12.ABC.345/01DE-35')).toBe(true);
    expect(isValidCnpj('12.abc.345/01de-35')).toBe(true); // lower case is normalised
    expect(isValidCnpj('12ABC34501DE36')).toBe(false);
  });

  it.each(['12345678000195', '00000000000191', '07504505000132', '51916585000125', '58716523000119'])('accepts %s', (cnpj) => {
    expect(isValidCnpj(cnpj)).toBe(true);
  });

  it.each(['12345678901234', '1234567890ABCD', '00000000000000', '11111111111111', 'AAAAAAAAAAAAAA', '1234567800019', '12ABC34501DE3A', '12ABC34501DE35X'])(
    'rejects %s',
    (cnpj) => {
      expect(isValidCnpj(cnpj)).toBe(false);
    },
  );

  it('the true DV of 1234567890AB is 04', () => {
    expect(cnpjCheckDigits('1234567890AB')).toBe('04');
    expect(isValidCnpj('1234567890AB04')).toBe(true);
  });

  it('every random base gets DVs that validate, and a changed base character breaks them', () => {
    const rnd = seededRandom(7);
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    for (let k = 0; k < 300; k++) {
      const base = Array.from({ length: 12 }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
      const cnpj = base + cnpjCheckDigits(base);
      if (/^(.)\1*$/.test(cnpj)) continue;
      expect(isValidCnpj(cnpj)).toBe(true);
      const pos = Math.floor(rnd() * 12);
      const other = alphabet[(alphabet.indexOf(base[pos] as string) + 1) % alphabet.length] as string;
      const changed = base.slice(0, pos) + other + base.slice(pos + 1);
      // A substitution changes the weighted sum by weight×Δ; mod 11 can only hide it when Δ is 11k.
      if (Math.abs(other.charCodeAt(0) - (base[pos] as string).charCodeAt(0)) % 11 !== 0) {
        expect(isValidCnpj(changed + cnpj.slice(12))).toBe(false);
      }
    }
  });

  it('rejects a malformed base', () => {
    expect(() => cnpjCheckDigits('12ABC34501D')).toThrow(RangeError);
    expect(() => cnpjCheckDigits('12ABC34501D#')).toThrow(RangeError);
  });
});

describe('normalise, kind and format', () => {
  it('normalizeDocument strips the mask and uppercases', () => {
    expect(normalizeDocument(' 12.abc.345/01de-35 ')).toBe('12ABC34501DE35');
    expect(normalizeDocument('123.456.789-09')).toBe('12345678909');
  });

  it('documentKind', () => {
    expect(documentKind('123.456.789-09')).toBe('cpf');
    expect(documentKind('12.ABC.345/01DE-35')).toBe('cnpj');
    expect(documentKind('12345678000195')).toBe('cnpj');
    expect(documentKind('1234')).toBeNull();
    expect(documentKind('12ABC34501DEXX')).toBeNull();
  });

  it('formats', () => {
    expect(formatCpf('12345678909')).toBe('123.456.789-09');
    expect(formatCnpj('12ABC34501DE35')).toBe('12.ABC.345/01DE-35');
    expect(formatCnpj('12345678000195')).toBe('12.345.678/0001-95');
    expect(formatDocument('12345678909')).toBe('123.456.789-09');
    expect(formatDocument('12abc34501de35')).toBe('12.ABC.345/01DE-35');
    expect(formatDocument('123')).toBe('123');
  });
});

describe('validateDocument (what the cashier typed)', () => {
  it('returns the normalised value and its kind', () => {
    expect(validateDocument('123.456.789-09')).toEqual({ ok: true, value: '12345678909', kind: 'cpf' });
    expect(validateDocument('12.abc.345/01de-35')).toEqual({ ok: true, value: '12ABC34501DE35', kind: 'cnpj' });
    expect(validateDocument('12.345.678/0001-95')).toEqual({ ok: true, value: '12345678000195', kind: 'cnpj' });
  });

  it.each([
    ['', /Informe o CPF ou o CNPJ/],
    ['123.456.789-01', /CPF inválido: 123\.456\.789-01/],
    ['111.111.111-11', /CPF inválido/],
    ['12.345.678/0001-96', /CNPJ inválido: 12\.345\.678\/0001-96/],
    ['1234567890ABCD', /dígitos verificadores/],
    ['12345', /5 dígitos: o CPF tem 11 e o CNPJ tem 14/],
    ['ABC123', /6 caracteres/],
    ['123.456.789-09!', /só pode ter números/],
  ])('%j → pt-BR message', (input, message) => {
    const r = validateDocument(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});
