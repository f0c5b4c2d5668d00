// After the manager corrects the token, the sales Focus refused for it are sent again at once,
// oldest first, within the rate budget (leaving room for the checkout), and the manager is told how
// many went and how they ended.
import type { ResendSummary } from '../../../shared/contract.ts';
import type { Services } from '../services.ts';

/** Credits kept for live sales while the backlog goes. */
const RESERVE = 20;

export async function resendBlockedByToken(s: Pick<Services, 'profile'>, actorId: string): Promise<ResendSummary | null> {
  const p = s.profile();
  const ids = p.sales.blockedByToken();
  if (ids.length === 0) return null;
  const summary: ResendSummary = { total: ids.length, authorized: 0, failed: 0, pending: 0 };
  for (const id of ids) {
    if (p.focus.rateLimit().remaining <= RESERVE) {
      summary.pending++;
      continue;
    }
    try {
      const view = await p.sales.resend(id, actorId);
      if (view.state === 'authorized' || view.state === 'contingency_focus') summary.authorized++;
      else if (view.state === 'rejected' || view.state === 'blocked' || view.state === 'denied') summary.failed++;
      else summary.pending++;
    } catch {
      summary.failed++;
    }
  }
  p.sales.audit(actorId, 'blocked_resent', { ...summary });
  return summary;
}
