// The register's paper: the sangria voucher as text and as ESC/POS bytes (no drawer kick, a cut).
import { describe, expect, it } from 'vitest';
import { movementVoucher, reportVoucher, voucherText } from '../../../../main/register/voucher.ts';
import { encodeVoucher } from '../../../../main/printing/voucher.ts';
import type { RegisterReport } from '../../../../shared/register/report.ts';

const at = new Date(2026, 2, 2, 14, 30).getTime();

describe('register vouchers', () => {
  it('a sangria voucher says what, how much, why, who and who approved, within the paper width', () => {
    const lines = movementVoucher(
      {
        kind: 'sangria',
        amountCents: 20_000,
        reason: 'Depósito no cofre',
        operatorName: 'Caixa 1',
        managerName: 'Gerente',
        atMs: at,
        terminalId: 'PDV01',
        id: 7,
      },
      32,
    );
    const text = voucherText(lines, 32);
    expect(text).toContain('SANGRIA DE CAIXA');
    expect(text).toMatch(/Valor\s+R\$ 200,00/);
    expect(text).toContain('Motivo: Depósito no cofre');
    expect(text).toMatch(/Autorizado por\s+Gerente/);
    expect(text).toContain('02/03/2026 14:30');
    for (const l of text.split('\n')) expect(l.length).toBeLessThanOrEqual(32);
  });

  it('encodes to ESC/POS in the printer code page, with a cut and without opening the drawer', () => {
    const lines = movementVoucher(
      { kind: 'suprimento', amountCents: 5_000, reason: 'Troco', operatorName: 'Caixa 1', managerName: 'Gerente', atMs: at, terminalId: 'PDV01', id: 1 },
      48,
    );
    const bytes = encodeVoucher(lines, { width: 48, codePage: 'cp860' });
    const hex = Buffer.from(bytes).toString('hex');
    expect(hex.startsWith('1b40')).toBe(true); // ESC @
    expect(hex).not.toContain('1b70'); // ESC p: drawer pulse
    expect(hex).toMatch(/1d56/); // GS V: cut
    expect(Buffer.from(bytes).includes(Buffer.from('SUPRIMENTO DE CAIXA', 'latin1'))).toBe(true);
  });

  it('the Z lists methods, operators, cancellations, numbering and the closing differences', () => {
    const r: RegisterReport = {
      kind: 'Z',
      zNumber: 3,
      terminalId: 'PDV01',
      sessionId: 1,
      openedMs: at,
      openedBy: 'caixa-1',
      closedMs: at + 3_600_000,
      generatedMs: at + 3_600_000,
      openingCents: 10_000,
      suprimentos: { count: 1, cents: 5_000 },
      sangrias: { count: 1, cents: 2_000 },
      sales: { count: 2, cents: 3_000, grossCents: 3_100, changeCents: 0 },
      byMethod: [
        { method: '01', count: 1, amountCents: 1_000 },
        { method: '17', count: 1, amountCents: 2_000 },
      ],
      byOperator: [{ operatorId: 'caixa-1', name: 'Caixa 1', count: 2, totalCents: 3_000 }],
      discounts: { count: 1, cents: 100 },
      cancelledItems: { count: 1, cents: 500 },
      cancelledSales: { count: 0, cents: 0 },
      cancelledNotes: { count: 1, cents: 700 },
      contingencyPending: { count: 0, cents: 0 },
      notesInFlight: 0,
      numbering: [{ serie: '1', first: 10, last: 12, count: 3 }],
      expected: { cash: 14_000, card: 0, pix: 2_000, other: 0 },
      movements: [],
    };
    const text = voucherText(reportVoucher(r, 48, [{ group: 'cash', expectedCents: 14_000, declaredCents: 13_500, differenceCents: -500 }]), 48);
    expect(text).toContain('REDUÇÃO Z Nº 3');
    expect(text).toMatch(/PIX \(1\)\s+R\$ 20,00/);
    expect(text).toMatch(/Caixa 1 \(2\)\s+R\$ 30,00/);
    expect(text).toMatch(/Notas canceladas \(1\)\s+R\$ 7,00/);
    expect(text).toMatch(/Série 1\s+10 a 12 \(3\)/);
    expect(text).toMatch(/diferença\s+-R\$ 5,00/);
  });
});
