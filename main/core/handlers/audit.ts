import type { Services } from '../services.ts';

/** Writes to the profile's audit trail; a failure there (no profile yet) never undoes the action. */
export function auditSafe(
  s: Pick<Services, 'phase' | 'profile'>,
  actor: string,
  action: string,
  details: Record<string, unknown>,
  saleId: number | null = null,
): void {
  try {
    if (s.phase() !== 'ready') return;
    s.profile().sales.audit(actor, action, details, saleId);
  } catch {
    // The trail lives in the journal; the action already happened.
  }
}
