// Cancel an authorized note inside the 30-minute window: a justificativa of at least 15 characters
// (SEFAZ's rule) and, for a cashier, the manager's PIN. The countdown shows the time left.
import { useState } from 'react';
import type { EmissionView } from '../../../shared/emission.ts';
import { Countdown, useNow } from '../../components/Countdown.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { call, messageOf, pos } from '../../pos.ts';
import { isManager, useSession } from '../../state/session.ts';

export interface CancelNoteDialogProps {
  saleId: number;
  deadline: number;
  onClose: () => void;
  onDone: (view: EmissionView) => void;
}

export function CancelNoteDialog({ saleId, deadline, onClose, onDone }: CancelNoteDialogProps) {
  const manager = useSession(isManager);
  const [text, setText] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const now = useNow();
  const expired = deadline <= now;
  const length = text.trim().length;

  async function submit() {
    if (busy) return;
    if (expired) {
      setError('O prazo de 30 minutos passou: esta nota não pode mais ser cancelada pelo caixa. Fale com o contador.');
      return;
    }
    if (length < 15) {
      setError(`Escreva o motivo do cancelamento com pelo menos 15 letras (faltam ${15 - length}).`);
      return;
    }
    if (!manager && !/^\d{4,8}$/.test(pin)) {
      setError('Peça ao gerente para digitar o PIN dele (4 a 8 números).');
      return;
    }
    setBusy(true);
    try {
      const view = await call(pos().sales.cancel({ saleId, justificativa: text.trim(), ...(manager ? {} : { managerPin: pin }) }));
      onDone(view);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title="Cancelar nota (NFC-e)" testId="cancel-note-dialog" onClose={onClose}>
      <p className="dialog-text">
        Tempo restante para cancelar: <Countdown deadline={deadline} testId="cancel-dialog-countdown" />
      </p>
      <label className="field">
        <span>Justificativa ({length}/15 letras no mínimo)</span>
        <textarea
          data-testid="cancel-justificativa"
          rows={3}
          maxLength={255}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setError(null);
          }}
          onKeyDown={(e) => {
            // Enter submits like every dialog (the reason is one sentence); a newline is never wanted.
            if (e.key !== 'Enter') return;
            e.preventDefault();
            if (manager || /^\d{4,8}$/.test(pin)) void submit();
            else document.querySelector<HTMLInputElement>('[data-testid="cancel-pin"]')?.focus();
          }}
        />
      </label>
      {!manager ? (
        <label className="field">
          <span>PIN do gerente</span>
          <input
            type="password"
            inputMode="numeric"
            data-testid="cancel-pin"
            maxLength={8}
            value={pin}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void submit();
              }
            }}
          />
        </label>
      ) : null}
      <ErrorLine text={error} testId="cancel-error" />
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Voltar (Esc)
        </button>
        <button type="button" className="danger" data-testid="cancel-confirm" disabled={busy || expired} onClick={() => void submit()}>
          Cancelar a nota
        </button>
      </div>
    </Dialog>
  );
}
