// Published vectors: the SEFAZ manual examples (CSC 'SEU-CODIGO-CSC-CONTRIBUINTE-36-CARACTERES',
// idCSC 000001), reproduced in the wmixvideo tests; hashing and signing use node:crypto here, as main does.
import { createHash, createVerify, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  digestValueToHex,
  normalizeCscId,
  qrBase,
  qrDay,
  qrParams,
  qrV2Offline,
  qrV2Online,
  qrV3Offline,
  qrV3OfflineSigningString,
  qrV3Online,
} from '../../../../shared/fiscal/qrcode.ts';
import { buildChave } from '../../../../shared/fiscal/chave.ts';
import { qrCodeUrl } from '../../../../shared/fiscal/uf.ts';

const sha1Hex = (s: string) => createHash('sha1').update(s, 'utf8').digest('hex');
const URL = 'http://www.sefazexemplo.gov.br/nfce/qrcode';
const CSC = 'SEU-CODIGO-CSC-CONTRIBUINTE-36-CARACTERES';

describe('QR code v2 (manual examples)', () => {
  it('online: hash DC6AE2C2… of example 4.3.6.1', () => {
    expect(qrV2Online({ urlQr: URL, chave: '28170800156225000131650110000151341562040824', tpAmb: 1, cscId: '000001', csc: CSC, sha1Hex })).toBe(
      'http://www.sefazexemplo.gov.br/nfce/qrcode?p=28170800156225000131650110000151341562040824|2|1|1|DC6AE2C2B9A992BE59679AC365E29922DE6B7511',
    );
  });

  it('offline: digVal hex and hash 4615A93B… of example 4.3.6.2', () => {
    expect(digestValueToHex('yzGYhUx1/XYYzksWB+fPR3Qc50c=')).toBe('797a4759685578312f5859597a6b7357422b6650523351633530633d');
    expect(
      qrV2Offline({
        urlQr: URL,
        chave: '28170800156225000131650110000151349562040824',
        tpAmb: 1,
        dhEmi: '2017-08-02T10:55:33-03:00',
        vNFCents: 6090,
        digestValueBase64: 'yzGYhUx1/XYYzksWB+fPR3Qc50c=',
        cscId: 1,
        csc: CSC,
        sha1Hex,
      }),
    ).toBe(
      'http://www.sefazexemplo.gov.br/nfce/qrcode?p=28170800156225000131650110000151349562040824|2|1|02|60.90|797a4759685578312f5859597a6b7357422b6650523351633530633d|1|4615A93BB0D7C4E780F8D30EE77EDD5BA55C7D66',
    );
  });

  it('uppercases a lowercase SHA-1 and rejects a bad hash function', () => {
    const text = qrV2Online({
      urlQr: URL,
      chave: '28170800156225000131650110000151341562040824',
      tpAmb: 2,
      cscId: 1,
      csc: CSC,
      sha1Hex: (s) => sha1Hex(s).toLowerCase(),
    });
    expect(text).toMatch(/\|[0-9A-F]{40}$/);
    expect(text.split('|').at(-1)).toBe(sha1Hex('28170800156225000131650110000151341562040824|2|2|1' + CSC).toUpperCase());
    expect(() => qrV2Online({ urlQr: URL, chave: '28170800156225000131650110000151341562040824', tpAmb: 1, cscId: 1, csc: CSC, sha1Hex: () => 'xyz' })).toThrow(
      /SHA-1/,
    );
  });

  it('matches the XSD patterns (online and offline)', () => {
    const chave = buildChave({ uf: 'PR', dhEmi: '2026-11-24T10:15:00-03:00', cnpj: '07504505000132', serie: 600, numero: 42, tpEmis: 9, cnf: '38561927' });
    const online = qrV2Online({ urlQr: qrCodeUrl('PR', 'homologacao'), chave, tpAmb: 2, cscId: '000123', csc: 'ABCDEF0123456789', sha1Hex });
    expect(online).toMatch(/^http:\/\/www\.fazenda\.pr\.gov\.br\/nfce\/qrcode\?p=\d{44}\|2\|2\|(0|[1-9]\d{0,5})\|[0-9A-F]{40}$/);
    expect(online).toContain('|2|2|123|');
    const offline = qrV2Offline({
      urlQr: qrCodeUrl('PR', 'producao'),
      chave,
      tpAmb: 1,
      dhEmi: '2026-11-24T10:15:00-03:00',
      vNFCents: 1_234_567,
      digestValueBase64: 'q1w2e3r4t5y6u7i8o9p0a1s2d3f=',
      cscId: '2',
      csc: 'ABCDEF0123456789',
      sha1Hex,
    });
    expect(offline).toMatch(/\?p=\d{44}\|2\|1\|24\|12345\.67\|[0-9a-f]{56}\|2\|[0-9A-F]{40}$/);
    expect(offline.length).toBeLessThanOrEqual(1000);
  });

  it('validates its inputs', () => {
    const chave = '28170800156225000131650110000151341562040824';
    expect(() => qrV2Online({ urlQr: URL, chave: chave.slice(1), tpAmb: 1, cscId: 1, csc: CSC, sha1Hex })).toThrow(/chave/);
    expect(() => qrV2Online({ urlQr: URL, chave, tpAmb: 3 as 1, cscId: 1, csc: CSC, sha1Hex })).toThrow(/tpAmb/);
    expect(() => qrV2Online({ urlQr: URL, chave, tpAmb: 1, cscId: '1234567', csc: CSC, sha1Hex })).toThrow(/idCSC/);
    expect(() => qrV2Online({ urlQr: URL, chave, tpAmb: 1, cscId: 1, csc: '', sha1Hex })).toThrow(/CSC/);
    expect(() => qrV2Online({ urlQr: URL, chave, tpAmb: 1, cscId: 1, csc: 'AB|CD', sha1Hex })).toThrow(/CSC/);
    expect(() =>
      qrV2Offline({
        urlQr: URL,
        chave,
        tpAmb: 1,
        dhEmi: '2017-08-02T10:55:33-03:00',
        vNFCents: 6090,
        digestValueBase64: 'not base64!',
        cscId: 1,
        csc: CSC,
        sha1Hex,
      }),
    ).toThrow(/base64/);
    expect(() =>
      qrV2Offline({
        urlQr: URL,
        chave,
        tpAmb: 1,
        dhEmi: '2017-08-02T10:55:33',
        vNFCents: 6090,
        digestValueBase64: 'yzGYhUx1/XYYzksWB+fPR3Qc50c=',
        cscId: 1,
        csc: CSC,
        sha1Hex,
      }),
    ).toThrow(/data/);
  });
});

