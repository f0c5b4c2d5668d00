import { describe, expect, it } from 'vitest';
import {
  buildReceipt,
  CONSUMER_UNIDENTIFIED,
  CONTINGENCY_MESSAGE,
  CONTINGENCY_PENDING,
  RECEIPT_TITLE,
  ReceiptError,
  VIA_CONSUMIDOR,
  VIA_ESTABELECIMENTO,
  type BuildReceiptInput,
} from '../../../../shared/receipt/model.ts';
import { HOMOLOG_ITEM_DESCRIPTION, HOMOLOG_RECEIPT_MESSAGE } from '../../../../shared/fiscal/homologation.ts';
import type { EmissionState } from '../../../../shared/emission.ts';
import { sampleReceiptInput } from '../../../../main/printing/sample.ts';
import { SCENARIOS, scenario } from '../../../fixtures/receipt/scenarios.ts';
import { expectGolden } from '../../../fixtures/receipt/golden.ts';

function withEmission(input: BuildReceiptInput, patch: Partial<BuildReceiptInput['emission']>): BuildReceiptInput {
  return { ...input, emission: { ...input.emission, ...patch } };
}

describe('buildReceipt — authorized NFC-e in production', () => {
  const input = scenario('authorized');
  const m = buildReceipt(input);

  it('prints the shop header with formatted CNPJ, IE and address', () => {
    expect(m.header.name).toBe('MERCEARIA SÃO JOÃO LTDA');
    expect(m.header.document).toBe('CNPJ: 12.345.678/0001-95');
    expect(m.header.ie).toBe('9012345678');
    expect(m.header.address).toEqual(['Rua Marechal Deodoro, 1234 - Centro', 'Curitiba - PR - CEP 80010-010', 'Fone: (41) 3333-4444']);
    expect(m.title[0]).toBe(RECEIPT_TITLE);
  });

  it('lists every item with code, description, quantity, unit, unit price and line total', () => {
    expect(m.items).toHaveLength(5);
    const cheese = m.items?.[1];
    expect(cheese).toMatchObject({ seq: 2, code: '2000123', description: 'Queijo Muçarela Fatiado', qty: '0,512', unit: 'KG', unitPriceCents: 4990 });
    // 0,512 × 49,90 = 25,5488 → 25,55 (vProd rounded half up)
    expect(cheese?.totalCents).toBe(2555);
    expect(m.items?.[0]?.description).not.toBe(HOMOLOG_ITEM_DESCRIPTION);
  });

  it('totals, discount, payments with labels and troco match the sale', () => {
    const s = input.sale;
    expect(m.totals).toEqual({ itemCount: 5, grossCents: s.grossCents, discountCents: 250, payableCents: s.grossCents - 250 });
    expect(m.payments).toEqual([{ label: 'Dinheiro', amountCents: s.paidCents }]);
    expect(m.changeCents).toBe(s.paidCents - s.totalCents);
    expect(m.changeCents).toBeGreaterThan(0);
    expect(m.hasCash).toBe(true);
  });

  it('has the consulta URL of the UF and the chave in 11 groups of 4', () => {
    expect(m.consulta.label).toBe('Consulte pela Chave de Acesso em');
    expect(m.consulta.url).toBe('http://www.fazenda.pr.gov.br/nfce/consulta');
    const groups = m.consulta.chave.split(' ');
    expect(groups).toHaveLength(11);
    expect(groups.every((g) => /^\d{4}$/.test(g))).toBe(true);
    expect(groups.join('')).toBe(input.emission.chave);
    expect(m.consulta.chaveGroups.join(' ')).toBe(m.consulta.chave);
  });

  it('identifies the note: número and série padded, emission date, protocol and its date', () => {
    expect(m.identification).toEqual({
      numero: '000000123',
      serie: '001',
      emittedAt: '24/11/2026 10:15:09',
      protocolo: '141260000123456',
      authorizedAt: '24/11/2026 10:15:11',
    });
    expect(m.consumer).toEqual([CONSUMER_UNIDENTIFIED]);
    expect(m.qrContent).toBe(input.emission.qrcodeUrl);
    expect(m.tax.label).toBe('Tributos Totais Incidentes (Lei Federal 12.741/2012)');
    expect(m.tax.cents).toBe(input.sale.approxTaxCents);
    expect(m.fiscalMessages).toEqual([]);
    expect(m.copies).toEqual([null]);
  });

  it('shows the authorization time in the shop time zone when Focus answers in UTC', () => {
    const utc = buildReceipt(withEmission(input, { authorizedAt: '2026-11-24T13:15:11Z' }));
    expect(utc.identification.authorizedAt).toBe('24/11/2026 10:15:11');
  });

  it('prefers the urlConsulta Focus returned', () => {
    const r = buildReceipt(withEmission(input, { urlConsulta: 'http://www.fazenda.pr.gov.br/nfce/consulta/focus' }));
    expect(r.consulta.url).toBe('http://www.fazenda.pr.gov.br/nfce/consulta/focus');
  });
});

