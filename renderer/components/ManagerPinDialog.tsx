// Asks for a manager PIN and checks it with the core before handing it to the action that needs it.
import { useState } from 'react';
import { call, messageOf, pos } from '../pos.ts';
import { Dialog } from './Dialog.tsx';
import { ErrorLine } from './ErrorLine.tsx';

export interface ManagerPinDialogProps {
  reason: string;
  onApproved: (pin: string) => void;
  onClose: () => void;
}

export function ManagerPinDialog({ reason, onApproved, onClose }: ManagerPinDialogProps) {
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit() {
    if (busy) return;
    if (!/^\d{4,8}$/.test(pin)) {
      setError('O PIN do gerente tem de 4 a 8 números.');
      return;
    }
    setBusy(true);
    try {
      await call(pos().auth.verifyManager({ pin }));
      onApproved(pin);
    } catch (err) {
      setError(messageOf(err));
      setPin('');
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog title="Autorização do gerente" testId="manager-pin-dialog" onClose={onClose}>
      <p className="dialog-text">{reason}</p>
      <label className="field">
        <span>PIN do gerente</span>
        <input
          type="password"
          inputMode="numeric"
          autoComplete="off"
          data-testid="manager-pin-input"
          value={pin}
          maxLength={8}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void submit();
            }
          }}
        />
      </label>
      <ErrorLine text={error} />
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Voltar (Esc)
        </button>
        <button type="button" className="primary" disabled={busy} onClick={() => void submit()}>
          Autorizar (Enter)
        </button>
      </div>
    </Dialog>
  );
}
