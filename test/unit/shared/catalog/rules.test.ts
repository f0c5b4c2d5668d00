import { describe, expect, it } from 'vitest';
import { productIssues, ncmShapeOk } from '../../../../shared/catalog/rules.ts';
import { effectiveProduct } from '../../../../shared/catalog/effective.ts';
import { starterTaxProfiles } from '../../../../shared/catalog/starters.ts';
import { saleCfopFor } from '../../../../shared/catalog/cfop-map.ts';
import { product } from '../fixtures.ts';

describe('fiscal rules of the register', () => {
  it('checks NCM by shape and says so', () => {
    expect(ncmShapeOk('19059090')).toBe(true);
    expect(ncmShapeOk('00000000')).toBe(false);
    expect(ncmShapeOk('98000000')).toBe(false);
    expect(ncmShapeOk('1905909')).toBe(false);
  });

  it('flags CEST missing under ST, ICMS code vs regime, CFOP outside the NFC-e list and missing IBS/CBS', () => {
    const codes = (over: Parameters<typeof product>[0], crt: 1 | 3 = 1) => productIssues(product(over), crt).map((i) => i.code);
    expect(codes({ ibsCbsCst: '000', cClassTrib: '000001' })).toEqual([]);
    expect(codes({ icms: '500', cfop: '5405', ibsCbsCst: '000', cClassTrib: '000001' })).toEqual(['cest_missing']);
    expect(codes({ icms: '500', cfop: '5405', cest: '0300700', ibsCbsCst: '000', cClassTrib: '000001' })).toEqual([]);
    expect(codes({ ibsCbsCst: '000', cClassTrib: '000001' }, 3)).toEqual(['icms_regime']);
    expect(codes({ cfop: '5949', ibsCbsCst: '000', cClassTrib: '000001' })).toEqual(['cfop_not_nfce']);
    expect(codes({})).toEqual(['ibs_cbs_missing']);
    expect(codes({ gtin: '7891000100104', ibsCbsCst: '000', cClassTrib: '000001' })).toEqual(['gtin_invalid']);
  });

  it('flags a PIS/COFINS CST the note could not carry: outside the table, 02/03, or 01 for the Simples', () => {
    const codes = (cst: string, crt: 1 | 3) =>
      productIssues(product({ icms: crt === 3 ? '40' : '102', pisCofinsCst: cst, ibsCbsCst: '000', cClassTrib: '000001' }), crt).map((i) => i.code);
    for (const ok of ['49', '99', '04', '06']) expect(codes(ok, 1), ok).toEqual([]);
    expect(codes('01', 3)).toEqual([]);
    expect(codes('01', 1)).toEqual(['pis_cofins']);
    for (const bad of ['02', '03', '48', '00']) expect(codes(bad, 3), bad).toEqual(['pis_cofins']);
  });

  it('resolves effective data: the profile, overridden by the product own fields', () => {
    const [revenda] = starterTaxProfiles(1);
    const p = product({ taxProfileId: revenda!.id, overrides: ['approxTaxBp'], approxTaxBp: 1234, cfop: '5405', icms: '500' });
    const e = effectiveProduct(p, revenda!);
    expect(e).toMatchObject({ cfop: '5102', icms: '102', approxTaxBp: 1234, ibsCbsCst: '000', cClassTrib: '000001' });
    expect(effectiveProduct(p, null)).toBe(p);
    expect(effectiveProduct(product({ taxProfileId: null }), revenda!).cfop).toBe('5102');
  });

  it('offers starting profiles per regime and maps purchase CFOPs', () => {
    expect(starterTaxProfiles(1).map((p) => p.icms)).toEqual(['102', '500']);
    expect(starterTaxProfiles(3).map((p) => [p.icms, p.icmsRateBp])).toEqual([
      ['00', 1800],
      ['60', 0],
    ]);
    expect(saleCfopFor('6405')).toBe('5405');
    expect(saleCfopFor('5102')).toBe('5102');
    expect(saleCfopFor('1234')).toBe('5102');
  });
});
