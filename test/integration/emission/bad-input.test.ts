// Malformed sales are refused with a clear Portuguese message and change nothing: no row in the
// journal, no request to Focus.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRig, type Rig } from './harness.ts';
import { PRODUCTS, prepareContext } from './fixtures.ts';
import { CHANNELS } from '../../../shared/contract.ts';
import { prepareSale } from '../../../main/sales/prepare.ts';
import { toPosError } from '../../../main/core/errors.ts';

let rig: Rig;
let requests = 0;
beforeAll(async () => {
  rig = await makeRig();
  rig.client.onExchange(() => requests++);
});
afterAll(async () => rig?.close());

const cafe = PRODUCTS[0]!;
const good = () => ({
  clientId: `bad_input_${Math.random().toString(36).slice(2, 10)}`,
  items: [{ productId: cafe.id, qtyE4: 10_000, unitPriceCents: cafe.priceCents }],
  payments: [{ method: '01', amountCents: 5_000 }],
});

/** The whole path a channel call runs: boundary parse, checks, commit and emission; failures as the UI gets them. */
async function finalize(input: unknown) {
  try {
    const draft = CHANNELS['sales.finalize'].parse(input);
    const { sale, audit } = await prepareSale(draft, prepareContext());
    return await rig.engine.finalize(sale, { audit });
  } catch (err) {
    // The test reads the refusal as the boundary would send it: data, not an Error.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw toPosError(err);
  }
}

const tables = () =>
  ['sales', 'sale_items', 'payments', 'emissions', 'emission_answers', 'audit_log'].map((t) =>
    Number(rig.journal.db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get()?.n),
  );

const CASES: [string, (d: ReturnType<typeof good>) => unknown, RegExp][] = [
  ['negative quantity', (d) => ({ ...d, items: [{ ...d.items[0], qtyE4: -10_000 }] }), /quantidade/i],
  ['zero quantity', (d) => ({ ...d, items: [{ ...d.items[0], qtyE4: 0 }] }), /quantidade/i],
  ['absurd quantity', (d) => ({ ...d, items: [{ ...d.items[0], qtyE4: 10 ** 12 }] }), /quantidade/i],
  ['fractional quantity of a unit product', (d) => ({ ...d, items: [{ ...d.items[0], qtyE4: 15_000 }] }), /fracionada/],
  ['negative price', (d) => ({ ...d, items: [{ ...d.items[0], unitPriceCents: -1 }] }), /preço/i],
  ['absurd price', (d) => ({ ...d, items: [{ ...d.items[0], unitPriceCents: 10 ** 11 }] }), /preço/i],
  ['price in reais with decimals', (d) => ({ ...d, items: [{ ...d.items[0], unitPriceCents: 23.99 }] }), /centavos inteiros/],
  ['price different from the catalog', (d) => ({ ...d, items: [{ ...d.items[0], unitPriceCents: 1 }] }), /diferente do cadastro/],
  ['payments short of the total', (d) => ({ ...d, payments: [{ method: '01', amountCents: 100 }] }), /Faltam R\$ 22,99/],
  ['no payment', (d) => ({ ...d, payments: [] }), /pagamento/i],
  ['card paying more than the total', (d) => ({ ...d, payments: [{ method: '03', amountCents: 9_999 }] }), /troco/],
  ['unknown payment method', (d) => ({ ...d, payments: [{ method: '42', amountCents: 5_000 }] }), /não é aceita/],
  ['invalid CPF', (d) => ({ ...d, customer: { document: '12345678900' } }), /CPF inválido/],
  ['invalid CNPJ', (d) => ({ ...d, customer: { document: '11222333000100' } }), /CNPJ inválido/],
  ['control characters in the customer name', (d) => ({ ...d, customer: { name: 'Maria\u0000\u001b[2J' } }), /caracteres de controle/],
  ['10 kB customer name', (d) => ({ ...d, customer: { name: 'A'.repeat(10_240) } }), /no máximo 60 caracteres/],
  ['10 kB product id', (d) => ({ ...d, items: [{ ...d.items[0], productId: 'P'.repeat(10_240) }] }), /no máximo 40 caracteres/],
  ['unknown product', (d) => ({ ...d, items: [{ ...d.items[0], productId: 'NAO_EXISTE' }] }), /não está no cadastro/],
  ['empty sale', (d) => ({ ...d, items: [] }), /não tem itens/],
  ['discount above the limit without manager', (d) => ({ ...d, items: [{ ...d.items[0], discountCents: 1_000 }] }), /senha do gerente/],
  ['discount larger than the item', (d) => ({ ...d, items: [{ ...d.items[0], discountCents: 5_000 }], managerPin: '4321' }), /desconto/i],
  ['not an object at all', () => 'DROP TABLE sales;', /Dados inválidos/],
  ['bad clientId', (d) => ({ ...d, clientId: '../../etc' }), /identificador da venda/],
];

describe('bad input', () => {
  it.each(CASES)('refuses %s with a clear message and writes nothing', async (_name, mutate, message) => {
    const before = tables();
    const sentBefore = requests;
    const err = await finalize(mutate(good())).catch((e) => e);
    expect(err.expected).toBe(true);
    expect(err.error.message).toMatch(message);
    // Portuguese, no zod/English jargon leaking to the cashier.
    expect(err.error.message).not.toMatch(/\b(expected|received|Invalid|Too (small|big)|must be)\b/);
    expect(tables()).toEqual(before);
    expect(requests).toBe(sentBefore);
  });

  it('still accepts a good sale afterwards', async () => {
    const r = await finalize(good());
    expect(r.emission.state).toBe('authorized');
  });
});
