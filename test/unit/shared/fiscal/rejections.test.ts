import { describe, expect, it } from 'vitest';
import { explainRejection } from '../../../../shared/fiscal/rejections.ts';

describe('explainRejection', () => {
  it.each([
    ['539', /duplicada/i, /Consulte a nota/],
    ['703', /futuro/, /relógio deste computador está adiantado/],
    ['704', /atrasada/, /relógio deste computador está atrasado/],
    ['778', /NCM inexistente/, /contador/],
    ['591', /CSOSN/, /Simples/],
    ['464', /CSC/, /CSC/],
    ['462', /CSC/, /identificador/],
    ['463', /revogado/, /CSC novo/],
    ['373', /homologação/, /primeiro item/],
    ['598', /homologação/, /destinatário/],
    ['767', /Pagamentos/, /troco/],
    ['865', /menor/, /pagamento/],
    ['531', /ICMS/, /suporte/],
    ['532', /ICMS/, /suporte/],
    ['610', /Total da nota/, /suporte/],
    ['897', /cNF|Código numérico/, /cNF/],
    ['301', /denegado/i, /emitente|empresa/],
    ['302', /denegado/i, /consumidor/],
  ])('cStat %s', (cstat, title, fix) => {
    const e = explainRejection(cstat, 'Rejeicao: texto da SEFAZ');
    expect(e.title).toMatch(title);
    expect(e.fix).toMatch(fix);
    expect(e.fix).toContain('Rejeicao: texto da SEFAZ');
  });

  it.each([
    ['certificado_vencido', /Certificado digital vencido/],
    ['empresa_nao_habilitada', /não habilitada/],
    ['permissao_negada', /negado/],
  ])('Focus codigo %s', (codigo, title) => {
    const e = explainRejection(undefined, 'mensagem da Focus', codigo);
    expect(e.title).toMatch(title);
    expect(e.fix).toContain('mensagem da Focus');
  });

  it('accepts the cStat with padding or text around it', () => {
    expect(explainRejection(' 0703 ', undefined).title).toMatch(/futuro/);
    expect(explainRejection('Rejeicao 539', undefined).title).toMatch(/duplicada/i);
  });

  it('falls back to the SEFAZ text for unknown codes', () => {
    const e = explainRejection('999', 'Rejeicao: Algo inesperado');
    expect(e.title).toBe('Nota rejeitada pela SEFAZ (código 999)');
    expect(e.fix).toContain('"Rejeicao: Algo inesperado"');
    expect(explainRejection(undefined, undefined).title).toBe('Nota não autorizada');
    expect(explainRejection(undefined, 'x', 'codigo_novo').title).toBe('Erro na Focus (codigo_novo)');
    expect(explainRejection(undefined, 'x', 'codigo_novo').fix).toMatch(/^A Focus informou/);
  });
});
