import { describe, expect, it } from 'vitest';
import { fold } from '../../../shared/text-fold.ts';

const reference = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

describe('fold (accents and case)', () => {
  it('folds what cashiers and spreadsheets write', () => {
    expect(fold('Pão de Queijo')).toBe('pao de queijo');
    expect(fold('AÇÚCAR CRISTAL')).toBe('acucar cristal');
    expect(fold('Descrição')).toBe('descricao');
    expect(fold('Maçã Gala 1 KG')).toBe('maca gala 1 kg');
  });

  it('gives the NFD reference for every Latin character, alone and in words, and beyond the table', () => {
    for (let c = 0; c < 0x250; c++) {
      const ch = String.fromCharCode(c);
      expect(fold(ch), `U+${c.toString(16)}`).toBe(reference(ch));
      expect(fold(`x${ch}Ã`), `U+${c.toString(16)}`).toBe(reference(`x${ch}Ã`));
    }
    // Combining marks typed apart, Greek, emoji (surrogates): the reference path.
    for (const s of ['Pa\u0303o', 'ΑΘΗΝΑ café', 'Café ☕ 🍞', 'ẞ straße', 'İstanbul']) expect(fold(s), s).toBe(reference(s));
  });
});
