// A dialog that performs one action on a note and, for a cashier, needs the manager's PIN typed in
// it (cancel a note, ECONF): the PIN field, the busy guard, the error sentence and the buttons.
import { useState, type ReactNode } from 'react';
import { messageOf } from '../pos.ts';
import { isManager, useSession } from '../state/session.ts';
import { Dialog } from './Dialog.tsx';
import { ErrorLine } from './ErrorLine.tsx';

export const PIN_NEEDED = 'Peça ao gerente para digitar o PIN dele (4 a 8 números).';

/** The action's state: who is logged in, the typed PIN, busy, the error; `run` adds the PIN and reports failures. */
export function usePinAction() {
  const manager = useSession(isManager);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pinOk = manager || /^\d{4,8}$/.test(pin);

  async function run(fn: (auth: { managerPin?: string }) => Promise<void>): Promise<void> {
    if (busy) return;
    if (!pinOk) {
      setError(PIN_NEEDED);
      return;
    }
    setBusy(true);
    try {
      await fn(manager ? {} : { managerPin: pin });
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }
  return { manager, pin, setPin, pinOk, error, setError, busy, run };
}

export interface ManagerActionDialogProps {
  title: string;
  testId: string;
  onClose: () => void;
  action: ReturnType<typeof usePinAction>;
  /** Test ids of the PIN field, the error line and the confirm button. */
  pinTestId: string;
  errorTestId: string;
  confirmTestId: string;
  confirmLabel: string;
  confirmClass: 'primary' | 'danger';
  confirmDisabled?: boolean;
  onConfirm: () => void;
  /** Enter in the PIN field confirms. */
  enterConfirms?: boolean;
  children: ReactNode;
}

export function ManagerActionDialog(p: ManagerActionDialogProps) {
  const a = p.action;
  return (
    <Dialog title={p.title} testId={p.testId} onClose={p.onClose}>
      {p.children}
      {!a.manager ? (
        <label className="field">
          <span>PIN do gerente</span>
          <input
            type="password"
            inputMode="numeric"
            data-testid={p.pinTestId}
            maxLength={8}
            value={a.pin}
            onChange={(e) => a.setPin(e.target.value.replace(/\D/g, ''))}
            onKeyDown={(e) => {
              if (p.enterConfirms && e.key === 'Enter') {
                e.preventDefault();
                p.onConfirm();
              }
            }}
          />
        </label>
      ) : null}
      <ErrorLine text={a.error} testId={p.errorTestId} />
      <div className="dialog-actions">
        <button type="button" onClick={p.onClose}>
          Voltar (Esc)
        </button>
        <button type="button" className={p.confirmClass} data-testid={p.confirmTestId} disabled={a.busy || p.confirmDisabled === true} onClick={p.onConfirm}>
          {p.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
