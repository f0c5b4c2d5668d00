import { describe, expect, it } from 'vitest';
import { HOMOLOG_DEST_NAME, HOMOLOG_ITEM_DESCRIPTION, tpAmbOf } from '../../../../shared/fiscal/homologation.ts';

describe('homologation texts', () => {
  it('are exactly what SEFAZ compares (no accents)', () => {
    expect(HOMOLOG_ITEM_DESCRIPTION).toBe('NOTA FISCAL EMITIDA EM AMBIENTE DE HOMOLOGACAO - SEM VALOR FISCAL');
    expect(HOMOLOG_DEST_NAME).toBe('NF-E EMITIDA EM AMBIENTE DE HOMOLOGACAO - SEM VALOR FISCAL');
    expect(HOMOLOG_ITEM_DESCRIPTION.length).toBeLessThanOrEqual(120);
    expect(HOMOLOG_DEST_NAME.length).toBeLessThanOrEqual(60);
    expect(tpAmbOf('producao')).toBe(1);
    expect(tpAmbOf('homologacao')).toBe(2);
  });
});
