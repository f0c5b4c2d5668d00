// Contingency (§8 items 24–27, §6): Focus's automatic contingency when SEFAZ is down, its
// effectivation ("heal") with the original attempt fixed up, webhooks, and manual offline notes.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildChave, isValidChave, parseChave } from '../../../shared/fiscal/chave.ts';
import { startSandbox, type Sandbox } from '../../../main/sandbox/index.ts';
import { admin, call, emit, note, nowText, sha1Upper, sleep } from './helpers.ts';

let sb: Sandbox;
beforeEach(async () => {
  sb = await startSandbox({ nextNumber: 10, webhookRetryDelaysMs: [50] });
});
afterEach(async () => {
  await sb.close();
});

describe('automatic contingency (§8 items 24–26)', () => {
  it('answers autorizado with a tpEmis 9 note on the next number and tracks the original attempt', async () => {
    sb.controls.set({ sefazDown: true });
    const r = await emit(sb, 'cont_1', note(sb));
    expect(r.status).toBe(201);
    const d = r.json;
    expect(d).toMatchObject({ status: 'autorizado', contingencia_offline: true, contingencia_offline_efetivada: false, numero: '11', serie: '1' });
    const chave = d.chave_nfe.slice(3);
    expect(isValidChave(chave)).toBe(true);
    expect(parseChave(chave)!.tpEmis).toBe(9);
    expect(d.tentativa_anterior).toMatchObject({ status: 'processando_autorizacao', numero: '10', serie: '1' });
    expect(parseChave(d.tentativa_anterior.chave_nfe)!.tpEmis).toBe(1);
    // Offline QR v2: chave|2|tpAmb|DD|vNF|digVal|idCSC|hash
    const parts = (d.qrcode_url as string).split('?p=')[1]!.split('|');
    expect(parts.length).toBe(8);
    expect(parts[3]).toBe((note(sb).data_emissao as string).slice(8, 10));
    expect(parts[4]).toBe('79.00');
    const digest = sb.notes()[0]!.digestValue!;
    expect(parts[5]).toBe(Buffer.from(digest, 'ascii').toString('hex'));
    expect(parts[7]).toBe(sha1Upper(`${parts.slice(0, 7).join('|')}${sb.csc.homologacao.csc}`));
    // The provisional XML has no protocol yet, and says tpEmis 9 with dhCont/xJust.
    const xml = await (await fetch(sb.url + d.caminho_xml_nota_fiscal)).text();
    expect(xml).toContain('<tpEmis>9</tpEmis>');
    expect(xml).toContain('<dhCont>');
    expect(xml).not.toContain('<protNFe');
    // The next normal emission after the outage skips both numbers.
    sb.controls.set({ sefazDown: false });
    expect((await emit(sb, 'depois', note(sb))).json.numero).toBe('12');
  });

  it('heal effectivates, inutilizes the original number, lists it and fires the webhooks', async () => {
    const received: { headers: Record<string, unknown>; body: any }[] = [];
    const hookServer: Server = createServer((req, res) => {
      let b = '';
      req.on('data', (c) => (b += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(b) });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
    const hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/focus`;
    try {
      for (const event of ['nfce_contingencia', 'inutilizacao']) {
        const h = await call(sb, 'POST', '/v2/hooks', {
          body: { cnpj: sb.cnpj, event, url: hookUrl, authorization: 'segredo', authorization_header: 'X-Api-Key' },
        });
        expect(h.status).toBe(200);
        expect(h.json).toMatchObject({ event, url: hookUrl, cnpj: sb.cnpj });
      }
      expect((await call(sb, 'GET', '/v2/hooks')).json).toHaveLength(2);

      sb.controls.set({ sefazDown: true });
      const r = await emit(sb, 'cont_heal', note(sb));
      expect(r.json.contingencia_offline_efetivada).toBe(false);
      sb.controls.set({ sefazDown: false });
      const healed = await admin(sb, 'POST', 'heal');
      expect(healed.json.healed).toEqual(['cont_heal']);

      const g = await call(sb, 'GET', '/v2/nfce/cont_heal?completa=1');
      expect(g.json).toMatchObject({ status: 'autorizado', contingencia_offline: true, contingencia_offline_efetivada: true, numero: '11' });
      expect(g.json.tentativa_anterior).toMatchObject({ status: 'inutilizado', numero: '10' });
      expect(g.json.protocolo_nota_fiscal.status).toBe('100');
      const xml = await (await fetch(sb.url + g.json.caminho_xml_nota_fiscal)).text();
      expect(xml).toContain('<protNFe');

      const list = await call(sb, 'GET', `/v2/nfce/inutilizacoes?cnpj=${sb.cnpj}`);
      expect(list.json).toEqual([
        expect.objectContaining({ numero_inicial: '10', numero_final: '10', status: 'autorizado', status_sefaz: '102', modelo: '65' }),
      ]);

      for (let i = 0; i < 250 && received.length < 2; i++) await sleep(20);
      expect(received.map((x) => x.headers['x-api-key'])).toEqual(['segredo', 'segredo']);
      const cont = received.find((x) => x.body.ref === 'cont_heal')!;
      expect(cont.body).toMatchObject({ status: 'autorizado', contingencia_offline_efetivada: true });
      const inu = received.find((x) => x.body.numero_inicial === '10')!;
      expect(inu.body.status).toBe('autorizado');
      expect(sb.webhookDeliveries().every((d) => d.status === 200)).toBe(true);
    } finally {
      await new Promise<void>((r) => hookServer.close(() => r()));
    }
  });

  it('cancels an original attempt that SEFAZ had authorized, and serves its -can.xml', async () => {
    sb.controls.set({ sefazDown: { originalAuthorized: true } });
    await emit(sb, 'cont_orig', note(sb));
    sb.controls.set({ sefazDown: false });
    await sb.controls.heal();
    const g = await call(sb, 'GET', '/v2/nfce/cont_orig');
    const t = g.json.tentativa_anterior;
    expect(t).toMatchObject({ status: 'cancelado', numero: '10' });
    expect(t.numero_protocolo).toMatch(/^\d{15}$/);
    const can = await fetch(sb.url + t.caminho_xml_cancelamento);
    expect(can.status).toBe(200);
    expect(await can.text()).toContain('<tpEvento>110111</tpEvento>');
    expect((await fetch(sb.url + t.caminho_xml_nota_fiscal)).status).toBe(200);
    expect(sb.inutilizacoes()).toHaveLength(0);
  });

  it('inutilizes both numbers when the contingency note cannot be effectivated', async () => {
    sb.controls.set({ sefazDown: { effectivation: 'fail' } });
    await emit(sb, 'cont_fail', note(sb));
    await sb.controls.heal();
    const g = await call(sb, 'GET', '/v2/nfce/cont_fail');
    expect(g.json).toMatchObject({ status: 'autorizado', contingencia_offline_efetivada: false });
    expect(
      sb
        .inutilizacoes()
        .map((i) => i.numeroInicial)
        .sort(),
    ).toEqual([10, 11]);
  });

  it('can make a failed effectivation visible as erro_autorizacao', async () => {
    sb.controls.set({ sefazDown: { effectivation: 'fail' }, failedEffectivationStatus: 'erro_autorizacao' });
    await emit(sb, 'cont_fail2', note(sb));
    await sb.controls.heal();
    expect((await call(sb, 'GET', '/v2/nfce/cont_fail2')).json.status).toBe('erro_autorizacao');
  });

  it('rejects with 108 when offline contingency is disabled, keeping the ref reusable', async () => {
    sb.controls.set({ sefazDown: true, contingencyEnabled: false });
    const r = await emit(sb, 'sem_cont', note(sb));
    expect(r.json).toMatchObject({ status: 'erro_autorizacao', status_sefaz: '108' });
    sb.controls.reset();
    expect((await emit(sb, 'sem_cont', note(sb))).json.status).toBe('autorizado');
  });

  it('does not cancel a contingency note that SEFAZ has not received yet', async () => {
    sb.controls.set({ sefazDown: true });
    await emit(sb, 'cont_cancel', note(sb));
    const c = await call(sb, 'DELETE', '/v2/nfce/cont_cancel', { body: { justificativa: 'Cliente desistiu da compra' } });
    expect(c.json).toMatchObject({ status: 'erro_cancelamento', status_sefaz: '217' });
  });
});

describe('manual offline contingency (§8 item 27)', () => {
  const offlineBody = (s: Sandbox, over: Record<string, unknown> = {}) =>
    note(s, { serie: '600', numero: '1', codigo_unico: '48213907', data_emissao: nowText(s, -2 * 3_600_000), ...over });

  it('requires numero, serie and codigo_unico', async () => {
    const body = offlineBody(sb);
    delete body.codigo_unico;
    const r = await emit(sb, 'off_falta', body, '&forma_emissao=offline');
    expect(r.status).toBe(400);
    expect(r.json.codigo).toBe('requisicao_invalida');
    expect(r.json.mensagem).toContain('codigo_unico');
  });

  it('accepts a retroactive data_emissao and returns the chave computed from the POS values with tpEmis 9', async () => {
    const body = offlineBody(sb);
    const r = await emit(sb, 'off_ok', body, '&forma_emissao=offline');
    expect(r.json).toMatchObject({ status: 'autorizado', serie: '600', numero: '1', contingencia_offline: true, contingencia_offline_efetivada: true });
    const expected = buildChave({
      uf: 'PR',
      dhEmi: body.data_emissao as string,
      cnpj: sb.cnpj,
      modelo: '65',
      serie: 600,
      numero: 1,
      tpEmis: 9,
      cnf: '48213907',
    });
    expect(r.json.chave_nfe).toBe(`NFe${expected}`);
    // Same POS values under another ref: the very same chave is SEFAZ's 204.
    const again = await emit(sb, 'off_dup', body, '&forma_emissao=offline');
    expect(again.json.status_sefaz).toBe('204');
    // The same retroactive date without forma_emissao=offline is 704.
    const online = await emit(sb, 'off_online', offlineBody(sb, { numero: '2', codigo_unico: '48213908' }));
    expect(online.json.status_sefaz).toBe('704');
  });

  it('rejects a forbidden codigo_unico or one equal to the number with 897, and a too-old date with 704', async () => {
    for (const [i, cnf] of [
      ['1', '12345678'],
      ['2', '00000000'],
    ] as const) {
      const r = await emit(sb, `off_cnf_${i}`, offlineBody(sb, { numero: i, codigo_unico: cnf }), '&forma_emissao=offline');
      expect(r.json.status_sefaz).toBe('897');
    }
    const eq = await emit(sb, 'off_eq', offlineBody(sb, { numero: '4821', codigo_unico: '00004821' }), '&forma_emissao=offline');
    expect(eq.json.status_sefaz).toBe('897');
    const old = await emit(sb, 'off_old', offlineBody(sb, { numero: '3', data_emissao: nowText(sb, -80 * 3_600_000) }), '&forma_emissao=offline');
    expect(old.json.status_sefaz).toBe('704');
    const future = await emit(sb, 'off_fut', offlineBody(sb, { numero: '5', data_emissao: nowText(sb, 10 * 60_000) }), '&forma_emissao=offline');
    expect(future.json.status_sefaz).toBe('703');
    const badCnf = await emit(sb, 'off_fmt', offlineBody(sb, { numero: '6', codigo_unico: '123' }), '&forma_emissao=offline');
    expect(badCnf.status).toBe(422);
  });

  it('keeps a manual offline note pending while SEFAZ is down and effectivates it on heal', async () => {
    sb.controls.set({ sefazDown: true });
    const r = await emit(sb, 'off_down', offlineBody(sb), '&forma_emissao=offline');
    expect(r.json).toMatchObject({ status: 'autorizado', numero: '1', serie: '600', contingencia_offline_efetivada: false });
    expect(r.json).not.toHaveProperty('tentativa_anterior');
    sb.controls.set({ sefazDown: false });
    expect(await sb.controls.heal()).toEqual(['off_down']);
    expect((await call(sb, 'GET', '/v2/nfce/off_down')).json.contingencia_offline_efetivada).toBe(true);
  });
});
