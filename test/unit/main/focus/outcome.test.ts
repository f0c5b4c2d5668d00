import { describe, expect, it } from 'vitest';
import { mapFailure, mapResponse } from '../../../../main/focus/outcome.ts';
import type { RawResponse } from '../../../../main/focus/transport.ts';

const res = (status: number, body: string, headers: RawResponse['headers'] = {}): RawResponse => ({
  status,
  headers,
  body: Buffer.from(body),
});

describe('mapResponse', () => {
  it('treats any body with status as the document, whatever the HTTP code', () => {
    for (const code of [200, 201, 400, 422]) {
      const o = mapResponse('document', res(code, '{"status":"erro_autorizacao","status_sefaz":"373","extra":1}'));
      expect(o).toEqual({ kind: 'ok', status: code, body: { status: 'erro_autorizacao', status_sefaz: '373', extra: 1 } });
    }
  });

  it('reads {codigo, mensagem, erros} as an API error and keeps the field list', () => {
    const o = mapResponse(
      'document',
      res(422, '{"codigo":"erro_validacao_schema","mensagem":"Erro","erros":[{"mensagem":"NCM inválido","campo":"codigo_ncm"},{"mensagem":"x","campo":null}]}'),
    );
    expect(o).toEqual({
      kind: 'api-error',
      status: 422,
      error: {
        codigo: 'erro_validacao_schema',
        mensagem: 'Erro',
        erros: [
          { mensagem: 'NCM inválido', campo: 'codigo_ncm' },
          { mensagem: 'x', campo: null },
        ],
      },
    });
  });

  it('synthesizes an error for empty 401/403/404 bodies', () => {
    expect(mapResponse('document', res(401, ''))).toMatchObject({ kind: 'api-error', status: 401, error: { codigo: 'nao_autorizado' } });
    expect(mapResponse('document', res(403, ''))).toMatchObject({ kind: 'api-error', status: 403, error: { codigo: 'permissao_negada' } });
    expect(mapResponse('bytes', res(404, ''))).toMatchObject({ kind: 'api-error', status: 404, error: { codigo: 'http_404_sem_codigo' } });
    expect(mapResponse('document', res(418, '<html>'))).toMatchObject({ kind: 'api-error', status: 418, error: { codigo: 'http_418' } });
  });

  it('treats 5xx without a document as an unknown outcome, even with a {codigo} body', () => {
    expect(mapResponse('document', res(502, '<html>Bad gateway</html>'))).toMatchObject({ kind: 'unknown-outcome', reason: 'server-error', status: 502 });
    expect(mapResponse('document', res(500, '{"codigo":"erro_interno","mensagem":"x"}'))).toMatchObject({ kind: 'unknown-outcome', reason: 'server-error' });
  });

  it('treats an unreadable 2xx as malformed (unknown outcome), never as success', () => {
    expect(mapResponse('document', res(201, '{"status":'))).toMatchObject({ kind: 'unknown-outcome', reason: 'malformed', status: 201 });
    expect(mapResponse('document', res(200, '{"foo":1}'))).toMatchObject({ kind: 'unknown-outcome', reason: 'malformed' });
    expect(mapResponse('document', res(200, ''))).toMatchObject({ kind: 'unknown-outcome', reason: 'malformed' });
    expect(mapResponse('array', res(200, '{"status":"autorizado"}'))).toMatchObject({ kind: 'unknown-outcome', reason: 'malformed' });
  });

  it('accepts arrays, plain acks and raw bytes where the endpoint returns them', () => {
    expect(mapResponse('array', res(200, '[{"status":"autorizado"}]'))).toEqual({ kind: 'ok', status: 200, body: [{ status: 'autorizado' }] });
    expect(mapResponse('object', res(200, ''))).toEqual({ kind: 'ok', status: 200, body: {} });
    expect(mapResponse('object', res(200, '{"emails":["a@b.com"]}'))).toEqual({ kind: 'ok', status: 200, body: { emails: ['a@b.com'] } });
    const bytes = mapResponse<Uint8Array>('bytes', res(200, '<xml/>'));
    expect(bytes.kind).toBe('ok');
    if (bytes.kind === 'ok') expect(Buffer.from(bytes.body).toString()).toBe('<xml/>');
  });
});

describe('mapFailure', () => {
  const redact = (s: string) => s.split('SECRET').join('***');
  const err = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

  it('anything before the request was written is never-sent', () => {
    for (const code of ['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND', 'UND_ERR_SOCKET']) {
      const o = mapFailure({ sent: false, cause: 'transport', error: err(code) }, redact);
      expect(o.kind).toBe('never-sent');
      if (o.kind === 'never-sent') expect(o.reason).toContain(code);
    }
    expect(mapFailure({ sent: false, cause: 'deadline', error: err('BALCAO_DEADLINE') }, redact).kind).toBe('never-sent');
  });

  it('anything after the write is an unknown outcome with a precise reason', () => {
    const after = (cause: 'deadline' | 'signal' | 'transport', code: string) => mapFailure({ sent: true, cause, error: err(code) }, redact);
    expect(after('transport', 'UND_ERR_HEADERS_TIMEOUT')).toMatchObject({ kind: 'unknown-outcome', reason: 'timeout' });
    expect(after('transport', 'UND_ERR_BODY_TIMEOUT')).toMatchObject({ kind: 'unknown-outcome', reason: 'timeout' });
    expect(after('deadline', 'BALCAO_DEADLINE')).toMatchObject({ kind: 'unknown-outcome', reason: 'timeout' });
    expect(after('signal', 'BALCAO_ABORTED')).toMatchObject({ kind: 'unknown-outcome', reason: 'aborted' });
    expect(after('transport', 'UND_ERR_SOCKET')).toMatchObject({ kind: 'unknown-outcome', reason: 'reset' });
    expect(after('transport', 'ECONNRESET')).toMatchObject({ kind: 'unknown-outcome', reason: 'reset' });
    expect(after('transport', 'HPE_INVALID_CONSTANT')).toMatchObject({ kind: 'unknown-outcome', reason: 'malformed' });
  });

  it('redacts secrets from error text', () => {
    const o = mapFailure({ sent: true, cause: 'transport', error: err('UND_ERR_SOCKET', 'failed for SECRET') }, redact);
    expect(JSON.stringify(o)).not.toContain('SECRET');
  });
});
