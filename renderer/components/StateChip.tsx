// The fiscal status of a sale as a coloured chip, the same words everywhere (history, result card).
import type { EmissionState } from '../../shared/emission.ts';
import { STATE_LABEL_PT } from '../../shared/emission.ts';

const TONE: Record<EmissionState, string> = {
  pending: 'warn',
  sending: 'info',
  authorized: 'ok',
  rejected: 'bad',
  denied: 'bad',
  unknown: 'warn',
  cancelled: 'muted',
  contingency: 'warn',
  contingency_focus: 'warn',
  blocked: 'bad',
  superseded: 'muted',
};

export function StateChip({ state, testId = 'state-chip' }: { state: EmissionState; testId?: string }) {
  return (
    <span className={`chip chip-${TONE[state]}`} data-testid={testId} data-state={state}>
      {STATE_LABEL_PT[state]}
    </span>
  );
}
