// "Outros" (tPag 99): the note must say what the method was (xPag, 2 to 60 characters).
import { useState } from 'react';
import { formatBRL } from '../../../shared/money.ts';
import type { Payment } from '../../../shared/sale.ts';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { formKeys } from '../../components/form-keys.ts';
import { focusOnMount } from '../../components/focus-on-mount.ts';

export function OtherForm({ amountCents, onDone, onCancel }: { amountCents: number; onDone: (p: Payment) => void; onCancel: () => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  function confirm() {
    const d = text.trim();
    if (d.length < 2 || d.length > 60) {
      setError('Descreva a forma de pagamento (de 2 a 60 letras), por exemplo "Crediário da loja".');
      return;
    }
    onDone({ method: '99', amountCents, description: d });
  }
  return (
    <div className="subform" data-testid="other-form" onKeyDown={formKeys(confirm, onCancel)}>
      <h3>Outros: {formatBRL(amountCents)}</h3>
      <label className="field">
        <span>Qual forma de pagamento?</span>
        <input
          data-testid="other-description"
          ref={focusOnMount}
          maxLength={60}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setError(null);
          }}
        />
      </label>
      <ErrorLine text={error} testId="other-error" />
      <div className="dialog-actions">
        <button type="button" onClick={onCancel}>
          Voltar (Esc)
        </button>
        <button type="button" className="primary" onClick={confirm}>
          Confirmar (Enter)
        </button>
      </div>
    </div>
  );
}
