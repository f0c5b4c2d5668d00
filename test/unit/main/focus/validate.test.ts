import { describe, expect, it } from 'vitest';
import { checkEmails, checkInutilizacao, checkJustificativa, checkRef } from '../../../../main/focus/validate.ts';

describe('local checks (pt-BR)', () => {
  it('justificativa must have 15..255 characters, counted as characters', () => {
    expect(checkJustificativa('curta')?.mensagem).toMatch(/entre 15 e 255 caracteres \(informados: 5\)/);
    expect(checkJustificativa('')?.codigo).toBe('justificativa_nao_informada');
    expect(checkJustificativa('   exatamente 15   '.trim().padEnd(15, 'x'))).toBeNull();
    expect(checkJustificativa('ç'.repeat(255))).toBeNull();
    expect(checkJustificativa('ç'.repeat(256))).not.toBeNull();
    // 15 emoji are 30 UTF-16 units but 15 characters.
    expect(checkJustificativa('😀'.repeat(14))).not.toBeNull();
  });

  it('refuses refs that could escape the URL path', () => {
    expect(checkRef('abc_123')).toBeNull();
    for (const bad of ['', '../x', 'a b', 'a?b', 'a/b', 'x'.repeat(101)]) expect(checkRef(bad)).not.toBeNull();
  });

  it('e-mail: at most 10 valid addresses', () => {
    expect(checkEmails(['a@b.com'])).toBeNull();
    expect(checkEmails([])?.mensagem).toMatch(/ao menos um/);
    expect(checkEmails(Array.from({ length: 11 }, (_, i) => `a${i}@b.com`))?.mensagem).toMatch(/No máximo 10/);
    expect(checkEmails(['não-é-email'])?.mensagem).toMatch(/E-mail inválido/);
  });

  it('inutilização: fields, range order and justificativa', () => {
    const ok = { cnpj: '07504505000132', serie: '1', numero_inicial: '10', numero_final: '12', justificativa: 'Numeração pulada por falha' };
    expect(checkInutilizacao(ok)).toBeNull();
    expect(checkInutilizacao({ ...ok, numero_inicial: '13' })?.mensagem).toMatch(/menor ou igual/);
    expect(checkInutilizacao({ ...ok, cnpj: '123' })?.mensagem).toMatch(/cnpj/);
    expect(checkInutilizacao({ ...ok, justificativa: 'curta' })).not.toBeNull();
  });
});
