import { describe, expect, it } from 'vitest';
import { liveSearchQuery, parseCodeInput, withoutQtyPrefix } from '../../../../renderer/state/code-input.ts';
import { parseQtyE4 } from '../../../../shared/qty-code.ts';

describe('parseQtyE4', () => {
  it('reads integer and decimal quantities without float error', () => {
    expect(parseQtyE4('3')).toBe(30_000);
    expect(parseQtyE4('0,5')).toBe(5_000);
    expect(parseQtyE4('0.512')).toBe(5_120);
    expect(parseQtyE4('1,2345')).toBe(12_345);
    expect(parseQtyE4('0,1')).toBe(1_000);
  });
  it('refuses zero, five decimals and garbage', () => {
    expect(parseQtyE4('0')).toBeNull();
    expect(parseQtyE4('1,23456')).toBeNull();
    expect(parseQtyE4('abc')).toBeNull();
    expect(parseQtyE4('')).toBeNull();
  });
});

describe('parseCodeInput', () => {
  it('treats a scanned barcode as a code with no quantity', () => {
    expect(parseCodeInput('7891000100103')).toEqual({ kind: 'code', code: '7891000100103', qtyE4: null });
    expect(parseCodeInput('  7891000100103 ')).toEqual({ kind: 'code', code: '7891000100103', qtyE4: null });
  });
  it('reads qty*code', () => {
    expect(parseCodeInput('3*7891000100103')).toEqual({ kind: 'code', code: '7891000100103', qtyE4: 30_000 });
    expect(parseCodeInput('0,5*123')).toEqual({ kind: 'code', code: '123', qtyE4: 5_000 });
    expect(parseCodeInput('2 * 123')).toEqual({ kind: 'code', code: '123', qtyE4: 20_000 });
  });
  it('turns letters into a search, keeping a typed quantity', () => {
    expect(parseCodeInput('arroz')).toEqual({ kind: 'search', query: 'arroz', qtyE4: null });
    expect(parseCodeInput('2*arroz tipo 1')).toEqual({ kind: 'search', query: 'arroz tipo 1', qtyE4: 20_000 });
  });
  it('explains a bad quantity or a missing code in Portuguese', () => {
    const bad = parseCodeInput('0*123');
    expect(bad.kind).toBe('invalid');
    expect(bad.kind === 'invalid' && bad.message).toMatch(/Quantidade/);
    const missing = parseCodeInput('3*');
    expect(missing.kind === 'invalid' && missing.message).toMatch(/Falta o código/);
  });
  it('is empty for blank input (Enter on an empty field = pay)', () => {
    expect(parseCodeInput('   ')).toEqual({ kind: 'empty' });
  });
});

describe('withoutQtyPrefix', () => {
  it('drops the quantity in F2 search mode, with any separator of the grammar', () => {
    expect(withoutQtyPrefix('2*arroz')).toBe('arroz');
    expect(withoutQtyPrefix('2 x feijão')).toBe('feijão');
    expect(withoutQtyPrefix(' café ')).toBe('café');
  });
});

describe('liveSearchQuery', () => {
  it('searches from two letters on, never for a scanner burst of digits', () => {
    expect(liveSearchQuery('a')).toBeNull();
    expect(liveSearchQuery('ar')).toBe('ar');
    expect(liveSearchQuery('789100010')).toBeNull();
    expect(liveSearchQuery('3*fei')).toBe('fei');
  });
});
