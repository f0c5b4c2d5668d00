// Every settings change carries the manager's PIN (the core checks it): ask for it, run the action,
// and report the outcome in a sentence.
import { useState } from 'react';
import type { PublicSettings } from '../../../shared/contract.ts';
import { ManagerPinDialog } from '../../components/ManagerPinDialog.tsx';
import { messageOf } from '../../pos.ts';
import { useSession } from '../../state/session.ts';

export interface ManagerAction {
  /** Ask for the PIN, then run `fn(pin)`; a PublicSettings result replaces the session's copy. */
  request(reason: string, fn: (pin: string) => Promise<PublicSettings | string>, okText: string): void;
  message: { tone: 'ok' | 'error'; text: string } | null;
  dialog: React.ReactNode;
}

export function useManagerAction(): ManagerAction {
  const [pending, setPending] = useState<{ reason: string; fn: (pin: string) => Promise<PublicSettings | string>; okText: string } | null>(null);
  const [message, setMessage] = useState<ManagerAction['message']>(null);
  const dialog = pending ? (
    <ManagerPinDialog
      reason={pending.reason}
      onClose={() => setPending(null)}
      onApproved={(pin) => {
        const p = pending;
        setPending(null);
        p.fn(pin).then(
          (result) => {
            if (typeof result === 'string') setMessage({ tone: 'ok', text: result });
            else {
              useSession.getState().setSettings(result);
              setMessage({ tone: 'ok', text: p.okText });
            }
          },
          (err: unknown) => setMessage({ tone: 'error', text: messageOf(err) }),
        );
      }}
    />
  ) : null;
  return {
    request(reason, fn, okText) {
      setMessage(null);
      setPending({ reason, fn, okText });
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
