import { describe, expect, it } from 'vitest';
import { decideEmit, decideQuery, documentPatch, answerOf } from '../../../../main/emission/outcomes.ts';
import type { FocusDocument, FocusOutcome } from '../../../../main/focus/types.ts';

const doc = (d: Partial<FocusDocument>): FocusOutcome<FocusDocument> => ({ kind: 'ok', status: 201, body: { status: 'autorizado', ...d } });
const apiError = (status: number, codigo: string, mensagem = 'x'): FocusOutcome<FocusDocument> => ({ kind: 'api-error', status, error: { codigo, mensagem } });

describe('what a POST answer means', () => {
  it('adopts the fiscal outcome of a document', () => {
    expect(decideEmit(doc({ chave_nfe: `NFe${'1'.repeat(44)}`, numero: '12', serie: '1', status_sefaz: '100' }))).toMatchObject({
      kind: 'adopt',
      to: 'authorized',
      patch: { chave: '1'.repeat(44), numero: '12', serie: '1', statusSefaz: '100' },
    });
    expect(decideEmit(doc({ contingencia_offline: true, contingencia_offline_efetivada: false }))).toMatchObject({ kind: 'adopt', to: 'contingency_focus' });
    expect(decideEmit(doc({ contingencia_offline: true, contingencia_offline_efetivada: true }))).toMatchObject({
      kind: 'adopt',
      to: 'authorized',
      patch: { contingenciaOffline: true },
    });
    const rej = decideEmit(
      doc({ status: 'erro_autorizacao', status_sefaz: '591', mensagem_sefaz: 'Informado CSOSN para emissor que nao e do Simples Nacional' }),
    );
    expect(rej).toMatchObject({ kind: 'adopt', to: 'rejected', patch: { statusSefaz: '591' } });
    expect(rej.kind === 'adopt' && rej.patch.problemTitle).toBeTruthy();
    expect(decideEmit(doc({ status: 'denegado', status_sefaz: '302' }))).toMatchObject({ kind: 'adopt', to: 'denied' });
    expect(decideEmit(doc({ status: 'processando_autorizacao' }))).toEqual({ kind: 'ask-again' });
  });

  it('treats anything that may have been processed as unknown, and refusals as safe to resend', () => {
    expect(decideEmit({ kind: 'unknown-outcome', reason: 'timeout', detail: '' })).toEqual({ kind: 'unknown' });
    expect(decideEmit({ kind: 'never-sent', reason: 'ECONNREFUSED' })).toEqual({ kind: 'resend' });
    expect(decideEmit(apiError(429, 'limite_requisicoes_excedido'))).toEqual({ kind: 'resend' });
    expect(decideEmit(apiError(422, 'nfe_autorizada'))).toEqual({ kind: 'unknown' });
    expect(decideEmit(apiError(422, 'em_processamento'))).toEqual({ kind: 'unknown' });
    expect(decideEmit(apiError(502, 'bad_gateway'))).toEqual({ kind: 'unknown' });
  });

  it('blocks on setup problems and rejects on validation errors, with the Focus code kept', () => {
    expect(decideEmit(apiError(400, 'certificado_vencido', 'Certificado vencido'))).toMatchObject({
      kind: 'adopt',
      to: 'blocked',
      patch: { codigoApi: 'certificado_vencido' },
    });
    expect(decideEmit(apiError(401, ''))).toMatchObject({ kind: 'adopt', to: 'blocked' });
    const v: FocusOutcome<FocusDocument> = {
      kind: 'api-error',
      status: 422,
      error: { codigo: 'erro_validacao_schema', mensagem: 'Erro de schema', erros: [{ campo: 'items.0.codigo_ncm', mensagem: 'inválido' }] },
    };
    expect(decideEmit(v)).toMatchObject({
      kind: 'adopt',
      to: 'rejected',
      patch: { codigoApi: 'erro_validacao_schema', mensagemSefaz: 'Erro de schema (items.0.codigo_ncm: inválido)' },
    });
  });
});

describe('what a GET answer means for an unknown emission', () => {
  it('404 means the POST never arrived: resend with the same ref', () => {
    expect(decideQuery(apiError(404, 'nao_encontrado'))).toEqual({ kind: 'resend' });
    expect(decideQuery(apiError(404, 'nfce_nao_encontrada'))).toEqual({ kind: 'resend' });
  });
  it('a document is adopted; transport trouble means ask again', () => {
    expect(decideQuery(doc({ status: 'cancelado' }))).toMatchObject({ kind: 'adopt', to: 'cancelled' });
    expect(decideQuery({ kind: 'unknown-outcome', reason: 'reset', detail: '' })).toEqual({ kind: 'ask-again' });
    expect(decideQuery({ kind: 'never-sent', reason: 'x' })).toEqual({ kind: 'ask-again' });
    expect(decideQuery(apiError(403, 'permissao_negada'))).toMatchObject({ kind: 'ask-again', patch: { codigoApi: 'permissao_negada' } });
  });
});

describe('keeping answers', () => {
  it('keeps the body as received and the authorization protocol from completa=1', () => {
    const o = doc({ protocolo_nota_fiscal: { numero_protocolo: '141260000000001' }, data_emissao: '2026-05-02T10:00:00-03:00' });
    expect(o.kind === 'ok' && documentPatch(o.body)).toMatchObject({ protocolo: '141260000000001', authorizedAt: '2026-05-02T10:00:00-03:00' });
    const a = answerOf('emit', o, 5);
    expect(a).toMatchObject({ operation: 'emit', kind: 'ok', httpStatus: 201, atMs: 5 });
    expect(JSON.parse(a.body!)).toEqual(o.kind === 'ok' ? o.body : null);
  });
});
