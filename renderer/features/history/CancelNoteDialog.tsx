// Cancel an authorized note inside the 30-minute window: a justificativa of at least 15 characters
// (SEFAZ's rule) and, for a cashier, the manager's PIN. The countdown shows the time left.
import { useState } from 'react';
import type { EmissionView } from '../../../shared/emission.ts';
import { Countdown, useNow } from '../../components/Countdown.tsx';
import { ManagerActionDialog, usePinAction } from '../../components/ManagerActionDialog.tsx';
import { call, pos } from '../../pos.ts';

export interface CancelNoteDialogProps {
  saleId: number;
  deadline: number;
  onClose: () => void;
  onDone: (view: EmissionView) => void;
}

export function CancelNoteDialog({ saleId, deadline, onClose, onDone }: CancelNoteDialogProps) {
  const action = usePinAction();
  const { manager, pinOk, setError } = action;
  const [text, setText] = useState('');
  const now = useNow();
  const expired = deadline <= now;
  const length = text.trim().length;

  function submit() {
    if (expired) {
      setError('O prazo de 30 minutos passou: esta nota não pode mais ser cancelada pelo caixa. Fale com o contador.');
      return;
    }
    if (length < 15) {
      setError(`Escreva o motivo do cancelamento com pelo menos 15 letras (faltam ${15 - length}).`);
      return;
    }
    void action.run(async (auth) => onDone(await call(pos().sales.cancel({ saleId, justificativa: text.trim(), ...auth }))));
  }

  return (
    <ManagerActionDialog
      title="Cancelar nota (NFC-e)"
      testId="cancel-note-dialog"
      onClose={onClose}
      action={action}
      pinTestId="cancel-pin"
      errorTestId="cancel-error"
      confirmTestId="cancel-confirm"
      confirmLabel="Cancelar a nota"
      confirmClass="danger"
      confirmDisabled={expired}
      onConfirm={submit}
      enterConfirms
    >
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
            if (manager || pinOk) submit();
            else document.querySelector<HTMLInputElement>('[data-testid="cancel-pin"]')?.focus();
          }}
        />
      </label>
    </ManagerActionDialog>
  );
}
