// §8 items 1–22 against a real sandbox on loopback: transport, auth, validation, numbering,
// authorized body and files, completa=1, the ref state machine and concurrency.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildChave, isValidChave, parseChave } from '../../../shared/fiscal/chave.ts';
import { startSandbox, type Sandbox } from '../../../main/sandbox/index.ts';
import { call, emit, note, sha1Upper, sleep } from './helpers.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => {
  await sb.close();
});

describe('transport and auth (§8 items 1–6)', () => {
  it('accepts Basic auth and ?token=, and the token picks the environment', async () => {
    const a = await emit(sb, 'auth_basic', note(sb));
    expect(a.status).toBe(201);
    expect(a.json.caminho_xml_nota_fiscal).toMatch(/^\/arquivos_development\//);
    const b = await call(sb, 'GET', '/v2/nfce/auth_basic', { auth: 'query' });
    expect(b.status).toBe(200);
    expect(b.json.status).toBe('autorizado');
    // The production token does not see homologation refs.
    const c = await call(sb, 'GET', '/v2/nfce/auth_basic', { env: 'producao' });
    expect(c.status).toBe(404);
  });

  it("answers an unknown or missing token with 401 and Rails' plain-text body, with rate-limit headers", async () => {
    const r = await call(sb, 'GET', '/v2/nfce/x', { token: 'nao-existe' });
    expect(r.status).toBe(401);
    expect(r.text).toBe('HTTP Basic: Access denied.\n');
    expect(r.headers.get('content-type')).toContain('text/plain');
    expect(r.headers.get('www-authenticate')).toMatch(/^Basic/);
    sb.controls.set({ badTokenBody: 'empty' });
    expect((await call(sb, 'GET', '/v2/nfce/x', { token: 'nao-existe' })).text).toBe('');
    sb.controls.reset();
    expect(r.headers.get('rate-limit-limit')).toBe('100');
    const none = await call(sb, 'POST', '/v2/nfce?ref=a', { token: null, body: note(sb) });
    expect(none.status).toBe(401);
  });

  it('switches to 403 permissao_negada when configured', async () => {
    const other = await startSandbox({ badTokenStatus: 403 });
    try {
      const r = await call(other, 'GET', '/v2/nfce/x', { token: 'nao-existe' });
      expect(r.status).toBe(403);
      expect(r.json.codigo).toBe('permissao_negada');
    } finally {
      await other.close();
    }
  });

  it('refuses another CNPJ with 403 and a body that is not JSON with 415', async () => {
    const r = await emit(sb, 'cnpj_alheio', note(sb, { cnpj_emitente: '07504505000132' }));
    expect(r.status).toBe(403);
    expect(r.json).toEqual({ codigo: 'permissao_negada', mensagem: 'CNPJ do emitente não autorizado.' });
    const bad = await call(sb, 'POST', '/v2/nfce?ref=json_ruim', { raw: '{"cnpj_emitente": ' });
    expect(bad.status).toBe(415);
    expect(bad.json.codigo).toBe('requisicao_invalida');
  });

  it('answers a wrong method on a document URL with 404 "Utilize o método POST."', async () => {
    const r = await call(sb, 'PUT', '/v2/nfce/qualquer', { body: {} });
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ codigo: 'nao_encontrado', mensagem: 'Utilize o método POST.' });
    const g = await call(sb, 'GET', '/v2/nfce');
    expect(g.status).toBe(404);
  });
});

