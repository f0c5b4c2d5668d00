import { describe, expect, it } from 'vitest';
import { asciiField, BrCodeError, crc16, dynamicBrCode, parseBrCode, pixAmount, staticBrCode } from '../../../../shared/pix/brcode.ts';

// The static example published in Bacen's "Manual de Padrões para Iniciação do Pix" (CRC 1D3D).
const MANUAL_STATIC =
  '00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D';

describe('BR Code', () => {
  it('computes the CRC16-CCITT of the manual example', () => {
    expect(crc16(MANUAL_STATIC.slice(0, -4))).toBe('1D3D');
    expect(crc16('123456789')).toBe('29B1'); // CRC-16/CCITT-FALSE check value
  });

  it('builds the manual example byte for byte', () => {
    expect(staticBrCode({ key: '123e4567-e12b-12d1-a456-426655440000', merchantName: 'Fulano de Tal', merchantCity: 'BRASILIA' })).toBe(MANUAL_STATIC);
  });

  it('parses the manual example and rejects a damaged copy', () => {
    const p = parseBrCode(MANUAL_STATIC);
    expect(p).toMatchObject({
      dynamic: false,
      key: '123e4567-e12b-12d1-a456-426655440000',
      merchantName: 'Fulano de Tal',
      merchantCity: 'BRASILIA',
      amountCents: null,
      txid: null,
    });
    const damaged = MANUAL_STATIC.replace('Fulano', 'Fulanx');
    expect(() => parseBrCode(damaged)).toThrow(BrCodeError);
    try {
      parseBrCode(damaged);
    } catch (e) {
      expect((e as BrCodeError).code).toBe('brcode_crc');
    }
  });

  it('round-trips a static code with amount and reference label, dropping accents', () => {
    const code = staticBrCode({
      key: 'loja@exemplo.com.br',
      merchantName: 'Padaria São João Ltda',
      merchantCity: 'Maringá',
      amountCents: 123456,
      txid: 'BS0123456789abcdef',
    });
    const p = parseBrCode(code);
    expect(p).toMatchObject({
      key: 'loja@exemplo.com.br',
      amountCents: 123456,
      merchantName: 'Padaria Sao Joao Ltda',
      merchantCity: 'Maringa',
      txid: 'BS0123456789abcdef',
    });
    expect(code).toMatch(/5406123456\.\d{2}|54071234\.56/);
  });

  it('builds a dynamic code pointing at the payload location', () => {
    const code = dynamicBrCode({ location: 'https://pix.example.com/qr/v2/9d36b84fc70b478fb95c12729b90ca25', merchantName: 'Loja', merchantCity: 'Curitiba' });
    expect(code.startsWith('000201010212')).toBe(true);
    expect(parseBrCode(code)).toMatchObject({ dynamic: true, location: 'pix.example.com/qr/v2/9d36b84fc70b478fb95c12729b90ca25', key: null });
  });

  it('formats amounts and refuses bad ones', () => {
    expect(pixAmount(1)).toBe('0.01');
    expect(pixAmount(123456)).toBe('1234.56');
    expect(() => pixAmount(0)).toThrow(BrCodeError);
    expect(() => pixAmount(1.5)).toThrow(BrCodeError);
    expect(asciiField('  Açaí & Cia ', 25)).toBe('Acai & Cia');
    expect(() => staticBrCode({ key: 'k', merchantName: 'A', merchantCity: 'B', txid: 'tem espaço' })).toThrow(BrCodeError);
  });
});
