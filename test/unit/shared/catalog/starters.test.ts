// The starting tax profiles the setup and the register offer: for every regime (CRT), a product that
// follows each one passes the register's fiscal checks and becomes a valid NFC-e item. A preset that
// the note would refuse (a CST of the wrong regime, PIS/COFINS 01 in the Simples) fails here.
import { describe, expect, it } from 'vitest';
import { effectiveProduct } from '../../../../shared/catalog/effective.ts';
import { productIssues } from '../../../../shared/catalog/rules.ts';
import { REGIME_LABEL, starterTaxProfiles } from '../../../../shared/catalog/starters.ts';
import { buildNfceRequest } from '../../../../shared/nfce/payload.ts';
import { TaxProfile, type Crt } from '../../../../shared/sale.ts';
import { cash, product } from '../fixtures.ts';
import { emitterOf, saleOf } from '../nfce/ibscbs-notes.ts';

const CRTS: readonly Crt[] = [1, 2, 3, 4];

/** A product of the shop that follows the profile (a CEST of its own where the ICMS is ST). */
function follower(p: TaxProfile) {
  const own = product({
    id: `p-${p.id}`,
    taxProfileId: p.id,
    overrides: [],
    icms: '102',
    cfop: '5102',
    cest: ['60', '500'].includes(p.icms) ? '0300700' : null,
  });
  return effectiveProduct(own, p);
}

describe('starting tax profiles per regime', () => {
  it.each(CRTS)('CRT %i: valid profiles that pass the fiscal checks and build an NFC-e item', (crt) => {
    const profiles = starterTaxProfiles(crt);
    expect(profiles.length).toBeGreaterThan(0);
    expect(new Set(profiles.map((p) => p.id)).size).toBe(profiles.length);
    for (const p of profiles) {
      expect(TaxProfile.safeParse(p).success, p.id).toBe(true);
      const item = follower(p);
      expect(productIssues(item, crt), p.name).toEqual([]);
      const sale = saleOf([{ product: item, qtyE4: 10_000, unitPriceCents: item.priceCents }], [cash(item.priceCents)], '2026-03-10T14:05:00-03:00');
      // CST 01 is taxed at the rates main/sales/prepare.ts fixes at the sale (here the cumulative regime's).
      const items = sale.items.map((it) => (it.pisCofinsCst === '01' ? { ...it, pisRateBp: 65, cofinsRateBp: 300 } : it));
      const body = buildNfceRequest({ sale: { ...sale, items }, emitter: emitterOf(crt), environment: 'homologacao' });
      expect(body.items[0], p.name).toMatchObject({ cfop: p.cfop, icms_situacao_tributaria: p.icms });
    }
  });

  it('Simples Nacional and MEI use CSOSN with PIS/COFINS 49; the regime normal uses CST; excesso de sublimite mixes both', () => {
    for (const crt of [1, 4] as const) {
      expect(starterTaxProfiles(crt).map((p) => [p.cfop, p.icms, p.pisCofinsCst])).toEqual([
        ['5102', '102', '49'],
        ['5405', '500', '49'],
      ]);
    }
    expect(starterTaxProfiles(3).map((p) => [p.cfop, p.icms, p.icmsRateBp, p.pisCofinsCst])).toEqual([
      ['5102', '00', 1800, '01'],
      ['5405', '60', 0, '01'],
    ]);
    expect(starterTaxProfiles(2).map((p) => [p.icms, p.pisCofinsCst])).toEqual([
      ['00', '49'],
      ['60', '49'],
    ]);
    expect(starterTaxProfiles(2)[0]!.name).toContain('excesso de sublimite');
    expect(REGIME_LABEL[3]).toBe('Regime Normal');
  });
});
