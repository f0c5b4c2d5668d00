// Each operator changes their own PIN: the current one (same lockout as a login), then the new one twice.
import { useState } from 'react';
import { pinProblem, pinProblemMessage } from '../../../shared/pin.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorLine } from '../../components/ErrorLine.tsx';
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
  const pinInput = (id: string, label: string, value: string, set: (v: string) => void) => (
    <label className="field">
      <span>{label}</span>
      <input
        type="password"
        inputMode="numeric"
        maxLength={8}
        autoComplete="off"
        data-testid={id}
        value={value}
        onChange={(e) => set(e.target.value.replace(/\D/g, ''))}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            submit();
          }
        }}
      />
    </label>
  );
  return (
    <Dialog title="Trocar meu PIN" testId="change-pin-dialog" onClose={close}>
      {pinInput('change-pin-current', 'PIN atual', current, setCurrent)}
      {pinInput('change-pin-new', 'PIN novo (4 a 8 números)', next, setNext)}
      {pinInput('change-pin-again', 'Repita o PIN novo', again, setAgain)}
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