describe('emission request checks (§8 items 7–10)', () => {
  it('requires ref, a valid forma_emissao and sane ref characters', async () => {
    const noRef = await call(sb, 'POST', '/v2/nfce', { body: note(sb) });
    expect(noRef.status).toBe(400);
    expect(noRef.json.codigo).toBe('ref_ausente');
    const forma = await emit(sb, 'forma_x', note(sb), '&forma_emissao=normal');
    expect(forma.status).toBe(400);
    expect(forma.json.codigo).toBe('forma_emissao_nao_informada');
    const dash = await emit(sb, 'com-hifen', note(sb));
    expect(dash.status).toBe(400);
    expect(dash.json.codigo).toBe('requisicao_invalida');
    expect((await emit(sb, 'x'.repeat(101), note(sb))).status).toBe(400);
    expect((await emit(sb, `T1_${'a'.repeat(97)}`, note(sb))).status).toBe(201);
  });

  it('answers a missing required field with 400 "Parâmetro X não informado." and stores nothing', async () => {
    const body = note(sb);
    delete body.formas_pagamento;
    const r = await emit(sb, 'sem_pagamento', body);
    expect(r.status).toBe(400);
    expect(r.json.codigo).toBe('requisicao_invalida');
    expect(r.json.mensagem).toBe('Parâmetro "formas_pagamento" não informado.');
    expect((await call(sb, 'GET', '/v2/nfce/sem_pagamento')).status).toBe(404);

    const item = note(sb);
    delete (item.items as Record<string, unknown>[])[0]!.codigo_ncm;
    const r2 = await emit(sb, 'sem_ncm', item);
    expect(r2.status).toBe(400);
    expect(r2.json.erros[0].campo).toBe('items[0].codigo_ncm');

    const cst00 = note(sb, { items: [{ ...(note(sb).items as object[])[0], icms_situacao_tributaria: '00' }] });
    const r3 = await emit(sb, 'cst00_incompleto', cst00);
    expect(r3.status).toBe(400);
    expect(r3.json.erros.map((e: { campo: string }) => e.campo)).toContain('items[0].icms_aliquota');
  });

  it('answers format errors with 422 erro_validacao_schema and every problem in erros[]', async () => {
    const base = note(sb);
    const it0 = (base.items as Record<string, unknown>[])[0]!;
    const body = {
      ...base,
      cpf_destinatario: '12345678900',
      nome_destinatario: 'NF-E EMITIDA EM AMBIENTE DE HOMOLOGACAO - SEM VALOR FISCAL',
      items: [{ ...it0, numero_item: '2', codigo_ncm: '6204420' }],
    };
    const r = await emit(sb, 'schema_ruim', body);
    expect(r.status).toBe(422);
    expect(r.json.codigo).toBe('erro_validacao_schema');
    const campos = r.json.erros.map((e: { campo: string }) => e.campo);
    expect(campos).toEqual(expect.arrayContaining(['cpf_destinatario', 'items[0].numero_item', 'items[0].codigo_ncm']));
  });

  it('answers company configuration problems (§8 item 9)', async () => {
    sb.controls.set({ company: { nfceEnabled: false } });
    expect((await emit(sb, 'empresa_off', note(sb))).json.codigo).toBe('empresa_nao_habilitada');
    sb.controls.set({ company: { nfceEnabled: true, cscConfigured: false, idTokenConfigured: false } });
    const r = await emit(sb, 'empresa_sem_csc', note(sb));
    expect(r.status).toBe(422);
    expect(r.json).toEqual({
      codigo: 'erro_validacao',
      mensagem: 'Erro de validação (Código CSC não configurado. Solicite ao suporte técnico.; Id Token não configurado. Solicite ao suporte técnico.)',
    });
    sb.controls.set({ company: { idTokenConfigured: true } });
    expect((await emit(sb, 'empresa_sem_csc', note(sb))).json.mensagem).toBe('Erro de validação (Código CSC não configurado. Solicite ao suporte técnico.)');
    sb.controls.set({ company: { cscError: 'empresa_nao_configurada' } });
    expect((await emit(sb, 'empresa_sem_csc', note(sb))).json.codigo).toBe('empresa_nao_configurada');
    sb.controls.set({ company: { cscConfigured: true, certificateExpired: true } });
    expect((await emit(sb, 'cert_vencido', note(sb))).json.codigo).toBe('certificado_vencido');
    sb.controls.reset();
    expect((await emit(sb, 'empresa_ok', note(sb))).status).toBe(201);
  });
});

