// Each operator changes their own PIN: the current one (same lockout as a login), then the new one twice.
import { useState } from 'react';
import { pinProblem, pinProblemMessage } from '../../../shared/pin.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { PinField } from '../../components/PinField.tsx';
import { call, messageOf, pos } from '../../pos.ts';
import { useUi } from '../../state/ui.ts';

export function ChangePinDialog() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const close = () => useUi.getState().close();
  function submit() {
    const problem = pinProblem(next);
    if (problem) return setError(pinProblemMessage(problem));
    if (next !== again) return setError('Os dois PINs novos não são iguais.');
    call(pos().auth.changePin({ currentPin: current, newPin: next })).then(
      () => {
        useUi.getState().say({ tone: 'ok', text: 'PIN alterado.' });
        close();
      },
      (e: unknown) => setError(messageOf(e)),
    );
  }
  return (
    <Dialog title="Trocar meu PIN" testId="change-pin-dialog" onClose={close}>
      <PinField label="PIN atual" testId="change-pin-current" value={current} onChange={setCurrent} onEnter={submit} />
      <PinField label="PIN novo (4 a 8 números)" testId="change-pin-new" value={next} onChange={setNext} onEnter={submit} />
      <PinField label="Repita o PIN novo" testId="change-pin-again" value={again} onChange={setAgain} onEnter={submit} />
      <ErrorLine text={error} testId="change-pin-error" />
      <div className="dialog-actions">
        <button type="button" onClick={close}>
          Voltar (Esc)
        </button>
        <button type="button" className="primary" data-testid="change-pin-save" onClick={submit}>
          Trocar PIN
        </button>
      </div>
    </Dialog>
  );
}
