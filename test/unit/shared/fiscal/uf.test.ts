import { describe, expect, it } from 'vitest';
import { Uf } from '../../../../shared/sale.ts';
import {
  OFFLINE_FORBIDDEN_MESSAGE,
  UF_IBGE,
  consultaUrl,
  offlineContingencyAllowed,
  offlineContingencyBlockReason,
  qrCodeUrl,
  ufFromIbge,
} from '../../../../shared/fiscal/uf.ts';

const ALL = Uf.options;

describe('UF tables', () => {
  it('covers all 27 UFs with distinct IBGE codes', () => {
    expect(ALL).toHaveLength(27);
    expect(Object.keys(UF_IBGE).sort()).toEqual([...ALL].sort());
    expect(new Set(Object.values(UF_IBGE)).size).toBe(27);
    for (const uf of ALL) expect(ufFromIbge(UF_IBGE[uf])).toBe(uf);
    expect(ufFromIbge('99')).toBeNull();
  });

  it.each([
    ['RO', '11'],
    ['AM', '13'],
    ['CE', '23'],
    ['MG', '31'],
    ['RJ', '33'],
    ['SP', '35'],
    ['PR', '41'],
    ['SC', '42'],
    ['RS', '43'],
    ['MS', '50'],
    ['GO', '52'],
    ['DF', '53'],
  ] as const)('%s = %s', (uf, code) => {
    expect(UF_IBGE[uf]).toBe(code);
  });

  it('every UF has a QR URL and a consulta URL in both environments', () => {
    for (const uf of ALL) {
      for (const env of ['producao', 'homologacao'] as const) {
        expect(qrCodeUrl(uf, env)).toMatch(/^https?:\/\/[^\s?]+$/);
        const chave = consultaUrl(uf, env);
        expect(chave).toMatch(/^(https?:\/\/)?[a-z0-9.-]+\.gov\.br(\/\S*)?$/i);
        expect(chave.length).toBeGreaterThanOrEqual(21); // urlChave: 21–85 characters
        expect(chave.length).toBeLessThanOrEqual(85);
      }
    }
  });

  it('matches the spec rows for a few UFs', () => {
    expect(qrCodeUrl('PR', 'producao')).toBe('http://www.fazenda.pr.gov.br/nfce/qrcode');
    expect(qrCodeUrl('PR', 'homologacao')).toBe('http://www.fazenda.pr.gov.br/nfce/qrcode');
    expect(consultaUrl('PR', 'producao')).toBe('http://www.fazenda.pr.gov.br/nfce/consulta');
    expect(qrCodeUrl('SP', 'homologacao')).toBe('https://www.homologacao.nfce.fazenda.sp.gov.br/qrcode');
    expect(consultaUrl('SP', 'producao')).toBe('https://www.nfce.fazenda.sp.gov.br/NFCeConsultaPublica');
    expect(qrCodeUrl('AM', 'homologacao')).toBe('https://sistemas.sefaz.am.gov.br/nfceweb-hom/consultarNFCe.jsp');
    expect(consultaUrl('MG', 'homologacao')).toBe('https://hportalsped.fazenda.mg.gov.br/portalnfce');
    expect(consultaUrl('GO', 'homologacao')).toBe('www.nfce.go.gov.br/post/ver/214413/consulta-nfc-e-homologacao');
    expect(qrCodeUrl('RR', 'homologacao')).toBe('http://200.174.88.103:8080/nfce/servlet/qrcode');
    expect(consultaUrl('TO', 'homologacao')).toBe('http://homologacao.sefaz.to.gov.br/nfce/consulta.jsf');
    expect(consultaUrl('SC', 'homologacao')).toBe('https://hom.sat.sef.sc.gov.br/nfce/consulta');
  });
});

describe('offline contingency per UF', () => {
  it('is blocked only in SP, with a reason in Portuguese', () => {
    const blocked = ALL.filter((uf) => !offlineContingencyAllowed(uf));
    expect(blocked).toEqual(['SP']);
    expect(offlineContingencyBlockReason('SP')).toBe(OFFLINE_FORBIDDEN_MESSAGE);
    expect(OFFLINE_FORBIDDEN_MESSAGE).toMatch(/São Paulo.*contingência off-line/);
    expect(offlineContingencyBlockReason('PR')).toBeNull();
  });
});
