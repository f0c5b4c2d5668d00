// What the PIX panel shows and does, decided from the charge's state and codes (never its label):
// pure, so the rules are tested without a browser.
import type { PixChargeView } from '../../../shared/pix/charge.ts';
import { formatRemaining } from '../../components/Countdown.tsx';

export type PixPhase =
  /** Asking the PSP for the charge (or it is being checked after a lost answer). */
  | 'creating'
  /** The QR is up and the PSP has not seen a payment yet. */
  | 'waiting'
  /** A static code (tPag 20): the cashier confirms by hand, marked "não confirmado". */
  | 'static'
  /** The PSP confirmed the payment: the panel hands it to the sale. */
  | 'paid'
  /** The charge can no longer be paid: offer a new one. */
  | 'expired'
  /** The PSP refused it or could not be reached: take another method. */
  | 'failed'
  /** Given up (removed at the PSP), or paid after that: the manager's list has it. */
  | 'cancelled';

export function pixPhase(view: PixChargeView | null, now: number): PixPhase {
  if (!view) return 'creating';
  switch (view.state) {
    case 'creating':
      return 'creating';
    case 'active':
      if (view.kind === 'static') return 'static';
      return expiresAtMs(view) !== null && now >= expiresAtMs(view)! ? 'expired' : 'waiting';
    case 'paid':
    case 'used':
      return 'paid';
    case 'removing':
    case 'removed':
      return view.problem?.code === 'pix_expired' ? 'expired' : 'cancelled';
    case 'failed':
      return 'failed';
    default:
      return 'cancelled';
  }
}

function expiresAtMs(view: PixChargeView): number | null {
  if (!view.expiresAt) return null;
  const t = Date.parse(view.expiresAt);
  return Number.isFinite(t) ? t : null;
}

/** "04:59" until the charge expires; null while the PSP has not said when. */
export function pixCountdown(view: PixChargeView | null, now: number): string | null {
  if (!view || view.kind === 'static') return null;
  const at = expiresAtMs(view);
  return at === null ? null : formatRemaining(at - now);
}

/**
 * On (re)opening the PIX panel for a draft: the charge to keep showing instead of creating a new
 * one — a confirmed payment of this amount not yet in the cart, or a live charge of this amount.
 */
export function reusableCharge(views: readonly PixChargeView[], amountCents: number, inCart: ReadonlySet<string>, now: number): PixChargeView | null {
  const candidates = views.filter((v) => v.kind === 'dynamic' && v.amountCents === amountCents && !inCart.has(v.txid));
  const paid = candidates.find((v) => v.state === 'paid');
  if (paid) return paid;
  return candidates.find((v) => v.state === 'creating' || (v.state === 'active' && pixPhase(v, now) === 'waiting')) ?? null;
}

/** A charge the cashier may still cancel at the PSP (nothing to do for one already given up or used). */
export function cancellable(view: PixChargeView | null): boolean {
  return view !== null && (view.state === 'creating' || view.state === 'active' || view.state === 'paid');
}
