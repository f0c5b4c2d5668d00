// SEFAZ-like rejections (§8 items 11–14, nfce-rules §9): each one arrives as HTTP 201 with
// status erro_autorizacao and the cStat, and leaves the ref reusable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_EMITTER, startSandbox, type Sandbox } from '../../../main/sandbox/index.ts';
import { DEST_HOMOLOG, emit, note, nowText } from './helpers.ts';

let sb: Sandbox;
let seq = 0;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => {
  await sb.close();
});

const item0 = (s: Sandbox) => (note(s).items as Record<string, unknown>[])[0]!;

async function expectRejection(body: Record<string, unknown>, cStat: string, s: Sandbox = sb, env: 'homologacao' | 'producao' = 'homologacao') {
  const r = await emit(s, `rule_${++seq}`, body, '', env);
  expect(r.status).toBe(201);
  expect(r.json.status).toBe('erro_autorizacao');
  expect(r.json.status_sefaz).toBe(cStat);
  expect(typeof r.json.mensagem_sefaz).toBe('string');
  return r.json;
}

describe('emission time (§8 item 11)', () => {
  it('rejects data_emissao more than 5 minutes ahead with 703 and behind with 704', async () => {
    await expectRejection(note(sb, { data_emissao: nowText(sb, 6 * 60_000) }), '703');
    await expectRejection(note(sb, { data_emissao: nowText(sb, -6 * 60_000) }), '704');
    const ok = await emit(sb, 'time_ok', note(sb, { data_emissao: nowText(sb, -4 * 60_000) }));
    expect(ok.json.status).toBe('autorizado');
  });

  it('follows the sandbox clock offset', async () => {
    sb.controls.setClockOffset(10 * 60_000);
    try {
      await expectRejection(note(sb, { data_emissao: nowText(sb, -10 * 60_000) }), '704');
    } finally {
      sb.controls.setClockOffset(0);
    }
  });
});

describe('homologation texts (§8 item 12)', () => {
  it('rejects a first item description other than the homologation text with 373', async () => {
    const j = await expectRejection(note(sb, { items: [{ ...item0(sb), descricao: 'PAO FRANCES' }] }), '373');
    expect(j.mensagem_sefaz).toContain('NOTA FISCAL EMITIDA EM AMBIENTE DE HOMOLOGACAO - SEM VALOR FISCAL');
  });

  it('rejects a recipient name other than the homologation text with 598, accepts the exact one', async () => {
    await expectRejection(note(sb, { cpf_destinatario: '12345678909', nome_destinatario: 'MARIA DA SILVA' }), '598');
    const ok = await emit(sb, 'dest_ok', note(sb, { cpf_destinatario: '12345678909', nome_destinatario: DEST_HOMOLOG }));
    expect(ok.json.status).toBe('autorizado');
  });

  it('has no such rule in production', async () => {
    const r = await emit(sb, 'prod_desc', note(sb, { items: [{ ...item0(sb), descricao: 'PAO FRANCES' }] }, 'producao'), '', 'producao');
    expect(r.json.status).toBe('autorizado');
  });
});

describe('tax situation vs CRT (§8 item 13)', () => {
  it('rejects a CST for a Simples Nacional emitter (590)', async () => {
    const body = note(sb, {
      items: [{ ...item0(sb), icms_situacao_tributaria: '00', icms_modalidade_base_calculo: '3', icms_base_calculo: '79.00', icms_aliquota: '18.00' }],
    });
    await expectRejection(body, '590');
  });

  it('rejects a CSOSN for a regime-normal emitter with 591 and the doc message', async () => {
    const normal = await startSandbox({ emitter: { ...SANDBOX_EMITTER, crt: 3 } });
    // These notes carry no IBS/CBS: switch rule 1115 off (NT v1.33 behaviour), tested in ibscbs.test.ts.
    normal.controls.set({ ibsCbs: { crt3From: null } });
    try {
      const j = await expectRejection(note(normal), '591', normal);
      expect(j.mensagem_sefaz).toBe('Informado CSOSN para emissor que nao e do Simples Nacional (CRT diferente de 1). [nItem:1]');
      const cst = note(normal, {
        items: [
          {
            ...item0(normal),
            icms_situacao_tributaria: '00',
            icms_modalidade_base_calculo: '3',
            icms_base_calculo: '79.00',
            icms_aliquota: '18.00',
            icms_valor: '14.22',
          },
        ],
      });
      const ok = await emit(normal, 'normal_ok', cst, '&completa=1');
      expect(ok.json.status).toBe('autorizado');
      expect(ok.json.requisicao_nota_fiscal.icms_valor_total).toBe('14.22');
      // icms_valor that is not base × rate: 528.
      const wrong = note(normal, { items: [{ ...(cst.items as object[])[0], icms_valor: '15.00' }] });
      await expectRejection(wrong, '528', normal);
    } finally {
      await normal.close();
    }
  });
});