describe('authorized note (§8 items 15–19)', () => {
  it('returns the §4.2 keys, a valid chave, a v2 QR with the CSC hash, and serves the files', async () => {
    const r = await emit(sb, 'completa_ok', note(sb));
    expect(r.status).toBe(201);
    const d = r.json;
    expect(d).toMatchObject({
      cnpj_emitente: sb.cnpj,
      ref: 'completa_ok',
      status: 'autorizado',
      status_sefaz: '100',
      mensagem_sefaz: 'Autorizado o uso da NF-e',
    });
    expect(typeof d.numero).toBe('string');
    expect(typeof d.serie).toBe('string');
    const chave = (d.chave_nfe as string).slice(3);
    expect(d.chave_nfe.startsWith('NFe')).toBe(true);
    expect(isValidChave(chave)).toBe(true);
    const f = parseChave(chave)!;
    expect(f).toMatchObject({ cUF: '41', cnpj: sb.cnpj, modelo: '65', serie: Number(d.serie), numero: Number(d.numero), tpEmis: 1 });
    expect(f.aamm).toBe((note(sb).data_emissao as string).slice(2, 4) + (note(sb).data_emissao as string).slice(5, 7));
    expect(d.caminho_xml_nota_fiscal).toBe(
      `/arquivos_development/${sb.cnpj}/${(note(sb).data_emissao as string).slice(0, 4)}${(note(sb).data_emissao as string).slice(5, 7)}/XMLs/${chave}-nfe.xml`,
    );
    expect(d.caminho_danfe).toBe(`/notas_fiscais_consumidor/NFe${chave}.html`);
    expect(d.url_consulta_nf).toBe('http://www.fazenda.pr.gov.br/nfce/consulta');
    // QR v2 online: chave|2|tpAmb|idCSC|SHA1(chave|2|tpAmb|idCSC + CSC)
    const [, p] = (d.qrcode_url as string).split('?p=');
    const parts = p!.split('|');
    expect(parts.slice(0, 4)).toEqual([chave, '2', '2', '1']);
    expect(parts[4]).toBe(sha1Upper(`${chave}|2|2|1${sb.csc.homologacao.csc}`));
    expect(d).not.toHaveProperty('contingencia_offline');

    const xml = await fetch(sb.url + d.caminho_xml_nota_fiscal);
    expect(xml.status).toBe(200);
    expect(xml.headers.get('content-type')).toContain('xml');
    const text = await xml.text();
    expect(text).toContain(`<infNFe Id="NFe${chave}" versao="4.00">`);
    expect(text).toContain('<cStat>100</cStat>');
    expect(text).toContain(`<nNF>${d.numero}</nNF>`);
    expect(text).toContain('<vTroco>21.00</vTroco>');
    const html = await fetch(sb.url + d.caminho_danfe);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(await html.text()).toContain('<svg');
    expect((await fetch(`${sb.url}/notas_fiscais_consumidor/NFe${'4'.repeat(44)}.html`)).status).toBe(404);
  });

  it('adds requisicao_nota_fiscal and protocolo_nota_fiscal with completa=1 and fills omitted totals', async () => {
    const body = note(sb);
    delete (body.items as Record<string, unknown>[])[0]!.valor_bruto;
    const r = await emit(sb, 'completa_1', body, '&completa=1');
    const req = r.json.requisicao_nota_fiscal;
    expect(req).toMatchObject({
      valor_produtos: '79.00',
      valor_total: '79.00',
      tipo_documento: '1',
      consumidor_final: '1',
      finalidade_emissao: '1',
      modelo: '65',
      forma_emissao: '1',
    });
    expect(req.items[0].valor_bruto).toBe('79.00');
    expect(r.json.protocolo_nota_fiscal).toMatchObject({ status: '100', chave_nfe: r.json.chave_nfe.slice(3) });
    expect(r.json.protocolo_nota_fiscal.numero_protocolo).toMatch(/^\d{15}$/);
    const plain = await call(sb, 'GET', '/v2/nfce/completa_1');
    expect(plain.json).not.toHaveProperty('requisicao_nota_fiscal');
    const full = await call(sb, 'GET', '/v2/nfce/completa_1?completa=1');
    expect(full.json.protocolo_nota_fiscal.digest_value).toBe(r.json.protocolo_nota_fiscal.digest_value);
  });

  it('uses the production token for tpAmb 1, /arquivos/ paths and the production CSC', async () => {
    const r = await emit(sb, 'prod_1', note(sb, {}, 'producao'), '', 'producao');
    expect(r.status).toBe(201);
    expect(r.json.caminho_xml_nota_fiscal.startsWith('/arquivos/')).toBe(true);
    const chave = r.json.chave_nfe.slice(3);
    expect(r.json.qrcode_url).toContain(`${chave}|2|1|2|${sha1Upper(`${chave}|2|1|2${sb.csc.producao.csc}`)}`);
  });
});

