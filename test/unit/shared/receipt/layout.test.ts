import { describe, expect, it } from 'vitest';
import { buildReceipt, type BuildReceiptInput } from '../../../../shared/receipt/model.ts';
import { layoutReceipt, layoutToText, type LayoutLine } from '../../../../shared/receipt/layout.ts';
import { SCENARIOS, scenario } from '../../../fixtures/receipt/scenarios.ts';
import { expectGolden } from '../../../fixtures/receipt/golden.ts';
import { sampleReceiptInput } from '../../../../main/printing/sample.ts';

const texts = (lines: LayoutLine[]) => lines.flatMap((l) => (l.kind === 'text' ? [l.text] : []));

function withItems(input: BuildReceiptInput, patch: (i: number) => { code?: string; description?: string }): BuildReceiptInput {
  return { ...input, sale: { ...input.sale, items: input.sale.items.map((it, i) => ({ ...it, ...patch(i) })) } };
}

describe('layoutReceipt', () => {
  it.each([48, 32] as const)('no line is wider than %i columns, even with long codes and descriptions', (width) => {
    const long = withItems(sampleReceiptInput({ width, items: 12, environment: 'producao', cash: true, customerCpf: '12345678909' }), (i) => ({
      code: i % 3 === 0 ? 'CODIGO-INTERNO-MUITO-LONGO-'.repeat(2).slice(0, 60) : `${i}`,
      description: `Descrição ${'extraordinariamente '.repeat(i % 4)}comprida SUPERCALIFRAGILISTICEXPIALIDOCIOUS${i} ${'y'.repeat(i * 5)}`.slice(0, 120),
    }));
    const layout = layoutReceipt(buildReceipt(long));
    for (const copy of layout.copies) {
      for (const t of texts(copy.lines)) expect(t.length, t).toBeLessThanOrEqual(width);
    }
  });

  it.each([48, 32] as const)('money columns end exactly at column %i', (width) => {
    const input = sampleReceiptInput({ width, items: 6, environment: 'producao', cash: true, discountCents: 99 });
    const lines = texts(layoutReceipt(buildReceipt(input)).copies[0]?.lines ?? []);
    const itemTotals = lines.filter((l) => /^ {4}\d[\d.,]* [A-Z]+ x /.test(l));
    expect(itemTotals).toHaveLength(6);
    for (const l of itemTotals) {
      expect(l).toHaveLength(width);
      expect(l).toMatch(/\d,\d\d$/);
    }
    for (const label of ['Valor total R$', 'Desconto R$', 'Valor a Pagar R$', 'Dinheiro', 'Troco R$']) {
      const line = lines.find((l) => l.startsWith(label));
      expect(line, label).toBeDefined();
      expect(line).toHaveLength(width);
    }
  });

  it('continues a wrapped description under the description column, not under the code', () => {
    const input = withItems(sampleReceiptInput({ items: 1, environment: 'producao' }), () => ({
      code: '789',
      description: 'Biscoito Recheado Sabor Chocolate com Avelã Pacote Família Econômico 400 g',
    }));
    const lines = texts(layoutReceipt(buildReceipt(input)).copies[0]?.lines ?? []);
    const at = lines.findIndex((l) => l.startsWith('001 789 '));
    expect(lines.slice(at, at + 3)).toEqual([
      '001 789 Biscoito Recheado Sabor Chocolate com',
      '    Avelã Pacote Família Econômico 400 g',
      `${'    2 UN x 18,99'.padEnd(43)}37,98`,
    ]);
  });

  it('summary has no item block; contingency has two copies with their via label', () => {
    const summary = layoutToText(layoutReceipt(buildReceipt(scenario('summary'))));
    expect(summary).not.toContain('Código Descrição');
    expect(summary).toContain('Valor a Pagar R$');
    const cont = layoutReceipt(buildReceipt(scenario('contingency')));
    expect(cont.copies.map((c) => c.label)).toEqual(['Via Consumidor', 'Via Estabelecimento']);
    for (const copy of cont.copies) {
      const t = texts(copy.lines).map((l) => l.trim());
      expect(t).toContain(copy.label);
      expect(t).toContain('EMITIDA EM CONTINGÊNCIA');
      expect(t).toContain('Pendente de autorização');
      expect(copy.lines.filter((l) => l.kind === 'qr')).toHaveLength(1);
    }
  });

  it('the chave is printed as 11 groups of 4 over two centered lines', () => {
    const m = buildReceipt(scenario('58mm'));
    const lines = texts(layoutReceipt(m).copies[0]?.lines ?? []).map((l) => l.trim());
    const i = lines.indexOf(m.consulta.chaveGroups[0] as string);
    expect(i).toBeGreaterThan(0);
    expect(`${lines[i]} ${lines[i + 1]}`.split(' ')).toHaveLength(11);
  });

  it('can lay the same model out for the other width', () => {
    const m = buildReceipt(scenario('authorized'));
    const narrow = layoutReceipt(m, 32);
    expect(narrow.width).toBe(32);
    for (const t of texts(narrow.copies[0]?.lines ?? [])) expect(t.length).toBeLessThanOrEqual(32);
  });
});

describe('receipt layout goldens', () => {
  it.each(Object.keys(SCENARIOS))('%s', (name) => {
    expectGolden(`${name}.txt`, layoutToText(layoutReceipt(buildReceipt(scenario(name)))));
  });
});
