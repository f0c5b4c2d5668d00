// Cancelling a cart line or the sale in progress above the shop's threshold needs a manager
// (settings: -1 never, 0 always, else above that many cents). A manager at the till approves their own.
export function needsManagerApproval(valueCents: number, thresholdCents: number, role: 'cashier' | 'manager' | undefined): boolean {
  if (role === 'manager' || thresholdCents < 0) return false;
  return thresholdCents === 0 ? true : valueCents > thresholdCents;
}