describe('helpers', () => {
  it('qrBase appends ?p= only when missing', () => {
    expect(qrBase('http://x/qrcode')).toBe('http://x/qrcode?p=');
    expect(qrBase('http://x/qrcode?')).toBe('http://x/qrcode?p=');
    expect(qrBase('http://x/qrcode/?p=')).toBe('http://x/qrcode/?p=');
  });

  it('idCSC loses leading zeros', () => {
    expect(normalizeCscId('000001')).toBe('1');
    expect(normalizeCscId('000000')).toBe('0');
    expect(normalizeCscId(12)).toBe('12');
    expect(() => normalizeCscId('A1')).toThrow(RangeError);
  });

  it('DD comes from the local date of dhEmi', () => {
    expect(qrDay('2026-11-30T23:30:00-03:00')).toBe('30');
    expect(qrDay('2026-11-02T08:00:00-03:00')).toBe('02');
  });

  it('qrParams splits p', () => {
    expect(qrParams('http://x?p=a|2|1')).toEqual(['a', '2', '1']);
    expect(qrParams('http://x')).toBeNull();
  });
});

describe('QR code v3', () => {
  const chave = buildChave({ uf: 'MS', dhEmi: '2026-11-05T10:15:00-04:00', cnpj: '07504505000132', serie: 600, numero: 7, tpEmis: 9, cnf: '38561927' });

  it('online has no hash', () => {
    expect(qrV3Online({ urlQr: 'http://www.dfe.ms.gov.br/nfce/qrcode', chave, tpAmb: 2 })).toBe(`http://www.dfe.ms.gov.br/nfce/qrcode?p=${chave}|3|2`);
  });

  it('signing string: empty tp_idDest and idDest when there is no recipient', () => {
    expect(qrV3OfflineSigningString({ chave, tpAmb: 2, dhEmi: '2026-11-05T10:15:00-04:00', vNFCents: 15_000 })).toBe(`${chave}|3|2|05|150.00||`);
  });

  it('signing string: CPF = 2, CNPJ = 1 (digits only), foreigner = 3 with an empty id', () => {
    const base = { chave, tpAmb: 1 as const, dhEmi: '2026-11-05T10:15:00-04:00', vNFCents: 6090 };
    expect(qrV3OfflineSigningString({ ...base, dest: { kind: 'cpf', id: '123.456.789-09' } })).toBe(`${chave}|3|1|05|60.90|2|12345678909`);
    expect(qrV3OfflineSigningString({ ...base, dest: { kind: 'cnpj', id: '12.345.678/0001-95' } })).toBe(`${chave}|3|1|05|60.90|1|12345678000195`);
    expect(qrV3OfflineSigningString({ ...base, dest: { kind: 'estrangeiro', id: 'AB123456' } })).toBe(`${chave}|3|1|05|60.90|3|`);
    expect(() => qrV3OfflineSigningString({ ...base, dest: { kind: 'cpf', id: '123' } })).toThrow(/CPF/);
  });

  it('offline: RSA-SHA1 PKCS#1 v1.5 over the signing string (not the URL), verifiable with the certificate key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const signBase64 = (data: string) => sign('sha1', Buffer.from(data, 'utf8'), privateKey).toString('base64');
    const input = { urlQr: 'http://www.dfe.ms.gov.br/nfce/qrcode', chave, tpAmb: 2 as const, dhEmi: '2026-11-05T10:15:00-04:00', vNFCents: 6090, signBase64 };
    const text = qrV3Offline(input);
    const signed = qrV3OfflineSigningString(input);
    expect(text.startsWith(`http://www.dfe.ms.gov.br/nfce/qrcode?p=${signed}|`)).toBe(true);
    const signature = text.slice(text.lastIndexOf('|') + 1);
    expect(signature).toHaveLength(344);
    const verify = createVerify('RSA-SHA1');
    verify.update(signed, 'utf8');
    expect(verify.verify(publicKey, signature, 'base64')).toBe(true);
    // PKCS#1 v1.5 is deterministic: two builds give the same QR.
    expect(qrV3Offline(input)).toBe(text);
    // The XSD pattern of PL_010C for the p parameter.
    const p = text.slice(text.indexOf('?p=') + 3);
    expect(p).toMatch(
      /^\d{44}\|[3]\|[1-2]\|(0[1-9]|[12]\d|3[01])\|(0|0\.\d{2}|[1-9]\d{0,12}(\.\d{2})?)\|((1|2|3)?)\|(([0-9]{3,14})?)\|([a-zA-Z0-9+/]+[=]{0,2})$/,
    );
    expect(text.length).toBeLessThanOrEqual(1000);
  });

  it('rejects a signer that does not return base64', () => {
    expect(() => qrV3Offline({ urlQr: 'http://x', chave, tpAmb: 2, dhEmi: '2026-11-05T10:15:00-04:00', vNFCents: 1, signBase64: () => 'not base64!' })).toThrow(
      /base64/,
    );
  });
});
