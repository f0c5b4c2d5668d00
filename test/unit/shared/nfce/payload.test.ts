import { describe, expect, it } from 'vitest';
import type { NfceRequestBody } from '../../../../main/focus/types.ts';
import { computeCart, computeSale, type CartLine } from '../../../../shared/cart.ts';
import { HOMOLOG_DEST_NAME, HOMOLOG_ITEM_DESCRIPTION } from '../../../../shared/fiscal/homologation.ts';
import { NfcePayloadError, buildNfceRequest, icmsRegimeProblem } from '../../../../shared/nfce/payload.ts';
import { Emitter, type Customer, type Payment, type Sale } from '../../../../shared/sale.ts';
import { cash, pay, product } from '../fixtures.ts';
import { seededRandom } from '../../../fixtures/seeded-random.ts';

function emitter(overrides: Partial<Emitter> = {}): Emitter {
  return Emitter.parse({
    cnpj: '51916585000125',
    ie: '9012345678',
    name: 'LOJA EXEMPLO LTDA',
    crt: 1,
    uf: 'PR',
    address: { street: 'Rua XV de Novembro', number: '100', district: 'Centro', city: 'Curitiba', cityCode: '4106902', cep: '80020310' },
    ...overrides,
  });
}

/** What main/sales/prepare.ts does at the sale for CST 01 items of a cumulative-regime company. */
function cumulative(s: Sale): Sale {
  return { ...s, items: s.items.map((it) => (it.pisCofinsCst === '01' ? { ...it, pisRateBp: 65, cofinsRateBp: 300 } : it)) };
}

function sale(lines: CartLine[], payments: Payment[], opts: { discount?: number; customer?: Customer; createdAt?: string } = {}): Sale {
  const r = computeSale(lines, opts.discount ?? 0, payments);
  if (!r.ok) throw new Error(r.error.message);
  const { items, grossCents, discountCents, totalCents, paidCents, changeCents, approxTaxCents } = r.value;
  return {
    id: 1,
    terminalId: 'T1',
    operatorId: 'op1',
    createdAt: opts.createdAt ?? '2026-03-10T14:05:00-03:00',
    items,
    payments,
    customer: opts.customer ?? null,
    grossCents,
    discountCents,
    totalCents,
    paidCents,
    changeCents,
    approxTaxCents,
  };
}

/** Compares decimal strings by value ('39.50' = '39.5000000000', '1' = '1.0000'), other values exactly. */
function expectFieldsLike(actual: Record<string, unknown>, expected: Record<string, unknown>, skip: string[]) {
  for (const [k, v] of Object.entries(expected)) {
    if (skip.includes(k)) continue;
    if (
      typeof v === 'string' &&
      /^\d+\.\d+$|^\d+$/.test(v) &&
      typeof actual[k] === 'string' &&
      /^\d+(\.\d+)?$/.test(actual[k]) &&
      !/codigo|cfop|ncm|situacao|origem|numero_item|forma_pagamento|bandeira|tipo_integracao|modalidade|cnpj|cpf/.test(k)
    ) {
      expect(Number(actual[k]), k).toBe(Number(v));
    } else {
      expect(actual[k], k).toEqual(v);
    }
  }
}

