import { describe, expect, it } from 'vitest';
import { PIX_STATE_LABELS, type PixChargeState, type PixChargeView } from '../../../../../shared/pix/charge.ts';
import { cancellable, pixCountdown, pixPhase, reusableCharge } from '../../../../../renderer/features/pix/pix-logic.ts';
import { formatDatePtBr, formatDateTimePtBr } from '../../../../../renderer/features/pix/pix-format.ts';
import { inTimeZone } from '../../../../fixtures/time-zone.ts';

const T0 = Date.parse('2026-11-30T14:00:00Z');

function charge(state: PixChargeState, over: Partial<PixChargeView> = {}): PixChargeView {
  return {
    txid: `BLC${state.padEnd(32, '0')}`.slice(0, 35),
    clientId: 'draft_0001',
    kind: 'dynamic',
    amountCents: 1990,
    state,
    label: PIX_STATE_LABELS[state],
    brCode: '000201…6304ABCD',
    expiresAt: new Date(T0 + 300_000).toISOString(),
    endToEndId: null,
    paidCents: null,
    saleId: null,
    createdAt: new Date(T0).toISOString(),
    unconfirmed: false,
    problem: null,
    ...over,
  };
}

describe('pixPhase', () => {
  it('waits while the charge is active and before its expiry, expired from the expiry instant on', () => {
    expect(pixPhase(charge('active'), T0)).toBe('waiting');
    expect(pixPhase(charge('active'), T0 + 299_999)).toBe('waiting');
    expect(pixPhase(charge('active'), T0 + 300_000)).toBe('expired');
  });
  it('a charge removed because it expired offers a new one; one the cashier removed is cancelled', () => {
    expect(pixPhase(charge('removed', { problem: { code: 'pix_expired', message: 'x' } }), T0)).toBe('expired');
    expect(pixPhase(charge('removing', { problem: { code: 'pix_expired', message: 'x' } }), T0)).toBe('expired');
    expect(pixPhase(charge('removed'), T0)).toBe('cancelled');
  });
  it('decides on the state, never on the label', () => {
    expect(pixPhase(charge('paid', { label: 'Aguardando pagamento' }), T0)).toBe('paid');
    expect(pixPhase(charge('active', { label: 'Pago' }), T0)).toBe('waiting');
  });
  it('maps every other state', () => {
    expect(pixPhase(null, T0)).toBe('creating');
    expect(pixPhase(charge('creating'), T0)).toBe('creating');
    expect(pixPhase(charge('used'), T0)).toBe('paid');
    expect(pixPhase(charge('failed'), T0)).toBe('failed');
    expect(pixPhase(charge('orphan'), T0)).toBe('cancelled');
    expect(pixPhase(charge('refunded'), T0)).toBe('cancelled');
    expect(pixPhase(charge('active', { kind: 'static', expiresAt: null }), T0 + 10 * 3_600_000)).toBe('static');
  });
});

describe('pixCountdown', () => {
  it('counts mm:ss down to 00:00 and never below', () => {
    expect(pixCountdown(charge('active'), T0)).toBe('05:00');
    expect(pixCountdown(charge('active'), T0 + 1)).toBe('04:59');
    expect(pixCountdown(charge('active'), T0 + 241_000)).toBe('00:59');
    expect(pixCountdown(charge('active'), T0 + 400_000)).toBe('00:00');
  });
  it('shows nothing for a static code or before the PSP said when', () => {
    expect(pixCountdown(charge('active', { kind: 'static' }), T0)).toBeNull();
    expect(pixCountdown(charge('creating', { expiresAt: null }), T0)).toBeNull();
    expect(pixCountdown(null, T0)).toBeNull();
  });
});

describe('reusableCharge', () => {
  it('re-opening the screen keeps the live charge of the same amount', () => {
    const live = charge('active');
    expect(reusableCharge([charge('removed'), live], 1990, new Set(), T0)?.txid).toBe(live.txid);
    expect(reusableCharge([live], 2000, new Set(), T0)).toBeNull();
  });
  it('a payment confirmed while the screen was closed is taken before anything else, once', () => {
    const paid = charge('paid', { txid: 'BLCpaid000000000000000000000000000' });
    expect(reusableCharge([charge('active'), paid], 1990, new Set(), T0)?.txid).toBe(paid.txid);
    expect(reusableCharge([paid], 1990, new Set([paid.txid]), T0)).toBeNull();
  });
  it('never reuses an expired, static or given-up charge', () => {
    expect(reusableCharge([charge('active')], 1990, new Set(), T0 + 300_000)).toBeNull();
    expect(reusableCharge([charge('active', { kind: 'static' })], 1990, new Set(), T0)).toBeNull();
    expect(reusableCharge([charge('orphan'), charge('failed'), charge('used')], 1990, new Set(), T0)).toBeNull();
  });
});

describe('cancellable', () => {
  it('only a charge that can still be removed, or money that must go to the manager', () => {
    expect(cancellable(charge('creating'))).toBe(true);
    expect(cancellable(charge('active'))).toBe(true);
    expect(cancellable(charge('paid'))).toBe(true);
    expect(cancellable(charge('removed'))).toBe(false);
    expect(cancellable(charge('used'))).toBe(false);
    expect(cancellable(null)).toBe(false);
  });
});

describe('dates in the till time zone', () => {
  it('dd/mm/aaaa and dd/mm/aaaa hh:mm in America/Sao_Paulo', () => {
    inTimeZone('America/Sao_Paulo', () => {
      expect(formatDatePtBr('2026-12-01T02:30:00Z')).toBe('30/11/2026');
      expect(formatDateTimePtBr('2026-12-01T02:30:00Z')).toBe('30/11/2026 23:30');
      expect(formatDatePtBr('not a date')).toBe('—');
    });
  });
});
