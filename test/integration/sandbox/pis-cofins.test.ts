// PIS/COFINS from the product's CST to the sandbox's XML: the payload Balcão builds is authorized and
// each item lands in the group its CST asks for (PISAliq with base × rate, PISNT, PISOutr), with the
// note totals summed; a body with a CST outside the table or a value that is not base × rate is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../main/sandbox/index.ts';
import { buildNfceRequest } from '../../../shared/nfce/payload.ts';
import { emitterOf, saleOf } from '../../unit/shared/nfce/ibscbs-notes.ts';
import { cash, product } from '../../unit/shared/fixtures.ts';
import { emit, note, nowText } from './helpers.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ nextNumber: 700 });
  sb.controls.set({ company: { crt: 3 } });
});
afterAll(async () => {
  await sb.close();
});

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
const block = (xml: string, name: string) => new RegExp(`<${name}(?: [^>]*)?>(.*?)</${name}>`).exec(xml)?.[1] ?? '';

describe('PIS/COFINS in the sandbox', () => {
  it('regime normal: CST 01 at the sale’s rates, 04 alone, 49 with zeros, and the totals', async () => {
    const lines = [
      { product: product({ id: 'a', code: 'A', icms: '40', pisCofinsCst: '01' }), qtyE4: 30_000, unitPriceCents: 1234 }, // 37,02
      { product: product({ id: 'b', code: 'B', icms: '40', pisCofinsCst: '04' }), qtyE4: 10_000, unitPriceCents: 500 },
      { product: product({ id: 'c', code: 'C', icms: '40', pisCofinsCst: '49' }), qtyE4: 10_000, unitPriceCents: 990 },
    ];
    const s = saleOf(lines, [cash(6000)], nowText(sb));
    // What main/sales/prepare.ts stamps for a non-cumulative company (1,65 % / 7,6 %).
    const sale = { ...s, items: s.items.map((it) => (it.pisCofinsCst === '01' ? { ...it, pisRateBp: 165, cofinsRateBp: 760 } : it)) };
    const body = buildNfceRequest({ sale, emitter: { ...emitterOf(3), cnpj: sb.cnpj }, environment: 'homologacao' });
    const r = await emit(sb, 'pis_ok_1', body);
    expect([r.json.status, r.json.status_sefaz]).toEqual(['autorizado', '100']);
    const xml = await (await fetch(sb.url + String(r.json.caminho_xml_nota_fiscal))).text();
    const dets = [...xml.matchAll(/<det nItem="\d+">(.*?)<\/det>/g)].map((m) => m[1]!);
    expect(dets).toHaveLength(3);

    // 37,02 × 1,65 % = 0,61083 → 0,61; × 7,6 % = 2,81352 → 2,81.
    const pis1 = block(block(dets[0]!, 'PIS'), 'PISAliq');
    expect([tag(pis1, 'CST'), tag(pis1, 'vBC'), tag(pis1, 'pPIS'), tag(pis1, 'vPIS')]).toEqual(['01', '37.02', '1.6500', '0.61']);
    const cof1 = block(block(dets[0]!, 'COFINS'), 'COFINSAliq');
    expect([tag(cof1, 'CST'), tag(cof1, 'vBC'), tag(cof1, 'pCOFINS'), tag(cof1, 'vCOFINS')]).toEqual(['01', '37.02', '7.6000', '2.81']);

    expect(block(dets[1]!, 'PIS')).toBe('<PISNT><CST>04</CST></PISNT>');
    expect(block(dets[1]!, 'COFINS')).toBe('<COFINSNT><CST>04</CST></COFINSNT>');

    const pis3 = block(block(dets[2]!, 'PIS'), 'PISOutr');
    expect([tag(pis3, 'CST'), tag(pis3, 'vBC'), tag(pis3, 'vPIS')]).toEqual(['49', '0.00', '0.00']);

    const tot = block(xml, 'ICMSTot');
    expect([tag(tot, 'vPIS'), tag(tot, 'vCOFINS')]).toEqual(['0.61', '2.81']);
  });

  it('refuses a CST outside the table, a CST 01 without its base, and a value that is not base × rate', async () => {
    const item = (note(sb).items as Record<string, unknown>[])[0]!;
    const withPis = (extra: Record<string, unknown>) => note(sb, { items: [{ ...item, icms_situacao_tributaria: '40', ...extra }] });
    const bad = [
      [{ pis_situacao_tributaria: '48' }, 'items[0].pis_situacao_tributaria'],
      [{ cofins_situacao_tributaria: '01', cofins_aliquota_porcentual: '3.00', cofins_valor: '2.37' }, 'items[0].cofins_base_calculo'],
      [{ pis_situacao_tributaria: '01', pis_base_calculo: '79.00', pis_aliquota_porcentual: '0.65', pis_valor: '0.60' }, 'items[0].pis_valor'],
    ] as const;
    let n = 0;
    for (const [extra, campo] of bad) {
      const r = await emit(sb, `pis_bad_${++n}`, withPis(extra));
      expect(r.status, campo).toBe(422);
      expect(r.json.codigo).toBe('erro_validacao_schema');
      expect((r.json.erros as { campo: string }[]).map((e) => e.campo)).toContain(campo);
    }
    // The same CST 01 with the right value passes Focus's checks (79,00 × 0,65 % = 0,5135 → 0,51) and
    // reaches SEFAZ, which refuses this hand-written body for its missing IBS/CBS group (regime normal).
    const ok = await emit(
      sb,
      'pis_ok_2',
      withPis({ pis_situacao_tributaria: '01', pis_base_calculo: '79.00', pis_aliquota_porcentual: '0.65', pis_valor: '0.51' }),
    );
    expect([ok.status, ok.json.status_sefaz]).toEqual([201, '1115']);
  });
});
