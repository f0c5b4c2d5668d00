import { describe, expect, it } from 'vitest';
import {
  CARD_GROUP_REQUIRED,
  TBAND,
  TPAG,
  TPAG_NOT_ALLOWED_IN_NFCE,
  brandLabel,
  isKnownTpag,
  paymentLabel,
  reportPaymentLabel,
  requiresCardGroup,
} from '../../../../shared/fiscal/tpag.ts';

describe('tPag', () => {
  it('has the IT 2024.002 v1.11 codes an NFC-e can carry', () => {
    const expected = ['01', '02', '03', '04', '05', '10', '11', '12', '13', '15', '16', '17', '18', '19', '20', '21', '22', '23', '24', '90', '91', '99'];
    expect(Object.keys(TPAG).sort()).toEqual(expected);
    expect(TPAG['01']).toBe('Dinheiro');
    expect(TPAG['03']).toBe('Cartão de Crédito');
    expect(TPAG['04']).toBe('Cartão de Débito');
    expect(TPAG['17']).toMatch(/PIX/);
    expect(isKnownTpag('14')).toBe(false);
    expect(TPAG_NOT_ALLOWED_IN_NFCE.has('14')).toBe(true);
    expect(isKnownTpag('toString')).toBe(false);
  });

  it('requires the card group for credit, debit and PIX dinâmico', () => {
    expect([...CARD_GROUP_REQUIRED].sort()).toEqual(['03', '04', '17']);
    expect(requiresCardGroup('03')).toBe(true);
    expect(requiresCardGroup('01')).toBe(false);
    expect(requiresCardGroup('20')).toBe(false);
  });

  it('labels', () => {
    expect(paymentLabel('01')).toBe('Dinheiro');
    expect(paymentLabel('99', 'Permuta')).toBe('Permuta');
    expect(paymentLabel('99')).toBe('Outros');
    expect(paymentLabel('77')).toBe('Forma 77');
  });
});

describe('report labels', () => {
  it('mark a static PIX as not confirmed by the bank, and only in reports', () => {
    expect(reportPaymentLabel('20')).toBe('PIX Estático (não confirmado)');
    expect(paymentLabel('20')).toBe('PIX Estático');
    expect(reportPaymentLabel('17')).toBe('PIX');
    expect(reportPaymentLabel('01')).toBe('Dinheiro');
  });
});

describe('tBand', () => {
  it('has the NT 2020.006 brands', () => {
    expect(Object.keys(TBAND)).toHaveLength(28);
    expect(TBAND['01']).toBe('Visa');
    expect(TBAND['02']).toBe('Mastercard');
    expect(TBAND['06']).toBe('Elo');
    expect(TBAND['27']).toBe('Ticket');
    expect(TBAND['99']).toBe('Outros');
    expect(brandLabel('03')).toBe('American Express');
    expect(brandLabel('55')).toBe('Bandeira 55');
  });
});