describe('buildReceipt — variants', () => {
  it('homologation: fiscal message and the mandatory first item text', () => {
    const m = buildReceipt(scenario('homologation'));
    expect(m.fiscalMessages).toEqual([HOMOLOG_RECEIPT_MESSAGE]);
    expect(HOMOLOG_RECEIPT_MESSAGE).toBe('EMITIDA EM AMBIENTE DE HOMOLOGAÇÃO – SEM VALOR FISCAL');
    expect(m.items?.[0]?.description).toBe(HOMOLOG_ITEM_DESCRIPTION);
    expect(m.items?.[1]?.description).toBe('Queijo Muçarela Fatiado');
    expect(m.hasCash).toBe(false);
    expect(m.payments[0]?.label).toBe('Cartão de Débito');
  });

  it('contingency: warnings, no protocol, two copies (consumidor and estabelecimento)', () => {
    const m = buildReceipt(scenario('contingency'));
    expect(m.contingency).toBe(true);
    expect(m.fiscalMessages).toEqual([CONTINGENCY_MESSAGE, CONTINGENCY_PENDING]);
    expect(m.fiscalMessages[0]).toBe('EMITIDA EM CONTINGÊNCIA');
    expect(m.copies).toEqual([VIA_CONSUMIDOR, VIA_ESTABELECIMENTO]);
    expect(m.identification.protocolo).toBeNull();
    expect(m.identification.authorizedAt).toBeNull();
    expect(m.identification.serie).toBe('600');
  });

  it('a contingency note authorized later prints once, with its protocol and the contingency mark', () => {
    const input = withEmission(scenario('contingency'), {
      state: 'authorized',
      protocolo: '141260000999999',
      authorizedAt: '2026-11-24T18:00:00-03:00',
    });
    const m = buildReceipt(input);
    expect(m.copies).toEqual([null]);
    expect(m.fiscalMessages).toEqual([CONTINGENCY_MESSAGE]);
    expect(m.identification.protocolo).toBe('141260000999999');
  });

  it('summary DANFCe has no items but keeps the totals', () => {
    const m = buildReceipt(scenario('summary'));
    expect(m.items).toBeNull();
    expect(m.summary).toBe(true);
    expect(m.totals.itemCount).toBe(6);
  });

  it('identified consumer by CPF or CNPJ', () => {
    const cpf = buildReceipt(scenario('58mm'));
    expect(cpf.consumer).toEqual(['CONSUMIDOR - CPF 123.456.789-09', 'Maria das Graças']);
    const input = scenario('authorized');
    const cnpj = buildReceipt({ ...input, sale: { ...input.sale, customer: { document: '12ABC34501DE35' } } });
    expect(cnpj.consumer).toEqual(['CONSUMIDOR - CNPJ 12.ABC.345/01DE-35']);
  });

  it('an issuer registered by CPF is printed as CPF', () => {
    const input = scenario('authorized');
    const m = buildReceipt({ ...input, emitter: { ...input.emitter, cnpj: '00012345678909' } });
    expect(m.header.document).toBe('CPF: 123.456.789-09');
  });

  it('payment method 99 prints the description the cashier typed', () => {
    const input = scenario('authorized');
    const sale = { ...input.sale, payments: [{ method: '99', amountCents: input.sale.totalCents, description: 'Vale da casa' }] };
    expect(buildReceipt({ ...input, sale }).payments[0]?.label).toBe('Vale da casa');
  });
});

describe('buildReceipt — refusals', () => {
  const base = sampleReceiptInput();

  it('refuses a cancelled note with a typed error in Portuguese', () => {
    const err = (() => {
      try {
        buildReceipt(withEmission(base, { state: 'cancelled' }));
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(ReceiptError);
    expect((err as ReceiptError).code).toBe('cancelled');
    expect((err as ReceiptError).message).toMatch(/cancelada.*não pode ser impresso/);
  });

  it.each<EmissionState>(['rejected', 'denied', 'pending', 'sending', 'unknown', 'blocked', 'superseded'])('refuses state %s', (state) => {
    expect(() => buildReceipt(withEmission(base, { state }))).toThrow(ReceiptError);
  });

  it('refuses a note without chave, QR or número', () => {
    expect(() => buildReceipt(withEmission(base, { chave: null }))).toThrow(/chave de acesso/);
    const c = base.emission.chave as string;
    const wrongDv = c.slice(0, 43) + String((Number(c[43]) + 1) % 10);
    expect(() => buildReceipt(withEmission(base, { chave: wrongDv }))).toThrow(/chave de acesso/);
    expect(() => buildReceipt(withEmission(base, { qrcodeUrl: null }))).toThrow(/QR Code/);
    expect(() => buildReceipt(withEmission(base, { numero: null }))).toThrow(/número e série/);
  });

  it('refuses an authorized note without protocol', () => {
    expect(() => buildReceipt(withEmission(base, { protocolo: null }))).toThrow(/sem protocolo/);
  });
});

describe('receipt model goldens', () => {
  it.each(Object.keys(SCENARIOS))('%s', (name) => {
    const m = buildReceipt(scenario(name));
    expectGolden(`${name}.model.json`, `${JSON.stringify(m, null, 2)}\n`);
  });
});