describe('items and totals (§8 item 14)', () => {
  it('rejects an NCM from the inexistent list with 778, and a non-5 CFOP with 725', async () => {
    const j = await expectRejection(note(sb, { items: [{ ...item0(sb), codigo_ncm: '99999999' }] }), '778');
    expect(j.mensagem_sefaz).toContain('[nItem:1]');
    await expectRejection(note(sb, { items: [{ ...item0(sb), cfop: '6102' }] }), '725');
  });

  it('rejects valor_bruto that is not quantity × unit price (629)', async () => {
    await expectRejection(note(sb, { items: [{ ...item0(sb), valor_bruto: '80.00' }] }), '629');
  });

  it('rejects sent totals that differ from the item sums (564, 537, 610)', async () => {
    await expectRejection(note(sb, { valor_produtos: '78.00' }), '564');
    await expectRejection(note(sb, { valor_desconto: '1.00' }), '537');
    await expectRejection(
      note(sb, { valor_total: '80.00', formas_pagamento: [{ forma_pagamento: '01', valor_pagamento: '80.00' }], valor_troco: undefined }),
      '610',
    );
  });

  it('checks payments: short 865, excess without troco 866, wrong troco 869 (or 767 as configured); exact payments and discounts pass', async () => {
    const short = await expectRejection(note(sb, { formas_pagamento: [{ forma_pagamento: '01', valor_pagamento: '70.00' }], valor_troco: undefined }), '865');
    expect(short.mensagem_sefaz).toBe('Rejeicao: Total dos pagamentos menor que o total da nota');
    await expectRejection(note(sb, { valor_troco: '20.00' }), '869');
    await expectRejection(note(sb, { valor_troco: undefined }), '866');
    // Sem pagamento (90) is exempt from 865.
    const none = await emit(sb, 'sem_pag', note(sb, { valor_troco: undefined, formas_pagamento: [{ forma_pagamento: '90', valor_pagamento: '0.00' }] }));
    expect(none.json.status).toBe('autorizado');
    sb.controls.set({ payments: { style: '767' } });
    try {
      await expectRejection(note(sb, { formas_pagamento: [{ forma_pagamento: '01', valor_pagamento: '70.00' }], valor_troco: undefined }), '767');
      await expectRejection(note(sb, { valor_troco: undefined }), '767');
    } finally {
      sb.controls.reset();
    }
    sb.controls.set({ payments: { fillTroco: true } });
    try {
      expect((await emit(sb, 'troco_focus', note(sb, { valor_troco: undefined }))).json.status).toBe('autorizado');
    } finally {
      sb.controls.reset();
    }
    // troco inside the payment is honoured too (§3.8)
    const inPay = await emit(
      sb,
      'troco_pag',
      note(sb, { valor_troco: undefined, formas_pagamento: [{ forma_pagamento: '01', valor_pagamento: '100.00', troco: '21.00' }] }),
    );
    expect(inPay.json.status).toBe('autorizado');
    const disc = note(sb, {
      valor_troco: undefined,
      items: [{ ...item0(sb), valor_desconto: '9.00' }],
      formas_pagamento: [
        { forma_pagamento: '17', valor_pagamento: '40.00' },
        {
          forma_pagamento: '03',
          valor_pagamento: '30.00',
          tipo_integracao: '1',
          cnpj_credenciadora: '01027058000191',
          bandeira_operadora: '02',
          numero_autorizacao: 'R07242',
        },
      ],
    });
    const r = await emit(sb, 'desconto_ok', disc, '&completa=1');
    expect(r.json.status).toBe('autorizado');
    expect(r.json.requisicao_nota_fiscal.valor_total).toBe('70.00');
  });

  it('lets the same ref be sent again after a rejection', async () => {
    const bad = await emit(sb, 'corrigida', note(sb, { items: [{ ...item0(sb), codigo_ncm: '99999999' }] }));
    expect(bad.json.status_sefaz).toBe('778');
    const good = await emit(sb, 'corrigida', note(sb));
    expect(good.json.status).toBe('autorizado');
  });
});
