// Ten notes whose IBS/CBS was computed by hand (arithmetic in the comments), shared by the payload
// test and the sandbox XML test. Rates: 2026 CBS 0.90 %, IBS-UF 0.10 %, IBS-Mun 0 %; 2027 (table)
// CBS 0.90 % (placeholder), IBS-UF 0.05 %, IBS-Mun 0.05 %. Values: round-half-up per item; base =
// item total − ICMS (CST 00 only); totals = sums of the item values.
import { computeSale, type CartLine } from '../../../../shared/cart.ts';
import { Emitter, type Crt, type Payment, type Sale } from '../../../../shared/sale.ts';
import { cash, pay, product } from '../fixtures.ts';

export const D2026 = '2026-12-31T10:00:00-03:00';
export const D2027 = '2027-01-04T10:00:00-03:00';

export function emitterOf(crt: Crt): Emitter {
  return Emitter.parse({
    cnpj: '51916585000125',
    ie: '9012345678',
    name: 'LOJA EXEMPLO LTDA',
    crt,
    uf: 'PR',
    address: { street: 'Rua XV de Novembro', number: '100', district: 'Centro', city: 'Curitiba', cityCode: '4106902', cep: '80020310' },
  });
}

export function saleOf(lines: CartLine[], payments: Payment[], createdAt: string, discount = 0): Sale {
  const r = computeSale(lines, discount, payments);
  if (!r.ok) throw new Error(r.error.message);
  const { items, grossCents, discountCents, totalCents, paidCents, changeCents, approxTaxCents } = r.value;
  return {
    id: 1,
    terminalId: 'T1',
    operatorId: 'op1',
    createdAt,
    items,
    payments,
    customer: null,
    grossCents,
    discountCents,
    totalCents,
    paidCents,
    changeCents,
    approxTaxCents,
  };
}

/** Expected per item: [vBC, vIBSUF, vIBSMun, vIBS, vCBS, vItem, vDesc] as Focus decimal strings. */
export type ItemExpect = [string, string, string, string, string, string, string | undefined];

export interface HandNote {
  name: string;
  crt: Crt;
  earlyStart?: boolean;
  sale: Sale;
  /** null: the note carries no IBS/CBS at all. */
  items: ItemExpect[] | null;
  /** [vBCIBSCBS, vIBSUF, vIBSMun, vIBS, vCBS, vNFTot] */
  totals?: [string, string, string, string, string, string];
  rates?: { ibsUf: string; ibsMun: string; cbs: string };
  troco?: string;
}

const simples = { icms: '102' } as const;
const R2026 = { ibsUf: '0.10', ibsMun: '0.00', cbs: '0.90' };
const R2027 = { ibsUf: '0.05', ibsMun: '0.05', cbs: '0.90' };

const polo = product({ ...simples, priceCents: 3950 });

