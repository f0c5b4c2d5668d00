// Manager actions: the core accepts the logged-in manager without a PIN for a short while after
// they typed it (the grace window), so a manager's action runs at once and the PIN dialog appears
// only when the core asks for it (or for a cashier). The outcome is reported in a sentence.
import { useState } from 'react';
import type { PublicSettings } from '../../../shared/contract.ts';
import { ManagerPinDialog } from '../../components/ManagerPinDialog.tsx';
import { messageOf, PosCallError } from '../../pos.ts';
import { isManager, useSession } from '../../state/session.ts';

type Result = PublicSettings | string | { ok: true } | object | null;

export interface ManagerAction {
  /** Run `fn` (with the PIN when one was asked); a PublicSettings result replaces the session's copy. */
  request(reason: string, fn: (pin: string | undefined) => Promise<Result>, okText: string | ((r: Result) => string)): void;
  message: { tone: 'ok' | 'error'; text: string } | null;
  dialog: React.ReactNode;
}

function isSettings(r: Result): r is PublicSettings {
  return typeof r === 'object' && r !== null && 'hasToken' in r && 'printer' in r;
}

export function useManagerAction(): ManagerAction {
  const [pending, setPending] = useState<{ reason: string; fn: (pin: string | undefined) => Promise<Result>; okText: string | ((r: Result) => string) } | null>(
    null,
  );
  const [message, setMessage] = useState<ManagerAction['message']>(null);
  const run = (p: NonNullable<typeof pending>, pin: string | undefined) =>
    p.fn(pin).then(
      (result) => {
        if (isSettings(result)) useSession.getState().setSettings(result);
        const text = typeof p.okText === 'function' ? p.okText(result) : typeof result === 'string' ? result : p.okText;
        setMessage({ tone: 'ok', text });
      },
      (err: unknown) => {
        if (pin === undefined && err instanceof PosCallError && err.code === 'manager_required') {
          setPending(p);
          return;
        }
        setMessage({ tone: 'error', text: messageOf(err) });
      },
    );
  const dialog = pending ? (
    <ManagerPinDialog
      reason={pending.reason}
      onClose={() => setPending(null)}
      onApproved={(pin) => {
        const p = pending;
        setPending(null);
        void run(p, pin);
      }}
    />
  ) : null;
  return {
    request(reason, fn, okText) {
      setMessage(null);
      const p = { reason, fn, okText };
      if (isManager(useSession.getState())) void run(p, undefined);
      else setPending(p);
    },
    message,
    dialog,
  };
}

export function SectionMessage({ message, testId }: { message: ManagerAction['message']; testId: string }) {
  if (!message) return null;
  return (
    <p className={message.tone === 'ok' ? 'ok-line' : 'error-line'} role={message.tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {message.text}
    </p>
  );
}