describe('numbering (§8 item 16)', () => {
  it('numbers per (cnpj, environment, série) and uses client numbers verbatim', async () => {
    const s = await startSandbox({ nextNumber: 500 });
    try {
      const a = await emit(s, 'n1', note(s));
      const b = await emit(s, 'n2', note(s));
      const p = await emit(s, 'p1', note(s, {}, 'producao'), '', 'producao');
      expect([a.json.numero, b.json.numero, p.json.numero]).toEqual(['500', '501', '500']);
      const own = await emit(s, 'own1', note(s, { serie: '7', numero: '42' }));
      expect([own.json.serie, own.json.numero]).toEqual(['7', '42']);
      // A client number ahead of the counter in the same série is skipped by the counter.
      const ahead = await emit(s, 'ahead', note(s, { serie: '1', numero: '502' }));
      expect(ahead.json.numero).toBe('502');
      expect((await emit(s, 'n3', note(s))).json.numero).toBe('503');
      // Reusing an authorized (série, número) is SEFAZ's duplicate: 539 (different chave).
      const dup = await emit(s, 'dup', note(s, { serie: '7', numero: '42' }));
      expect(dup.status).toBe(201);
      expect(dup.json.status).toBe('erro_autorizacao');
      expect(dup.json.status_sefaz).toBe('539');
      expect(dup.json.mensagem_sefaz).toContain(own.json.chave_nfe.slice(3));
    } finally {
      await s.close();
    }
  });
});

describe('ref state machine (§8 items 20–22)', () => {
  it('reprocesses after erro_autorizacao keeping the number, then refuses re-POST after authorization', async () => {
    const bad = note(sb, { items: [{ ...(note(sb).items as object[])[0], descricao: 'PAO FRANCES' }] });
    const r1 = await emit(sb, 'retry_1', bad);
    expect([r1.status, r1.json.status, r1.json.status_sefaz]).toEqual([201, 'erro_autorizacao', '373']);
    expect(r1.json).not.toHaveProperty('chave_nfe');
    const firstNumber = sb.notes().find((n) => n.ref === 'retry_1')!.numero;
    const r2 = await emit(sb, 'retry_1', note(sb));
    expect(r2.json.status).toBe('autorizado');
    expect(Number(r2.json.numero)).toBe(firstNumber);
    expect(sb.notes().find((n) => n.ref === 'retry_1')!.posts).toBe(2);
    const r3 = await emit(sb, 'retry_1', note(sb));
    expect(r3.status).toBe(422);
    expect(r3.json.codigo).toBe('nfe_autorizada');
  });

  it('refuses a second POST while the first is in flight and answers GET with processando_autorizacao', async () => {
    sb.controls.set({ latencyMs: 1500 });
    try {
      const first = emit(sb, 'inflight_1', note(sb));
      // Wait (bounded) until the first POST is being processed, however slow the machine is.
      let q = await call(sb, 'GET', '/v2/nfce/inflight_1');
      for (let i = 0; i < 100 && q.status === 404; i++) {
        await sleep(10);
        q = await call(sb, 'GET', '/v2/nfce/inflight_1');
      }
      expect(q.status).toBe(200);
      expect(q.json).toEqual({ ref: 'inflight_1', cnpj_emitente: sb.cnpj, status: 'processando_autorizacao' });
      const second = await emit(sb, 'inflight_1', note(sb));
      expect(second.status).toBe(422);
      expect(second.json.codigo).toBe('em_processamento');
      expect((await first).json.status).toBe('autorizado');
      expect(sb.notes().filter((n) => n.ref === 'inflight_1')[0]!.posts).toBe(1);
    } finally {
      sb.controls.reset();
    }
  });

  it('answers an unknown ref with 404 nao_encontrado', async () => {
    const r = await call(sb, 'GET', '/v2/nfce/nunca_vista');
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ codigo: 'nao_encontrado', mensagem: 'Nota fiscal não encontrada' });
  });

  it('builds every chave from the emitter UF, the dhEmi month, série, número and cNF', async () => {
    const r = await emit(sb, 'chave_check', note(sb));
    const n = sb.notes().find((x) => x.ref === 'chave_check')!;
    const expected = buildChave({ uf: 'PR', dhEmi: n.dataEmissao!, cnpj: sb.cnpj, modelo: '65', serie: n.serie!, numero: n.numero!, tpEmis: 1, cnf: n.cnf! });
    expect(r.json.chave_nfe).toBe(`NFe${expected}`);
  });
});