export function handNotes(): HandNote[] {
  return [
    {
      // 1. MEI on 2026-12-31: not required yet, no early start → no group at all.
      name: '1 MEI 2026-12-31 without early start',
      crt: 4,
      sale: saleOf([{ product: polo, qtyE4: 20_000, unitPriceCents: 3950 }], [cash(10_000)], D2026),
      items: null,
      troco: '21.00',
    },
    {
      // 2. Simples 2026-12-31 with the manager's early start. 2 × 39,50 = 79,00.
      //    CBS 7900 × 0.9 % = 71.1 → 71; IBS-UF 7900 × 0.1 % = 7.9 → 8; Mun 0.
      name: '2 Simples 2026-12-31 early start',
      crt: 1,
      earlyStart: true,
      sale: saleOf([{ product: polo, qtyE4: 20_000, unitPriceCents: 3950 }], [cash(10_000)], D2026),
      items: [['79.00', '0.08', '0.00', '0.08', '0.71', '79.00', undefined]],
      totals: ['79.00', '0.08', '0.00', '0.08', '0.71', '79.00'],
      rates: R2026,
      troco: '21.00',
    },
    {
      // 3. Simples 2027-01-04: required (UB12-10). UF 7900 × 0.05 % = 3.95 → 4; Mun 4; CBS 71.
      name: '3 Simples 2027-01-04 required',
      crt: 1,
      sale: saleOf([{ product: polo, qtyE4: 20_000, unitPriceCents: 3950 }], [cash(10_000)], D2027),
      items: [['79.00', '0.04', '0.04', '0.08', '0.71', '79.00', undefined]],
      totals: ['79.00', '0.04', '0.04', '0.08', '0.71', '79.00'],
      rates: R2027,
      troco: '21.00',
    },
    {
      // 4. Regime normal 2026-12-31, CST 00 18 %: ICMS 1000 × 18 % = 180; base 820.
      //    CBS 820 × 0.9 % = 7.38 → 7; UF 820 × 0.1 % = 0.82 → 1.
      name: '4 Normal 2026-12-31 ICMS 00',
      crt: 3,
      sale: saleOf([{ product: product({ icms: '00', icmsRateBp: 1800, priceCents: 1000 }), qtyE4: 10_000, unitPriceCents: 1000 }], [cash(1000)], D2026),
      items: [['8.20', '0.01', '0.00', '0.01', '0.07', '10.00', undefined]],
      totals: ['8.20', '0.01', '0.00', '0.01', '0.07', '10.00'],
      rates: R2026,
    },
    {
      // 5. Same sale on 2027-01-04: UF 820 × 0.05 % = 0.41 → 0; Mun 0; CBS 7.
      name: '5 Normal 2027-01-04 ICMS 00',
      crt: 3,
      sale: saleOf([{ product: product({ icms: '00', icmsRateBp: 1800, priceCents: 1000 }), qtyE4: 10_000, unitPriceCents: 1000 }], [cash(1000)], D2027),
      items: [['8.20', '0.00', '0.00', '0.00', '0.07', '10.00', undefined]],
      totals: ['8.20', '0.00', '0.00', '0.00', '0.07', '10.00'],
      rates: R2027,
    },
    {
      // 6. Regime normal 2026-12-31, weighed: 0,512 kg × 39,90 = 20,4288 → 20,43 (CST 40, no ICMS).
      //    CBS 2043 × 0.9 % = 18.387 → 18; UF 2.043 → 2.
      name: '6 Normal 2026-12-31 weighed item',
      crt: 3,
      sale: saleOf(
        [{ product: product({ icms: '40', unit: 'KG', weighed: true, priceCents: 3990 }), qtyE4: 5120, unitPriceCents: 3990 }],
        [pay('04', 2043)],
        D2026,
      ),
      items: [['20.43', '0.02', '0.00', '0.02', '0.18', '20.43', undefined]],
      totals: ['20.43', '0.02', '0.00', '0.02', '0.18', '20.43'],
      rates: R2026,
    },
    {
      // 7. Simples 2027-01-04, sale discount 5,00 spread over 38,97 / 5,00 / 14,90 (Σ 58,87):
      //    floors 330 / 42 / 126 (remainders 5790 / 2746 / 3238) + the 2 leftover centavos to the
      //    largest remainders → 331 / 42 / 127. Totals 35,66 / 4,58 / 13,63.
      //    A: UF 3566 × .05 % = 1.783 → 2, Mun 2, CBS 32.094 → 32; B: 0.229 → 0, 0, 4.122 → 4;
      //    C: 0.6815 → 1, 1, 12.267 → 12.
      name: '7 Simples 2027-01-04 sale discount rateio',
      crt: 1,
      sale: saleOf(
        [
          { product: product({ ...simples, id: 'a', priceCents: 1299 }), qtyE4: 30_000, unitPriceCents: 1299 },
          { product: product({ ...simples, id: 'b', priceCents: 500 }), qtyE4: 10_000, unitPriceCents: 500 },
          { product: product({ ...simples, id: 'c', priceCents: 745 }), qtyE4: 20_000, unitPriceCents: 745 },
        ],
        [pay('03', 5387)],
        D2027,
        500,
      ),
      items: [
        ['35.66', '0.02', '0.02', '0.04', '0.32', '35.66', '3.31'],
        ['4.58', '0.00', '0.00', '0.00', '0.04', '4.58', '0.42'],
        ['13.63', '0.01', '0.01', '0.02', '0.12', '13.63', '1.27'],
      ],
      totals: ['53.87', '0.03', '0.03', '0.06', '0.48', '53.87'],
      rates: R2027,
    },
    {
      // 8. Regime normal 2027-01-04, split debit 100,00 + cash 60,00 for 151,00 (troco 9,00).
      //    Item 1 CST 00 12 %: ICMS 1200, base 8800 → UF 4.4 → 4, Mun 4, CBS 79.2 → 79.
      //    Item 2 CST 60: base 5100 → UF 2.55 → 3, Mun 3, CBS 45.9 → 46.
      name: '8 Normal 2027-01-04 split payments',
      crt: 3,
      sale: saleOf(
        [
          { product: product({ id: 'x', icms: '00', icmsRateBp: 1200, priceCents: 10_000 }), qtyE4: 10_000, unitPriceCents: 10_000 },
          { product: product({ id: 'y', icms: '60', cfop: '5405', priceCents: 2550 }), qtyE4: 20_000, unitPriceCents: 2550 },
        ],
        [pay('04', 10_000), cash(6000)],
        D2027,
      ),
      items: [
        ['88.00', '0.04', '0.04', '0.08', '0.79', '100.00', undefined],
        ['51.00', '0.03', '0.03', '0.06', '0.46', '51.00', undefined],
      ],
      totals: ['139.00', '0.07', '0.07', '0.14', '1.25', '151.00'],
      rates: R2027,
      troco: '9.00',
    },
    {
      // 9. Regime normal 2026-12-31: weighed 1,250 kg × 29,90 = 37,375 → 37,38 with a 1,38 line
      //    discount, plus 3 × 4,99 = 14,97; sale discount 1,00 over 36,00 / 14,97: floors 70 / 29,
      //    leftover to item 1 (remainder 3210 > 1887) → 71 / 29. Totals 35,29 / 14,68.
      //    Item 1: CBS 31.761 → 32, UF 3.529 → 4; item 2: CBS 13.212 → 13, UF 1.468 → 1.
      //    PIX 30,00 + cash 20,00 = 50,00 for 49,97: troco 0,03.
      name: '9 Normal 2026-12-31 weighed, line and sale discounts, PIX + cash',
      crt: 3,
      sale: saleOf(
        [
          { product: product({ id: 'w', icms: '40', unit: 'KG', weighed: true, priceCents: 2990 }), qtyE4: 12_500, unitPriceCents: 2990, discountCents: 138 },
          { product: product({ id: 'z', icms: '41', priceCents: 499 }), qtyE4: 30_000, unitPriceCents: 499 },
        ],
        [pay('17', 3000), cash(2000)],
        D2026,
        100,
      ),
      items: [
        ['35.29', '0.04', '0.00', '0.04', '0.32', '35.29', '2.09'],
        ['14.68', '0.01', '0.00', '0.01', '0.13', '14.68', '0.29'],
      ],
      totals: ['49.97', '0.05', '0.00', '0.05', '0.45', '49.97'],
      rates: R2026,
      troco: '0.03',
    },
    {
      // 10. Excess of sublimit (CRT 2, uses CST) on 2027-01-04, one centavo: every value rounds to 0.
      name: '10 CRT 2 2027-01-04 one centavo',
      crt: 2,
      sale: saleOf([{ product: product({ icms: '40', priceCents: 1 }), qtyE4: 10_000, unitPriceCents: 1 }], [cash(1)], D2027),
      items: [['0.01', '0.00', '0.00', '0.00', '0.00', '0.01', undefined]],
      totals: ['0.01', '0.00', '0.00', '0.00', '0.00', '0.01'],
      rates: R2027,
    },
  ];
}