describe('the published Focus examples (focus-nfce-api §3.11)', () => {
  it('Simples Nacional, CSOSN 102, cash with change, homologation', () => {
    const published = {
      cnpj_emitente: '51916585000125',
      data_emissao: '2026-03-10T14:05:00-03:00',
      natureza_operacao: 'VENDA AO CONSUMIDOR',
      presenca_comprador: '1',
      modalidade_frete: '9',
      local_destino: '1',
      indicador_inscricao_estadual_destinatario: '9',
      items: [
        {
          numero_item: '1',
          codigo_produto: '251887',
          descricao: 'NOTA FISCAL EMITIDA EM AMBIENTE DE HOMOLOGACAO - SEM VALOR FISCAL',
          codigo_ncm: '62044200',
          cfop: '5102',
          unidade_comercial: 'UN',
          quantidade_comercial: '2.0000',
          valor_unitario_comercial: '39.5000000000',
          unidade_tributavel: 'UN',
          quantidade_tributavel: '2.0000',
          valor_unitario_tributavel: '39.5000000000',
          valor_bruto: '79.00',
          valor_desconto: '0.00',
          icms_origem: '0',
          icms_situacao_tributaria: '102',
          valor_total_tributos: '24.29',
        },
      ],
      formas_pagamento: [{ forma_pagamento: '01', valor_pagamento: '100.00' }],
      valor_troco: '21.00',
    };
    const s = sale([{ product: product(), qtyE4: 20_000, unitPriceCents: 3950 }], [cash(10_000)]);
    const body = buildNfceRequest({ sale: s, emitter: emitter(), environment: 'homologacao' });
    // Differences by design: indIEDest only goes with a recipient; a zero discount is omitted.
    expectFieldsLike(body, published, ['items', 'formas_pagamento', 'indicador_inscricao_estadual_destinatario']);
    expect(body.indicador_inscricao_estadual_destinatario).toBeUndefined();
    expect(body.items).toHaveLength(1);
    expectFieldsLike(body.items[0] as Record<string, unknown>, published.items[0] as Record<string, unknown>, ['valor_desconto']);
    expect(body.items[0]).not.toHaveProperty('valor_desconto');
    expect(body.formas_pagamento).toEqual(published.formas_pagamento);
    expect(body.items[0]).toMatchObject({
      quantidade_comercial: '2.0000',
      valor_unitario_comercial: '39.50',
      valor_bruto: '79.00',
      codigo_barras_comercial: '7891000100103',
      codigo_barras_tributavel: '7891000100103',
      pis_situacao_tributaria: '49',
      cofins_situacao_tributaria: '49',
      pis_valor: '0.00',
      cofins_valor: '0.00',
    });
    expect(body.valor_total_tributos).toBe('24.29');
  });

  it('regime normal, CST 00, PIX + credit card through TEF', () => {
    const published = {
      cnpj_emitente: '07504505000132',
      data_emissao: '2026-03-10T14:05:00-03:00',
      presenca_comprador: '1',
      modalidade_frete: '9',
      local_destino: '1',
      cpf_destinatario: '12345678909',
      items: [
        {
          numero_item: '1',
          codigo_produto: 'A1',
          descricao: 'NOTA FISCAL EMITIDA EM AMBIENTE DE HOMOLOGACAO - SEM VALOR FISCAL',
          codigo_ncm: '84713012',
          cfop: '5102',
          unidade_comercial: 'UN',
          quantidade_comercial: '1',
          valor_unitario_comercial: '100.00',
          unidade_tributavel: 'UN',
          quantidade_tributavel: '1',
          valor_unitario_tributavel: '100.00',
          valor_bruto: '100.00',
          icms_origem: '0',
          icms_situacao_tributaria: '00',
          icms_modalidade_base_calculo: '3',
          icms_base_calculo: '100.00',
          icms_aliquota: '18.00',
          icms_valor: '18.00',
          pis_situacao_tributaria: '01',
          pis_base_calculo: '100.00',
          pis_aliquota_porcentual: '0.65',
          pis_valor: '0.65',
          cofins_situacao_tributaria: '01',
          cofins_base_calculo: '100.00',
          cofins_aliquota_porcentual: '3.00',
          cofins_valor: '3.00',
        },
      ],
      formas_pagamento: [
        { forma_pagamento: '17', valor_pagamento: '40.00' },
        {
          forma_pagamento: '03',
          valor_pagamento: '60.00',
          tipo_integracao: '1',
          cnpj_credenciadora: '01027058000191',
          bandeira_operadora: '02',
          numero_autorizacao: 'R07242',
        },
      ],
    };
    const p = product({ id: 'a1', code: 'A1', ncm: '84713012', icms: '00', icmsRateBp: 1800, gtin: null, approxTaxBp: 0, pisCofinsCst: '01' });
    const s = cumulative(
      sale(
        [{ product: p, qtyE4: 10_000, unitPriceCents: 10_000 }],
        [pay('17', 4000), pay('03', 6000, { card: { integration: '1', acquirerCnpj: '01027058000191', brand: '02', authorization: 'R07242' } })],
        { customer: { document: '12345678909' } },
      ),
    );
    const body = buildNfceRequest({ sale: s, emitter: emitter({ cnpj: '07504505000132', crt: 3 }), environment: 'homologacao' });
    expectFieldsLike(body, published, ['items', 'formas_pagamento']);
    expectFieldsLike(body.items[0] as Record<string, unknown>, published.items[0] as Record<string, unknown>, []);
    expect(body.items[0]).toMatchObject({ codigo_barras_comercial: 'SEM GTIN', codigo_barras_tributavel: 'SEM GTIN' });
    // Regime normal, CST 01 at the cumulative rates: the published PIS/COFINS fields, string for string.
    for (const k of Object.keys(published.items[0]!).filter((k) => /^(pis|cofins)_/.test(k))) {
      expect((body.items[0] as Record<string, unknown>)[k], k).toBe((published.items[0] as Record<string, unknown>)[k]);
    }
    expect(body.formas_pagamento[1]).toEqual(published.formas_pagamento[1]);
    // PIX dinâmico carries the card group (many UFs reject it without, cStat 391): not integrated by default.
    expect(body.formas_pagamento[0]).toEqual({ ...published.formas_pagamento[0], tipo_integracao: '2' });
    // Homologation + recipient: the name SEFAZ demands (598) and indIEDest 9.
    expect(body.nome_destinatario).toBe(HOMOLOG_DEST_NAME);
    expect(body.indicador_inscricao_estadual_destinatario).toBe('9');
    expect(body).not.toHaveProperty('valor_troco');
  });
});

