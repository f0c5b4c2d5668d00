import { describe, expect, it } from 'vitest';
import { buildNfceRequest, NfcePayloadError } from '../../../../shared/nfce/payload.ts';
import { applyRateE4, ibsCbsApplies, periodFor, rateE4 } from '../../../../shared/fiscal/ibscbs.ts';
import { IBS_CBS_PERIODS } from '../../../../shared/fiscal/ibscbs-table.ts';
import { product, cash } from '../fixtures.ts';
import { D2026, D2027, emitterOf, handNotes, saleOf } from './ibscbs-notes.ts';

const ITEM_KEYS = [
  'ibs_cbs_situacao_tributaria',
  'ibs_cbs_classificacao_tributaria',
  'ibs_cbs_base_calculo',
  'ibs_uf_aliquota',
  'ibs_uf_valor',
  'ibs_mun_aliquota',
  'ibs_mun_valor',
  'ibs_valor_total',
  'cbs_aliquota',
  'cbs_valor',
  'valor_total_item',
];
const NOTE_KEYS = ['ibs_cbs_base_calculo', 'ibs_uf_valor_total', 'ibs_mun_valor_total', 'ibs_valor_total', 'cbs_valor_total', 'ibs_cbs_is_valor_total'];

describe('ten notes computed by hand, field by field in the Focus payload', () => {
  for (const n of handNotes()) {
    it(n.name, () => {
      const body = buildNfceRequest({ sale: n.sale, emitter: emitterOf(n.crt), environment: 'producao', taxReform: { earlyStart: n.earlyStart ?? false } });
      if (n.troco) expect(body.valor_troco).toBe(n.troco);
      if (n.items === null) {
        for (const it of body.items) for (const k of ITEM_KEYS) expect(it[k], k).toBeUndefined();
        for (const k of NOTE_KEYS) expect(body[k], k).toBeUndefined();
        return;
      }
      expect(body.items).toHaveLength(n.items.length);
      n.items.forEach(([vBC, vUF, vMun, vIBS, vCBS, vItem, vDesc], i) => {
        const it = body.items[i] as Record<string, unknown>;
        expect(it.ibs_cbs_situacao_tributaria).toBe('000');
        expect(it.ibs_cbs_classificacao_tributaria).toBe('000001');
        expect(it.ibs_cbs_base_calculo, `item ${i + 1} vBC`).toBe(vBC);
        expect(it.ibs_uf_aliquota).toBe(n.rates?.ibsUf);
        expect(it.ibs_uf_valor, `item ${i + 1} vIBSUF`).toBe(vUF);
        expect(it.ibs_mun_aliquota).toBe(n.rates?.ibsMun);
        expect(it.ibs_mun_valor, `item ${i + 1} vIBSMun`).toBe(vMun);
        expect(it.ibs_valor_total, `item ${i + 1} vIBS`).toBe(vIBS);
        expect(it.cbs_aliquota).toBe(n.rates?.cbs);
        expect(it.cbs_valor, `item ${i + 1} vCBS`).toBe(vCBS);
        expect(it.valor_total_item, `item ${i + 1} vItem`).toBe(vItem);
        expect(it.valor_desconto, `item ${i + 1} vDesc`).toBe(vDesc);
      });
      const [vBC, vUF, vMun, vIBS, vCBS, vNFTot] = n.totals ?? [];
      expect(body.ibs_cbs_base_calculo).toBe(vBC);
      expect(body.ibs_uf_valor_total).toBe(vUF);
      expect(body.ibs_mun_valor_total).toBe(vMun);
      expect(body.ibs_valor_total).toBe(vIBS);
      expect(body.cbs_valor_total).toBe(vCBS);
      expect(body.ibs_cbs_is_valor_total).toBe(vNFTot);
      // 2026/2027 (table): vItem does not add IBS/CBS, so vNFTot is the note's total.
      expect(vNFTot).toBe((n.sale.totalCents / 100).toFixed(2));
      expect(body.ibs_cbs_municipio).toBeUndefined();
    });
  }
});

describe('who sends the group, and when', () => {
  it('regime normal always from 2026; Simples, excess and MEI only from 04/01/2027 unless started early', () => {
    expect(ibsCbsApplies(3, '2026-01-01')).toBe(true);
    for (const crt of [1, 2, 4] as const) {
      expect(ibsCbsApplies(crt, '2027-01-03')).toBe(false);
      expect(ibsCbsApplies(crt, '2027-01-04')).toBe(true);
      expect(ibsCbsApplies(crt, '2026-12-31', { earlyStart: true })).toBe(true);
    }
    // No rates before the test year: the early switch cannot send a group without a table row.
    expect(ibsCbsApplies(1, '2025-12-31', { earlyStart: true })).toBe(false);
  });

  it('the dated table picks the row of the note date and marks what is still unknown', () => {
    expect(periodFor('2026-12-31')?.cbs).toBe('0.90');
    expect(periodFor('2027-01-01')?.ibsUf).toBe('0.05');
    expect(periodFor('2025-06-01')).toBeNull();
    const y2027 = IBS_CBS_PERIODS.find((p) => p.from === '2027-01-01');
    expect(y2027?.unconfirmed).toEqual(expect.arrayContaining(['cbs', 'ibsMun', 'vItemIncludesTax']));
  });

  it('rates are exact integers and values round half up to the centavo', () => {
    expect(rateE4('0.90')).toBe(9000);
    expect(rateE4('0.05')).toBe(500);
    expect(rateE4('17.5')).toBe(175_000);
    expect(applyRateE4(5100, 500)).toBe(3); // 2.55 → 3
    expect(applyRateE4(3566, 500)).toBe(2); // 1.783 → 2
    expect(applyRateE4(4999, 1000)).toBe(5); // 4.999 → 5
    expect(applyRateE4(4499, 1000)).toBe(4); // 4.499 → 4
    expect(() => rateE4('0,90')).toThrow(RangeError);
  });

  it('the product codes go out as stored, and a CST Balcão cannot compute stops the note with the item named', () => {
    const own = saleOf([{ product: product({ icms: '102', ibsCbsCst: '000', cClassTrib: '000001' }), qtyE4: 10_000, unitPriceCents: 100 }], [cash(100)], D2027);
    const body = buildNfceRequest({ sale: own, emitter: emitterOf(1), environment: 'producao' });
    expect(body.items[0]?.ibs_cbs_classificacao_tributaria).toBe('000001');
    const reduced = saleOf(
      [{ product: product({ icms: '102', description: 'LIVRO', ibsCbsCst: '200', cClassTrib: '200001' }), qtyE4: 10_000, unitPriceCents: 100 }],
      [cash(100)],
      D2027,
    );
    const err = (() => {
      try {
        buildNfceRequest({ sale: reduced, emitter: emitterOf(1), environment: 'producao' });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(NfcePayloadError);
    expect((err as NfcePayloadError).code).toBe('nfce_payload');
    expect((err as NfcePayloadError).itemSeq).toBe(1);
    expect((err as Error).message).toContain('LIVRO');
    // Before the Simples date the same sale goes out without the group, so nothing blocks it.
    expect(() => buildNfceRequest({ sale: { ...reduced, createdAt: D2026 }, emitter: emitterOf(1), environment: 'producao' })).not.toThrow();
  });
});
