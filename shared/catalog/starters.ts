// Starting tax profiles per regime, offered by the setup flow and the register. They are a
// sensible start for a retail shop (revenda), not tax advice: the screen tells the manager to
// confirm them with the shop's accountant.
import type { Crt, TaxProfile } from '../sale.ts';

/** The regimes (CRT) as the manager reads them. */
export const REGIME_LABEL: Record<Crt, string> = { 1: 'Simples Nacional', 2: 'Simples — excesso de sublimite', 3: 'Regime Normal', 4: 'MEI' };

/** IBS/CBS CST 000 (tributação integral) with cClassTrib 000001 (the general rule). */
const IBS_CBS_FULL = { ibsCbsCst: '000', cClassTrib: '000001' } as const;

export function starterTaxProfiles(crt: Crt): TaxProfile[] {
  if (crt === 1 || crt === 4) {
    return [
      {
        id: 'revenda-simples',
        name: 'Revenda tributada (Simples Nacional)',
        cfop: '5102',
        origin: '0',
        icms: '102',
        icmsRateBp: 0,
        pisCofinsCst: '49',
        approxTaxBp: 0,
        ...IBS_CBS_FULL,
      },
      {
        id: 'revenda-st-simples',
        name: 'Revenda com ST (Simples Nacional)',
        cfop: '5405',
        origin: '0',
        icms: '500',
        icmsRateBp: 0,
        pisCofinsCst: '49',
        approxTaxBp: 0,
        ...IBS_CBS_FULL,
      },
    ];
  }
  // Excesso de sublimite (CRT 2): ICMS by CST as in regime normal, PIS/COFINS still inside the DAS (49).
  const pisCofinsCst = crt === 2 ? '49' : '01';
  const regime = crt === 2 ? 'Simples, excesso de sublimite' : 'Regime Normal';
  return [
    {
      id: 'revenda-normal',
      name: `Revenda tributada 18% (${regime})`,
      cfop: '5102',
      origin: '0',
      icms: '00',
      icmsRateBp: 1800,
      pisCofinsCst,
      approxTaxBp: 0,
      ...IBS_CBS_FULL,
    },
    {
      id: 'revenda-st-normal',
      name: `Revenda com ST (${regime})`,
      cfop: '5405',
      origin: '0',
      icms: '60',
      icmsRateBp: 0,
      pisCofinsCst,
      approxTaxBp: 0,
      ...IBS_CBS_FULL,
    },
  ];
}