describe('buildNfceRequest', () => {
  const two = (): CartLine[] => [
    { product: product({ id: 'a', code: 'A', description: 'ARROZ 5KG', cest: '1704900' }), qtyE4: 10_000, unitPriceCents: 2590, discountCents: 90 },
    { product: product({ id: 'b', code: 'B', description: 'QUEIJO MUSSARELA', unit: 'KG', weighed: true, gtin: null }), qtyE4: 5_120, unitPriceCents: 3990 },
  ];

  it('production keeps descriptions and the customer name', () => {
    const s = sale(two(), [cash(5000)], { customer: { document: '12ABC34501DE35', name: 'Padaria Central' } });
    const body = buildNfceRequest({ sale: s, emitter: emitter(), environment: 'producao' });
    expect(body.items.map((i) => i.descricao)).toEqual(['ARROZ 5KG', 'QUEIJO MUSSARELA']);
    expect(body.cnpj_destinatario).toBe('12ABC34501DE35');
    expect(body).not.toHaveProperty('cpf_destinatario');
    expect(body.nome_destinatario).toBe('Padaria Central');
  });

  it('homologation replaces only the first item description', () => {
    const s = sale(two(), [cash(5000)]);
    const body = buildNfceRequest({ sale: s, emitter: emitter(), environment: 'homologacao' });
    expect(body.items.map((i) => i.descricao)).toEqual([HOMOLOG_ITEM_DESCRIPTION, 'QUEIJO MUSSARELA']);
    expect(body).not.toHaveProperty('nome_destinatario');
    expect(body).not.toHaveProperty('cpf_destinatario');
  });

  it('writes weighed quantities, discounts (with rateio), CEST and SEM GTIN', () => {
    const s = sale(two(), [cash(5000)], { discount: 100 });
    const body = buildNfceRequest({ sale: s, emitter: emitter(), environment: 'producao' });
    const [a, b] = body.items as [Record<string, unknown>, Record<string, unknown>];
    expect(a).toMatchObject({ numero_item: '1', quantidade_comercial: '1.0000', valor_bruto: '25.90', cest: '1704900' });
    expect(b).toMatchObject({
      numero_item: '2',
      unidade_comercial: 'KG',
      unidade_tributavel: 'KG',
      quantidade_comercial: '0.5120',
      quantidade_tributavel: '0.5120',
      valor_unitario_comercial: '39.90',
      valor_bruto: '20.43',
      codigo_barras_comercial: 'SEM GTIN',
    });
    expect(b).not.toHaveProperty('cest');
    // Net 25,00 and 20,43 share R$ 1,00: 55.03 → 55, 44.97 → 45.
    expect(a.valor_desconto).toBe('1.45');
    expect(b.valor_desconto).toBe('0.45');
    const items = body.items.reduce((acc, i) => acc + Math.round(Number(i.valor_bruto) * 100) - Math.round(Number(i.valor_desconto ?? 0) * 100), 0);
    expect(items).toBe(s.totalCents);
  });

  it('ICMS CST 00: base after discount, rate and value half up', () => {
    const p = product({ icms: '00', icmsRateBp: 1700 });
    const s = sale([{ product: p, qtyE4: 30_000, unitPriceCents: 333, discountCents: 1 }], [cash(1000)]);
    const body = buildNfceRequest({ sale: s, emitter: emitter({ crt: 3 }), environment: 'producao' });
    expect(body.items[0]).toMatchObject({
      icms_situacao_tributaria: '00',
      icms_modalidade_base_calculo: '3',
      icms_base_calculo: '9.98',
      icms_aliquota: '17.00',
      icms_valor: '1.70',
    });
    expect(body.items[0]).toHaveProperty('valor_desconto', '0.01');
  });

  it.each([
    [1, '60', /usa CST 60, mas a empresa é do Simples Nacional/],
    [4, '00', /Simples Nacional\/MEI/],
    [3, '102', /usa CSOSN 102, mas a empresa não é do Simples Nacional/],
    [2, '500', /não é do Simples/],
    [1, '101', /ainda não emite/],
    [3, '20', /ainda não emite/],
  ] as const)('CRT %i with ICMS %s is refused before SEFAZ (591)', (crt, icms, message) => {
    const s = sale([{ product: product({ icms }), qtyE4: 10_000, unitPriceCents: 100 }], [cash(100)]);
    expect(() => buildNfceRequest({ sale: s, emitter: emitter({ crt }), environment: 'producao' })).toThrow(NfcePayloadError);
    expect(() => buildNfceRequest({ sale: s, emitter: emitter({ crt }), environment: 'producao' })).toThrow(message);
    expect(icmsRegimeProblem(crt, icms)).toMatch(message);
  });

  it('accepts the supported codes per regime', () => {
    for (const c of ['102', '103', '300', '400', '500']) expect(icmsRegimeProblem(1, c)).toBeNull();
    for (const c of ['00', '40', '41', '60']) expect(icmsRegimeProblem(3, c)).toBeNull();
    for (const c of ['40', '60']) expect(icmsRegimeProblem(2, c)).toBeNull();
  });

  it('CST 00 without a rate is refused with the item named', () => {
    const s = sale([{ product: product({ icms: '00', icmsRateBp: 0, description: 'CADERNO' }), qtyE4: 10_000, unitPriceCents: 100 }], [cash(100)]);
    expect(() => buildNfceRequest({ sale: s, emitter: emitter({ crt: 3 }), environment: 'producao' })).toThrow(/Item 1 \(CADERNO\) tem CST 00 sem alíquota/);
  });

  it('payments: 99 with its description, debit without TEF, brand and authorization kept', () => {
    const s = sale(
      [{ product: product(), qtyE4: 10_000, unitPriceCents: 3000 }],
      [pay('99', 1000, { description: 'Permuta' }), pay('04', 1000, { card: { integration: '2', brand: '06', authorization: 'A1B2' } }), pay('10', 1000)],
    );
    const body = buildNfceRequest({ sale: s, emitter: emitter(), environment: 'producao' });
    expect(body.formas_pagamento).toEqual([
      { forma_pagamento: '99', valor_pagamento: '10.00', descricao_pagamento: 'Permuta' },
      { forma_pagamento: '04', valor_pagamento: '10.00', tipo_integracao: '2', bandeira_operadora: '06', numero_autorizacao: 'A1B2' },
      { forma_pagamento: '10', valor_pagamento: '10.00' },
    ]);
    expect(body).not.toHaveProperty('valor_troco');
  });

  it('offline contingency adds numero, serie and codigo_unico', () => {
    const s = sale(two(), [cash(5000)]);
    const body = buildNfceRequest({ sale: s, emitter: emitter(), environment: 'producao', offline: { numero: 42, serie: 600, codigoUnico: '00385619' } });
    expect(body).toMatchObject({ numero: '42', serie: '600', codigo_unico: '00385619' });
    expect(buildNfceRequest({ sale: s, emitter: emitter(), environment: 'producao' })).not.toHaveProperty('codigo_unico');
    expect(() =>
      buildNfceRequest({ sale: s, emitter: emitter(), environment: 'producao', offline: { numero: 0, serie: 600, codigoUnico: '00385619' } }),
    ).toThrow(/Número/);
    expect(() =>
      buildNfceRequest({ sale: s, emitter: emitter(), environment: 'producao', offline: { numero: 1, serie: 1000, codigoUnico: '00385619' } }),
    ).toThrow(/Série/);
    expect(() => buildNfceRequest({ sale: s, emitter: emitter(), environment: 'producao', offline: { numero: 1, serie: 600, codigoUnico: '385619' } })).toThrow(
      /cNF/,
    );
  });

  it('is assignable to the Focus client body type and survives JSON', () => {
    const s = sale(two(), [cash(5000)]);
    const body: NfceRequestBody = buildNfceRequest({ sale: s, emitter: emitter(), environment: 'homologacao' });
    expect(JSON.parse(JSON.stringify(body))).toEqual(body);
    // Every value is a string (Focus examples send strings); no float ever leaks.
    const values = [
      ...Object.values(body).filter((v) => !Array.isArray(v)),
      ...body.items.flatMap(Object.values),
      ...body.formas_pagamento.flatMap(Object.values),
    ];
    for (const v of values) expect(typeof v).toBe('string');
  });

  it('random sales: Σ valor_pagamento − valor_troco = Σ (valor_bruto − valor_desconto), tributos add up', () => {
    const rnd = seededRandom(555);
    const cents = (s: unknown) => {
      expect(s).toMatch(/^\d+\.\d{2}$/);
      return Number((s as string).replace('.', ''));
    };
    for (let round = 0; round < 300; round++) {
      const n = 1 + Math.floor(rnd() * 6);
      const lines: CartLine[] = Array.from({ length: n }, (_, k) => {
        const weighed = rnd() < 0.4;
        return {
          product: product({ id: `p${k}`, weighed, unit: weighed ? 'KG' : 'UN', approxTaxBp: Math.floor(rnd() * 5000) }),
          qtyE4: weighed ? 100 + Math.floor(rnd() * 30_000) : (1 + Math.floor(rnd() * 3)) * 10_000,
          unitPriceCents: 100 + Math.floor(rnd() * 10_000),
        };
      });
      const cart = computeCart(lines);
      if (!cart.ok) throw new Error(cart.error.message);
      const total = cart.value.totalCents;
      const discount = Math.floor(rnd() * total * 0.3);
      const due = total - discount;
      const card = Math.floor(rnd() * due);
      const payments = card > 0 ? [pay('03', card), cash(due - card + Math.floor(rnd() * 5000))] : [cash(due + Math.floor(rnd() * 5000))];
      const s = sale(lines, payments, { discount });
      const body = buildNfceRequest({ sale: s, emitter: emitter(), environment: rnd() < 0.5 ? 'producao' : 'homologacao' });
      const paid = body.formas_pagamento.reduce((a, p) => a + cents(p.valor_pagamento), 0);
      const troco = body.valor_troco === undefined ? 0 : cents(body.valor_troco);
      const itemsNet = body.items.reduce((a, i) => a + cents(i.valor_bruto) - (i.valor_desconto === undefined ? 0 : cents(i.valor_desconto)), 0);
      expect(paid - troco).toBe(itemsNet);
      expect(itemsNet).toBe(s.totalCents);
      expect(body.items.reduce((a, i) => a + cents(i.valor_total_tributos), 0)).toBe(cents(body.valor_total_tributos));
      body.items.forEach((i, k) => expect(i.numero_item).toBe(String(k + 1)));
    }
  });
});

