// Cancel, e-mail and inutilização (§8 items 28–30).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../main/sandbox/index.ts';
import { call, emit, note } from './helpers.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ nextNumber: 100 });
});
afterAll(async () => {
  await sb.close();
});

const JUST = 'Cliente desistiu da compra no caixa';
const cancel = (ref: string, body?: unknown) => call(sb, 'DELETE', `/v2/nfce/${ref}`, body === undefined ? {} : { body });

describe('cancel (§8 item 28)', () => {
  it('validates the justificativa before anything else', async () => {
    await emit(sb, 'c_val', note(sb));
    const none = await cancel('c_val');
    expect([none.status, none.json.codigo]).toEqual([400, 'justificativa_nao_informada']);
    const short = await cancel('c_val', { justificativa: 'curta' });
    expect(short.status).toBe(400);
    expect(short.json).toEqual({ codigo: 'requisicao_invalida', mensagem: 'Parâmetro "justificativa" deve ter entre 15 e 255 caracteres' });
    expect((await cancel('c_val', { justificativa: 'x'.repeat(256) })).status).toBe(400);
  });

  it('answers unknown refs with 404 and non-authorized notes with 422 nfe_nao_autorizada', async () => {
    expect((await cancel('c_nunca', { justificativa: JUST })).status).toBe(404);
    await emit(sb, 'c_rej', note(sb, { items: [{ ...(note(sb).items as object[])[0], codigo_ncm: '99999999' }] }));
    const r = await cancel('c_rej', { justificativa: JUST });
    expect(r.status).toBe(422);
    expect(r.json).toEqual({ codigo: 'nfe_nao_autorizada', mensagem: 'Nota fiscal não autorizada' });
  });

  it('cancels within 30 minutes, turns GET into cancelado, serves -can.xml, then refuses a second cancel', async () => {
    await emit(sb, 'c_ok', note(sb));
    const r = await cancel('c_ok', { justificativa: JUST });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: 'cancelado', status_sefaz: '135', mensagem_sefaz: 'Evento registrado e vinculado a NF-e' });
    expect(r.json.caminho_xml_cancelamento).toMatch(/-can\.xml$/);
    expect(r.json.numero_protocolo).toMatch(/^\d{15}$/);
    const g = await call(sb, 'GET', '/v2/nfce/c_ok?completa=1');
    expect(g.json).toMatchObject({ status: 'cancelado', caminho_xml_cancelamento: r.json.caminho_xml_cancelamento, numero_protocolo: r.json.numero_protocolo });
    expect(g.json.protocolo_cancelamento).toMatchObject({ status: '135', numero_protocolo: r.json.numero_protocolo });
    expect(g.json.requisicao_cancelamento.justificativa).toBe(JUST);
    const xml = await fetch(sb.url + r.json.caminho_xml_cancelamento);
    expect(xml.status).toBe(200);
    expect(await xml.text()).toContain(`<xJust>${JUST}</xJust>`);
    const again = await cancel('c_ok', { justificativa: JUST });
    expect([again.status, again.json.codigo]).toEqual([400, 'nfe_cancelada']);
    // A cancelled ref can never be emitted again.
    expect((await emit(sb, 'c_ok', note(sb))).json.codigo).toBe('nfe_autorizada');
  });

  it('refuses after 30 minutes with erro_cancelamento 501 and the note stays autorizado', async () => {
    await emit(sb, 'c_tarde', note(sb));
    sb.controls.setClockOffset(31 * 60_000);
    try {
      const r = await cancel('c_tarde', { justificativa: JUST });
      expect(r.status).toBe(200);
      expect(r.json).toEqual({
        status: 'erro_cancelamento',
        status_sefaz: '501',
        mensagem_sefaz: 'Rejeicao: Prazo de cancelamento superior ao previsto na Legislacao',
      });
      expect((await call(sb, 'GET', '/v2/nfce/c_tarde')).json.status).toBe('autorizado');
    } finally {
      sb.controls.setClockOffset(0);
    }
  });
});

describe('e-mail (§8 item 29)', () => {
  it('accepts up to 10 valid addresses and records the call', async () => {
    await emit(sb, 'e_ok', note(sb));
    const r = await call(sb, 'POST', '/v2/nfce/e_ok/email', { body: { emails: ['ana@example.com', 'bruno@example.com'] } });
    expect(r.status).toBe(200);
    expect(sb.emails()).toEqual([expect.objectContaining({ ref: 'e_ok', emails: ['ana@example.com', 'bruno@example.com'], env: 'homologacao' })]);
  });

  it('refuses more than 10, invalid addresses, and unknown refs', async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `c${i}@example.com`);
    const many = await call(sb, 'POST', '/v2/nfce/e_ok/email', { body: { emails: eleven } });
    expect([many.status, many.json.codigo]).toEqual([400, 'requisicao_invalida']);
    const bad = await call(sb, 'POST', '/v2/nfce/e_ok/email', { body: { emails: ['nao-e-email'] } });
    expect(bad.status).toBe(400);
    expect((await call(sb, 'POST', '/v2/nfce/e_nunca/email', { body: { emails: ['a@example.com'] } })).status).toBe(404);
    expect(sb.emails()).toHaveLength(1);
  });
});

