// IBS/CBS through the sandbox (§8 items 35–36): the ten hand-computed notes field by field in the
// XML the sandbox serves, and SEFAZ's rejections by the sandbox's clock and the company's CRT.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../main/sandbox/index.ts';
import { buildNfceRequest } from '../../../shared/nfce/payload.ts';
import { parseFocusDateTime } from '../../../shared/datetime.ts';
import type { Crt } from '../../../shared/sale.ts';
import { D2026, D2027, emitterOf, handNotes, saleOf } from '../../unit/shared/nfce/ibscbs-notes.ts';
import { cash, product } from '../../unit/shared/fixtures.ts';
import { call, emit } from './helpers.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ nextNumber: 500 });
});
afterAll(async () => {
  await sb.close();
});

/** Puts the sandbox's clock (SEFAZ's receipt time) at a note's data_emissao and its company on `crt`. */
function at(dataEmissao: string, crt: Crt): void {
  sb.controls.reset();
  sb.controls.setClockOffset((parseFocusDateTime(dataEmissao)?.epochMs as number) + 30_000 - Date.now());
  sb.controls.set({ company: { crt } });
}

function bodyFor(crt: Crt, createdAt: string, opts: { early?: boolean; env?: 'homologacao' | 'producao' } = {}) {
  const sale = saleOf(
    [{ product: product({ icms: crt === 1 || crt === 4 ? '102' : '40', priceCents: 3950 }), qtyE4: 20_000, unitPriceCents: 3950 }],
    [cash(7900)],
    createdAt,
  );
  return buildNfceRequest({
    sale,
    emitter: { ...emitterOf(crt), cnpj: sb.cnpj },
    environment: opts.env ?? 'homologacao',
    taxReform: { earlyStart: opts.early ?? false },
  });
}

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
const block = (xml: string, name: string) => new RegExp(`<${name}(?: [^>]*)?>(.*?)</${name}>`).exec(xml)?.[1] ?? '';

let seq = 0;
async function emitted(body: Record<string, unknown>, env: 'homologacao' | 'producao' = 'homologacao') {
  const r = await emit(sb, `tr_${++seq}`, body, '', env);
  return r.json;
}

describe('the ten hand-computed notes in the sandbox XML', () => {
  for (const n of handNotes()) {
    it(n.name, async () => {
      at(n.sale.createdAt, n.crt);
      const body = buildNfceRequest({
        sale: n.sale,
        emitter: { ...emitterOf(n.crt), cnpj: sb.cnpj },
        environment: 'homologacao',
        taxReform: { earlyStart: n.earlyStart ?? false },
      });
      const doc = await emitted(body);
      expect([doc.status, doc.status_sefaz, doc.mensagem_sefaz]).toEqual(['autorizado', '100', 'Autorizado o uso da NF-e']);
      const xml = await (await fetch(sb.url + doc.caminho_xml_nota_fiscal)).text();
      const dets = [...xml.matchAll(/<det nItem="\d+">(.*?)<\/det>/g)].map((m) => m[1] as string);
      expect(dets).toHaveLength(n.sale.items.length);
      if (n.items === null) {
        expect(xml).not.toContain('<IBSCBS>');
        expect(xml).not.toContain('<IBSCBSTot>');
        expect(xml).not.toContain('<vNFTot>');
        return;
      }
      const r4 = (p: string | undefined) => Number(p).toFixed(4);
      n.items.forEach(([vBC, vUF, vMun, vIBS, vCBS, vItem, vDesc], i) => {
        const d = dets[i] as string;
        const g = block(d, 'IBSCBS');
        expect(tag(g, 'CST')).toBe('000');
        expect(tag(g, 'cClassTrib')).toBe('000001');
        expect(tag(block(g, 'gIBSCBS'), 'vBC'), `item ${i + 1} vBC`).toBe(vBC);
        expect(tag(g, 'pIBSUF')).toBe(r4(n.rates?.ibsUf));
        expect(tag(g, 'vIBSUF'), `item ${i + 1} vIBSUF`).toBe(vUF);
        expect(tag(g, 'pIBSMun')).toBe(r4(n.rates?.ibsMun));
        expect(tag(g, 'vIBSMun'), `item ${i + 1} vIBSMun`).toBe(vMun);
        expect(tag(g, 'vIBS'), `item ${i + 1} vIBS`).toBe(vIBS);
        expect(tag(g, 'pCBS')).toBe(r4(n.rates?.cbs));
        expect(tag(g, 'vCBS'), `item ${i + 1} vCBS`).toBe(vCBS);
        expect(tag(d, 'vItem'), `item ${i + 1} vItem`).toBe(vItem);
        expect(tag(block(d, 'prod'), 'vDesc'), `item ${i + 1} vDesc`).toBe(vDesc);
      });
      const [vBC, vUF, vMun, vIBS, vCBS, vNFTot] = n.totals ?? [];
      const tot = block(xml, 'IBSCBSTot');
      expect(tag(tot, 'vBCIBSCBS')).toBe(vBC);
      expect(tag(block(tot, 'gIBSUF'), 'vIBSUF')).toBe(vUF);
      expect(tag(block(tot, 'gIBSMun'), 'vIBSMun')).toBe(vMun);
      expect(tag(block(tot, 'gIBS').replace(/<gIBSUF>.*<\/gIBSMun>/, ''), 'vIBS')).toBe(vIBS);
      expect(tag(block(tot, 'gCBS'), 'vCBS')).toBe(vCBS);
      expect(tag(xml, 'vNFTot')).toBe(vNFTot);
      expect(tag(block(xml, 'ICMSTot'), 'vNF')).toBe(vNFTot);
      if (n.troco) expect(tag(xml, 'vTroco')).toBe(n.troco);
    });
  }
});