describe('PIS/COFINS from the product (focus-nfce-api §3.5)', () => {
  const line = (over: Parameters<typeof product>[0], unitPriceCents = 1234, qtyE4 = 30_000) => ({ product: product(over), qtyE4, unitPriceCents });
  const item = (s: Sale, crt: Emitter['crt'] = 3) =>
    buildNfceRequest({ sale: s, emitter: emitter({ crt }), environment: 'producao' }).items[0] as Record<string, unknown>;

  it('CST 01 under regime normal: base is the item total after discounts, values at the rates fixed at the sale', () => {
    // 3 × 12,34 = 37,02 − 2,00 = 35,02; PIS 1,65 % = 0,57783 → 0,58; COFINS 7,6 % = 2,66152 → 2,66.
    const base = sale([{ ...line({ icms: '00', icmsRateBp: 1800, pisCofinsCst: '01' }), discountCents: 200 }], [cash(5000)]);
    const s = { ...base, items: base.items.map((it) => ({ ...it, pisRateBp: 165, cofinsRateBp: 760 })) };
    expect(item(s)).toMatchObject({
      pis_situacao_tributaria: '01',
      pis_base_calculo: '35.02',
      pis_aliquota_porcentual: '1.65',
      pis_valor: '0.58',
      cofins_situacao_tributaria: '01',
      cofins_base_calculo: '35.02',
      cofins_aliquota_porcentual: '7.60',
      cofins_valor: '2.66',
    });
  });

  it('CST 04–09 send the CST alone; 49–99 send zero base, rate and value; for any regime', () => {
    for (const crt of [1, 3] as const) {
      const icms = crt === 3 ? '40' : '102';
      const nt = item(sale([line({ icms, pisCofinsCst: '04' })], [cash(5000)]), crt);
      expect(nt.pis_situacao_tributaria).toBe('04');
      expect(nt.cofins_situacao_tributaria).toBe('04');
      expect(
        Object.keys(nt)
          .filter((k) => /^(pis|cofins)_/.test(k))
          .sort(),
      ).toEqual(['cofins_situacao_tributaria', 'pis_situacao_tributaria']);
      expect(item(sale([line({ icms, pisCofinsCst: '99' })], [cash(5000)]), crt)).toMatchObject({
        pis_situacao_tributaria: '99',
        pis_base_calculo: '0.00',
        pis_valor: '0.00',
        cofins_situacao_tributaria: '99',
        cofins_valor: '0.00',
      });
    }
  });

  it('refuses, in pt-BR, what cannot be a valid group: Simples with CST 01, 02/03, an unknown CST, CST 01 without rates', () => {
    const refused = (over: Parameters<typeof product>[0], crt: Emitter['crt']) => {
      try {
        item(sale([line(over)], [cash(5000)]), crt);
      } catch (e) {
        expect(e).toBeInstanceOf(NfcePayloadError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refused({ pisCofinsCst: '01' }, 1)).toMatch(/Simples Nacional.*use 49/);
    expect(refused({ icms: '40', pisCofinsCst: '02' }, 3)).toMatch(/02 \(alíquota diferenciada\)/);
    expect(refused({ icms: '40', pisCofinsCst: '03' }, 3)).toMatch(/03 \(por quantidade\)/);
    expect(refused({ icms: '40', pisCofinsCst: '48' }, 3)).toMatch(/CST de PIS\/COFINS 48, que não existe/);
    expect(refused({ icms: '40', pisCofinsCst: '01' }, 3)).toMatch(/sem alíquotas/);
  });

  it('an item journaled before the CST was kept follows the old rule', () => {
    const s = sale([line({ icms: '40' })], [cash(5000)]);
    const old = { ...s, items: s.items.map(({ pisCofinsCst: _, ...it }) => it) };
    expect(item(old, 3)).not.toHaveProperty('pis_situacao_tributaria');
    expect(item({ ...old, items: old.items.map((it) => ({ ...it, icms: '102' })) }, 1)).toMatchObject({ pis_situacao_tributaria: '49' });
  });
});