describe('inutilização (§8 item 30)', () => {
  const inut = (body: Record<string, unknown>) => call(sb, 'POST', '/v2/nfce/inutilizacao', { body });
  const base = () => ({ cnpj: sb.cnpj, serie: '1', numero_inicial: '900', numero_final: '903', justificativa: 'Falha no sistema de numeracao' });

  it('validates every field', async () => {
    for (const f of ['cnpj', 'serie', 'numero_inicial', 'numero_final', 'justificativa']) {
      const b: Record<string, unknown> = base();
      delete b[f];
      const r = await inut(b);
      expect(r.status).toBe(400);
      expect(r.json.mensagem).toContain(f);
    }
    expect((await inut({ ...base(), justificativa: 'curta demais' })).status).toBe(400);
    expect((await inut({ ...base(), numero_inicial: '905' })).status).toBe(400);
    expect((await inut({ ...base(), cnpj: '07504505000132' })).status).toBe(403);
  });

  it('voids a free range (102), serves its XML, lists it with filters, and refuses used or voided numbers', async () => {
    const ok = await inut(base());
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({
      status: 'autorizado',
      status_sefaz: '102',
      serie: '1',
      numero_inicial: '900',
      numero_final: '903',
      modelo: '65',
      cnpj: sb.cnpj,
    });
    expect(ok.json.caminho_xml).toMatch(new RegExp(`/arquivos_development/${sb.cnpj}/\\d{6}/XMLs/\\d{2}${sb.cnpj}65001000000900000000903-inu\\.xml$`));
    const xml = await fetch(sb.url + ok.json.caminho_xml);
    expect(xml.status).toBe(200);
    expect(await xml.text()).toContain('<nNFIni>900</nNFIni>');

    const overlap = await inut({ ...base(), numero_inicial: '903', numero_final: '910' });
    expect(overlap.json).toMatchObject({ status: 'erro_autorizacao', status_sefaz: '256' });

    const used = await emit(sb, 'i_used', note(sb));
    const n = used.json.numero;
    const clash = await inut({ ...base(), numero_inicial: n, numero_final: n });
    expect(clash.json).toEqual({
      status_sefaz: '241',
      mensagem_sefaz: 'Um numero da faixa ja foi utilizado',
      serie: '1',
      numero_inicial: n,
      numero_final: n,
      status: 'erro_autorizacao',
    });

    const list = await call(sb, 'GET', `/v2/nfce/inutilizacoes?cnpj=${sb.cnpj}`);
    expect(list.json.map((i: { numero_inicial: string }) => i.numero_inicial)).toEqual(['900']);
    expect(list.json[0].protocolo_sefaz).toMatch(/^\d{15}$/);
    const none = await call(sb, 'GET', `/v2/nfce/inutilizacoes?cnpj=${sb.cnpj}&numero_inicial=950`);
    expect(none.json).toEqual([]);
    const today = new Date(sb.controls.now() - 3 * 3_600_000).toISOString().slice(0, 10);
    const byDate = await call(sb, 'GET', `/v2/nfce/inutilizacoes?cnpj=${sb.cnpj}&data_recebimento_inicial=${today}&data_recebimento_final=${today}`);
    expect(byDate.json).toHaveLength(1);
    const missing = await call(sb, 'GET', '/v2/nfce/inutilizacoes');
    expect(missing.json).toEqual({ codigo: 'requisicao_invalida', mensagem: 'Parâmetro "cnpj" ou "cpf" inválidos ou não informados' });
    // Production does not see homologation inutilizações.
    expect((await call(sb, 'GET', `/v2/nfce/inutilizacoes?cnpj=${sb.cnpj}`, { env: 'producao' })).json).toEqual([]);
  });

  it('makes the automatic numbering skip voided numbers', async () => {
    const s = await startSandbox();
    try {
      await call(s, 'POST', '/v2/nfce/inutilizacao', {
        body: { cnpj: s.cnpj, serie: '1', numero_inicial: '1', numero_final: '2', justificativa: 'Numeros pulados por erro do sistema' },
      });
      expect((await emit(s, 'depois_inut', note(s))).json.numero).toBe('3');
      // A client-numbered note on a voided number is SEFAZ's 206.
      const r = await emit(s, 'cliente_inut', note(s, { serie: '1', numero: '2' }));
      expect(r.json.status_sefaz).toBe('206');
    } finally {
      await s.close();
    }
  });
});
