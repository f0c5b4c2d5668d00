// What issue #12 asks of the paper: the fixed title with "DANFE NFC-e", the IBS/CBS the note carried
// (block 9, next to the Lei 12.741 taxes), and the drawer only on a cash sale's first print.
import { describe, expect, it } from 'vitest';
import { buildReceipt, RECEIPT_TITLE, withDrawerKick } from '../../../../shared/receipt/model.ts';
import { layoutReceipt } from '../../../../shared/receipt/layout.ts';
import { scenario } from '../../../fixtures/receipt/scenarios.ts';
import { handNotes } from '../nfce/ibscbs-notes.ts';

const text = (m: ReturnType<typeof buildReceipt>) =>
  layoutReceipt(m)
    .copies[0]!.lines.map((l) => (l.kind === 'text' ? l.text.trim() : ''))
    .join('\n');

describe('DANFCe rules', () => {
  it('block 2 reads "DANFE NFC-e – Documento Auxiliar da Nota Fiscal de Consumidor Eletrônica"', () => {
    const m = buildReceipt(scenario('authorized'));
    expect(m.title[0]).toBe(RECEIPT_TITLE);
    expect(RECEIPT_TITLE.startsWith('DANFE NFC-e')).toBe(true);
    expect(text(m)).toMatch(/DANFE NFC-e - Documento Auxiliar da\s+Nota Fiscal de Consumidor Eletrônica/);
  });

  it('prints the IBS and CBS of a note that carries them, and nothing for one that does not', () => {
    const base = scenario('authorized');
    const [, , , normal2026] = handNotes(); // note 4: CRT 3 on 2026-12-31, IBS 0,01 CBS 0,07
    const withTax = buildReceipt({
      ...base,
      sale: { ...normal2026!.sale, createdAt: base.sale.createdAt.replace(/^\d{4}-\d{2}-\d{2}/, '2026-12-31') },
      emitter: { ...base.emitter, crt: 3 },
    });
    expect(withTax.ibsCbs).toEqual({ label: 'IBS/CBS (LC 214/2025)', ibsCents: 1, cbsCents: 7 });
    expect(text(withTax)).toContain('IBS R$ 0,01');
    expect(text(withTax)).toContain('CBS R$ 0,07');
    const simples = buildReceipt({ ...base, emitter: { ...base.emitter, crt: 1 } });
    expect(simples.ibsCbs).toBeNull();
    expect(text(simples)).not.toContain('IBS R$');
    // The manager's early start shows on paper what the note carried.
    const early = buildReceipt({ ...base, emitter: { ...base.emitter, crt: 1 }, taxReform: { earlyStart: true } });
    expect(early.ibsCbs).not.toBeNull();
  });

  it('the drawer opens on the first print of a cash sale only', () => {
    const cash = buildReceipt(scenario('contingency'));
    expect(cash.hasCash).toBe(true);
    expect(cash.kickDrawer).toBe(false);
    expect(withDrawerKick(cash, true).kickDrawer).toBe(true);
    expect(withDrawerKick(cash, false).kickDrawer).toBe(false);
    const card = buildReceipt(scenario('homologation'));
    expect(withDrawerKick(card, true).kickDrawer).toBe(false);
  });
});