describe('rejection 1115 by the sandbox clock and the company CRT (§8 item 36)', () => {
  it('regime normal: from 01/07/2026 in homologation and 03/08/2026 in production; off when configured', async () => {
    at('2026-06-30T12:00:00-03:00', 3);
    expect((await emitted(bodyFor(3, '2026-06-30T12:00:00-03:00'))).status).toBe('autorizado');
    at('2026-07-15T12:00:00-03:00', 3);
    const body = bodyFor(3, '2026-07-15T12:00:00-03:00');
    // Balcão itself always sends it for CRT 3: strip the group to see SEFAZ's answer.
    const bare = { ...body, items: body.items.map((it) => Object.fromEntries(Object.entries(it).filter(([k]) => !/^(ibs|cbs|valor_total_item)/.test(k)))) };
    for (const k of Object.keys(bare)) if (/^(ibs_|cbs_)/.test(k)) delete (bare as Record<string, unknown>)[k];
    const h = await emitted(bare);
    expect([h.status, h.status_sefaz, h.mensagem_sefaz]).toEqual(['erro_autorizacao', '1115', 'Rejeição: IBS/CBS não informado [nItem: 1]']);
    expect((await emitted(bodyFor(3, '2026-07-15T12:00:00-03:00'))).status).toBe('autorizado');
    const prodBare = { ...bare, items: bare.items.map((it, i) => (i === 0 ? { ...it, descricao: 'CAMISA POLO' } : it)) };
    expect((await emitted(prodBare, 'producao')).status).toBe('autorizado');
    at('2026-08-03T12:00:00-03:00', 3);
    expect((await emitted({ ...prodBare, data_emissao: '2026-08-03T12:00:00-03:00' }, 'producao')).status_sefaz).toBe('1115');
    sb.controls.set({ ibsCbs: { crt3From: null } });
    expect((await emitted({ ...prodBare, data_emissao: '2026-08-03T12:00:00-03:00' }, 'producao')).status).toBe('autorizado');
  });

  it('Simples, excess and MEI: only from 04/01/2027, the clock deciding', async () => {
    for (const crt of [1, 2, 4] as const) {
      at('2027-01-03T23:58:00-03:00', crt);
      expect((await emitted(bodyFor(crt, '2027-01-03T23:58:00-03:00'))).status, `CRT ${crt} on 03/01`).toBe('autorizado');
      at(D2027, crt);
      const r = await emitted({ ...bodyFor(crt, D2027.replace('2027-01-04', '2027-01-03')), data_emissao: D2027 });
      expect(r.status_sefaz, `CRT ${crt} on 04/01 without the group`).toBe('1115');
      expect((await emitted(bodyFor(crt, D2027))).status, `CRT ${crt} with the group`).toBe('autorizado');
    }
  });
});

