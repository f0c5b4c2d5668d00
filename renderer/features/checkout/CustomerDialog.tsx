// "CPF na nota": the document is masked as it is typed and checked (check digits) before it counts.
import { useState } from 'react';
import { formatDocument, validateDocument } from '../../../shared/fiscal/cpf-cnpj.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { useCart } from '../../state/cart.ts';
import { useUi } from '../../state/ui.ts';

export function CustomerDialog() {
  const current = useCart((s) => s.customerDocument);
  const [text, setText] = useState(current ? formatDocument(current) : '');
  const [error, setError] = useState<string | null>(null);
  const close = () => useUi.getState().close();

  function confirm() {
    if (text.trim() === '') {
      useCart.getState().setCustomer(null);
      useUi.getState().say({ tone: 'info', text: 'Venda sem CPF/CNPJ na nota.' });
      close();
      return;
    }
    const v = validateDocument(text);
    if (!v.ok) {
      setError(`${v.message} Para seguir sem documento, apague o campo e pressione Enter.`);
      return;
    }
    useCart.getState().setCustomer(v.value);
    useUi.getState().say({ tone: 'ok', text: `${v.kind === 'cpf' ? 'CPF' : 'CNPJ'} ${formatDocument(v.value)} na nota.` });
    close();
  }

  return (
    <Dialog title="CPF ou CNPJ na nota" testId="customer-dialog" onClose={close}>
      <label className="field">
        <span>CPF (11 números) ou CNPJ (14 caracteres)</span>
        <input
          data-testid="customer-input"
          autoComplete="off"
          maxLength={18}
          value={text}
          onChange={(e) => {
            const raw = e.target.value.toUpperCase().replace(/[^0-9A-Z]/g, '');
            setText(raw.length === 11 || raw.length === 14 ? formatDocument(raw) : raw);
            setError(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              confirm();
            }
          }}
        />
      </label>
      <ErrorLine text={error} testId="customer-error" />
      <div className="dialog-actions">
        <button type="button" onClick={close}>
          Voltar (Esc)
        </button>
        <button type="button" className="primary" onClick={confirm}>
          Confirmar (Enter)
        </button>
      </div>
    </Dialog>
  );
}
