// Every FocusClient endpoint against the running sandbox: document statuses and API error shapes.
import { describe, expect, it } from 'vitest';
import { request } from 'undici';
import { mapResponse } from '../../../main/focus/outcome.ts';
import type { FocusDocument, FocusOutcome } from '../../../main/focus/types.ts';
import { nfceBody, newRef } from '../../fixtures/focus/nfce.ts';
import { clientFor, sandbox, useCleanup } from './sandbox-helpers.ts';

useCleanup();

function doc(o: FocusOutcome<FocusDocument>): FocusDocument {
  if (o.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(o)}`);
  return o.body;
}

describe('FocusClient endpoints against the sandbox', () => {
  it('emit → autorizado with key, paths and QR; query returns the same; completa adds the SEFAZ objects', async () => {
    const sb = await sandbox();
    const c = clientFor(sb);
    const ref = newRef();
    const emitted = await c.emit(ref, nfceBody(sb.cnpj));
    expect(emitted).toMatchObject({ kind: 'ok' });
    const d = doc(emitted);
    expect(d.status).toBe('autorizado');
    expect(d.status_sefaz).toBe('100');
    expect(d.chave_nfe).toMatch(/^NFe\d{44}$/);
    expect(d.caminho_xml_nota_fiscal).toMatch(/^\//);
    expect(d.qrcode_url).toContain('?p=');

    const q = doc(await c.query(ref));
    expect(q).toMatchObject({ status: 'autorizado', chave_nfe: d.chave_nfe, numero: d.numero, serie: d.serie });
    const full = doc(await c.query(ref, { completa: true }));
    expect(full.requisicao_nota_fiscal).toBeTypeOf('object');
    expect(full.protocolo_nota_fiscal).toBeTypeOf('object');

    const again = doc(await c.emit(newRef(), nfceBody(sb.cnpj), { completa: true }));
    expect(again.requisicao_nota_fiscal).toBeTypeOf('object');
    expect(Number(again.numero)).toBe(Number(d.numero) + 1);
  });

  it('downloads the XML and the DANFCe HTML from the caminho_* paths', async () => {
    const sb = await sandbox();
    const c = clientFor(sb);
    const d = doc(await c.emit(newRef(), nfceBody(sb.cnpj)));
    const xml = await c.download(d.caminho_xml_nota_fiscal ?? '');
    expect(xml.kind).toBe('ok');
    if (xml.kind === 'ok') expect(Buffer.from(xml.body).toString()).toContain(d.chave_nfe?.slice(3));
    const danfe = await c.download(d.caminho_danfe ?? '');
    expect(danfe.kind).toBe('ok');
    if (danfe.kind === 'ok') expect(Buffer.from(danfe.body).toString().toLowerCase()).toContain('<html');
    // Absolute URL of the same host gets the same treatment.
    const abs = await c.download(`${sb.url}${d.caminho_xml_nota_fiscal}`);
    expect(abs.kind).toBe('ok');
    expect((await c.download('/arquivos_development/nao/existe-nfe.xml')).kind).toBe('api-error');
  });

  it('erro_autorizacao (SEFAZ rejection) is a document, and the ref can be re-sent', async () => {
    const sb = await sandbox();
    const c = clientFor(sb);
    const ref = newRef();
    const bad = nfceBody(sb.cnpj);
    (bad.items[0] as Record<string, unknown>).descricao = 'PAO FRANCES';
    const rejected = doc(await c.emit(ref, bad));
    expect(rejected.status).toBe('erro_autorizacao');
    expect(rejected.status_sefaz).toBe('373');
    expect(rejected.mensagem_sefaz).toBeTruthy();
    expect(doc(await c.emit(ref, nfceBody(sb.cnpj))).status).toBe('autorizado');

    sb.controls.set({ reject: { count: 1, status_sefaz: '778', mensagem_sefaz: 'Rejeicao: NCM inexistente' } });
    expect(doc(await c.emit(newRef(), nfceBody(sb.cnpj)))).toMatchObject({ status: 'erro_autorizacao', status_sefaz: '778' });
  });

  it('denegado is a document; the ref cannot be reused (422)', async () => {
    const sb = await sandbox();
    const c = clientFor(sb);
    const ref = newRef();
    sb.controls.set({ deny: { count: 1 } });
    expect(doc(await c.emit(ref, nfceBody(sb.cnpj))).status).toBe('denegado');
    const reuse = await c.emit(ref, nfceBody(sb.cnpj));
    expect(reuse).toMatchObject({ kind: 'api-error', status: 422 });
  });

  it('cancel (DELETE with body) → cancelado, query shows it, second cancel is an API error', async () => {
    const sb = await sandbox();
    const c = clientFor(sb);
    const ref = newRef();
    doc(await c.emit(ref, nfceBody(sb.cnpj)));
    const cancelled = await c.cancel(ref, 'Cliente desistiu da compra no caixa');
    expect(cancelled).toMatchObject({ kind: 'ok', body: { status: 'cancelado', status_sefaz: '135' } });
    if (cancelled.kind === 'ok') expect(cancelled.body.caminho_xml_cancelamento).toMatch(/-can\.xml$/);
    expect(doc(await c.query(ref)).status).toBe('cancelado');
    const twice = await c.cancel(ref, 'Cliente desistiu da compra no caixa');
    expect(twice).toMatchObject({ kind: 'api-error', error: { codigo: 'nfe_cancelada' } });
    // The sandbox saw the justificativa, so the DELETE body really travelled.
    expect(sb.notes().find((n) => n.ref === ref)?.cancel?.justificativa).toBe('Cliente desistiu da compra no caixa');
  });

  it('cancel errors: unknown ref 404, non-authorized note 422/404, local length check', async () => {
    const sb = await sandbox();
    const c = clientFor(sb);
    expect(await c.cancel(newRef(), 'Justificativa suficientemente longa')).toMatchObject({ kind: 'api-error', status: 404 });
    const ref = newRef();
    sb.controls.set({ reject: { count: 1, status_sefaz: '778', mensagem_sefaz: 'Rejeicao: NCM inexistente' } });
    doc(await c.emit(ref, nfceBody(sb.cnpj)));
    const notAuth = await c.cancel(ref, 'Justificativa suficientemente longa');
    expect(notAuth.kind).toBe('api-error');
    if (notAuth.kind === 'api-error') expect([404, 422]).toContain(notAuth.status);
    expect(await c.cancel(ref, 'x'.repeat(256))).toMatchObject({ kind: 'api-error', status: 0 });
  });

  it('automatic contingency: autorizado with contingencia_offline, later efetivada with tentativa_anterior', async () => {
    const sb = await sandbox();
    const c = clientFor(sb);
    const ref = newRef();
    sb.controls.set({ sefazDown: true });
    const d = doc(await c.emit(ref, nfceBody(sb.cnpj)));
    expect(d).toMatchObject({ status: 'autorizado', contingencia_offline: true, contingencia_offline_efetivada: false });
    sb.controls.set({ sefazDown: false });
    await sb.controls.heal();
    const later = doc(await c.query(ref));
    expect(later).toMatchObject({ status: 'autorizado', contingencia_offline: true, contingencia_offline_efetivada: true });
    expect(later.tentativa_anterior?.status).toBeTruthy();
  });

  it('manual offline (forma_emissao=offline) keeps the POS numbering and tpEmis 9 in the key', async () => {
    const sb = await sandbox();
    const c = clientFor(sb);
    const body = nfceBody(sb.cnpj, { numero: '41', serie: '600', codigo_unico: '73920145' }, Date.now() - 30 * 60_000);
    const d = doc(await c.emit(newRef(), body, { offline: true }));
    expect(d.status).toBe('autorizado');
    expect(d.numero).toBe('41');
    expect(d.serie).toBe('600');
    const key = d.chave_nfe?.slice(3) ?? '';
    expect(key.slice(22, 25)).toBe('600');
    expect(key.slice(34, 35)).toBe('9');
    expect(key.slice(35, 43)).toBe('73920145');
  });

  it('email: sent to ≤10 addresses; local refusal above 10; unknown ref 404', async () => {
    const sb = await sandbox();
    const c = clientFor(sb);
    const ref = newRef();
    doc(await c.emit(ref, nfceBody(sb.cnpj)));
    expect((await c.email(ref, ['cliente@example.com'])).kind).toBe('ok');
    expect(sb.emails().some((e) => e.ref === ref && e.emails.includes('cliente@example.com'))).toBe(true);
    const eleven = Array.from({ length: 11 }, (_, i) => `c${i}@example.com`);
    expect(await c.email(ref, eleven)).toMatchObject({ kind: 'api-error', status: 0 });
    expect(await c.email(newRef(), ['a@example.com'])).toMatchObject({ kind: 'api-error', status: 404 });
  });

  it('inutilização: autorizado, erro_autorizacao for a used number, and the listing', async () => {
    const sb = await sandbox();
    const c = clientFor(sb);
    const used = doc(await c.emit(newRef(), nfceBody(sb.cnpj)));
    const ok = await c.inutilize({
      cnpj: sb.cnpj,
      serie: '1',
      numero_inicial: '500',
      numero_final: '502',
      justificativa: 'Falha no sistema, numeração pulada',
    });
    expect(ok).toMatchObject({ kind: 'ok', body: { status: 'autorizado', status_sefaz: '102' } });
    const clash = await c.inutilize({
      cnpj: sb.cnpj,
      serie: used.serie ?? '1',
      numero_inicial: used.numero ?? '1',
      numero_final: used.numero ?? '1',
      justificativa: 'Falha no sistema, numeração pulada',
    });
    expect(clash).toMatchObject({ kind: 'ok', body: { status: 'erro_autorizacao', status_sefaz: '241' } });
    const list = await c.listInutilizacoes({ cnpj: sb.cnpj });
    expect(list.kind).toBe('ok');
    if (list.kind === 'ok') expect(list.body.some((i) => i.numero_inicial === '500' && i.numero_final === '502')).toBe(true);
    expect(await c.listInutilizacoes({})).toMatchObject({ kind: 'api-error', status: 0 });
  });

  it('API error shapes: 400, 403 (foreign CNPJ), 404, 422 (re-POST), 401 empty (bad token), 415 (bad JSON)', async () => {
    const sb = await sandbox();
    const c = clientFor(sb);
    const missing = await c.emit(newRef(), nfceBody(sb.cnpj, { formas_pagamento: [] }));
    expect(missing).toMatchObject({ kind: 'api-error', status: 400, error: { codigo: 'requisicao_invalida' } });
    if (missing.kind === 'api-error') expect(missing.error.mensagem).toBeTruthy();

    const foreign = await c.emit(newRef(), nfceBody('11222333000181'));
    expect(foreign).toMatchObject({ kind: 'api-error', status: 403, error: { codigo: 'permissao_negada' } });

    expect(await c.query(newRef())).toMatchObject({ kind: 'api-error', status: 404 });

    const ref = newRef();
    doc(await c.emit(ref, nfceBody(sb.cnpj)));
    expect(await c.emit(ref, nfceBody(sb.cnpj))).toMatchObject({ kind: 'api-error', status: 422, error: { codigo: 'nfe_autorizada' } });

    const stranger = clientFor(sb, { token: 'TOKENDESCONHECIDO0000000000000000' });
    expect(await stranger.query(ref)).toMatchObject({ kind: 'api-error', status: 401, error: { codigo: 'nao_autorizado' } });

    // The client cannot produce invalid JSON, so the 415 answer is fetched raw and read by the same mapper.
    const raw = await request(`${sb.url}/v2/nfce?ref=${newRef()}`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${sb.tokens.homologacao}:`).toString('base64')}`, 'content-type': 'application/json' },
      body: '{"cnpj_emitente": ',
    });
    const body = Buffer.from(await raw.body.arrayBuffer());
    expect(mapResponse('document', { status: raw.statusCode, headers: raw.headers, body })).toMatchObject({ kind: 'api-error', status: 415 });
  });

  it('403 for a bad token when the sandbox is set that way', async () => {
    const sb = await sandbox({ badTokenStatus: 403 });
    const c = clientFor(sb, { token: 'TOKENDESCONHECIDO0000000000000000' });
    expect(await c.query(newRef())).toMatchObject({ kind: 'api-error', status: 403, error: { codigo: 'permissao_negada' } });
  });

  it('tracks Rate-Limit-* from every answer and reports each exchange to listeners', async () => {
    const sb = await sandbox({ rateLimit: 50 });
    const c = clientFor(sb);
    const events: { status?: number; outcome: string; path: string }[] = [];
    const off = c.onExchange((e) => events.push(e));
    await c.warm();
    await c.query(newRef());
    expect(c.rateLimit()).toMatchObject({ limit: 50, remaining: 48 });
    expect(c.rateLimit().resetAt).toBeGreaterThan(Date.now());
    expect(events.map((e) => [e.path, e.status])).toEqual([
      ['/v2/nfce/__warm__', 404],
      [expect.stringMatching(/^\/v2\/nfce\/it_/), 404],
    ]);
    off();
    await c.query(newRef());
    expect(events).toHaveLength(2);
  });
});