describe('rates, values and totals when the group is sent (§8 item 35)', () => {
  const early = () => bodyFor(1, D2026, { early: true });
  const withItem = (b: ReturnType<typeof early>, over: Record<string, unknown>) => ({ ...b, items: [{ ...b.items[0], ...over }] });

  it('2026 rates: 1026 (IBS-UF), 1036 (IBS-Mun), 1037 (CBS); 2027: 1027 (IBS-UF)', async () => {
    at(D2026, 1);
    expect((await emitted(withItem(early(), { ibs_uf_aliquota: '0.05', ibs_uf_valor: '0.04', ibs_valor_total: '0.04' }))).status_sefaz).toBe('1026');
    expect((await emitted(withItem(early(), { ibs_mun_aliquota: '0.05', ibs_mun_valor: '0.04', ibs_valor_total: '0.12' }))).status_sefaz).toBe('1036');
    expect((await emitted(withItem(early(), { cbs_aliquota: '0.80', cbs_valor: '0.63' }))).status_sefaz).toBe('1037');
    at(D2027, 1);
    const y27 = bodyFor(1, D2027);
    expect((await emitted(withItem(y27, { ibs_uf_aliquota: '0.10', ibs_uf_valor: '0.08', ibs_valor_total: '0.12' }))).status_sefaz).toBe('1027');
  });

  it('values and totals must add up; 1118 for totals a CST forbids; format errors are 422', async () => {
    at(D2026, 1);
    const wrongValue = await emitted(withItem(early(), { cbs_valor: '0.75' }));
    expect([wrongValue.status, wrongValue.status_sefaz]).toEqual(['erro_autorizacao', '1030']);
    expect(wrongValue.mensagem_sefaz).toContain('CBS');
    const badTotal = await emitted({ ...early(), cbs_valor_total: '0.80' });
    expect(badTotal.status_sefaz).toBe('1030');
    const noTotals = early();
    for (const k of ['ibs_cbs_base_calculo', 'ibs_uf_valor_total', 'ibs_mun_valor_total', 'ibs_valor_total', 'cbs_valor_total'])
      delete (noTotals as Record<string, unknown>)[k];
    expect((await emitted(noTotals)).status_sefaz).toBe('1030');
    sb.controls.set({ ibsCbs: { totals: 'lenient' } });
    expect((await emitted(noTotals)).status).toBe('autorizado');
    sb.controls.set({ ibsCbs: { totals: 'strict' } });
    expect((await emitted({ ...early(), ibs_cbs_is_valor_total: '80.00' })).status_sefaz).toBe('1030');
    const noVItem = early();
    delete (noVItem.items[0] as Record<string, unknown>).valor_total_item;
    delete (noVItem as Record<string, unknown>).ibs_cbs_is_valor_total;
    const warned = await emitted(noVItem);
    expect(warned.status).toBe('autorizado');
    expect(
      sb
        .notes()
        .find((x) => x.ref === `tr_${seq}`)
        ?.warnings?.join(' '),
    ).toMatch(/valor_total_item/);
    const forbidden = withItem(early(), { ibs_cbs_situacao_tributaria: '010', ibs_cbs_classificacao_tributaria: '010002' });
    expect((await emitted(forbidden)).status_sefaz).toBe('1118');
    const bad = await call(sb, 'POST', `/v2/nfce?ref=tr_fmt`, { body: withItem(early(), { ibs_cbs_situacao_tributaria: '00' }) });
    expect([bad.status, bad.json.codigo]).toEqual([422, 'erro_validacao_schema']);
  });
});
