// Card paid on a stand-alone machine (not integrated: tpIntegra 2): bandeira, credenciadora and
// the authorization code from the slip. All optional for tpIntegra 2, but checked when typed.
import { useState } from 'react';
import { formatBRL } from '../../../shared/money.ts';
import { brandUsage, countBrandUse, orderBrands } from './brands.ts';
import { formatDocument, validateDocument } from '../../../shared/fiscal/cpf-cnpj.ts';
import type { Payment } from '../../../shared/sale.ts';
import type { PaymentMethodKey } from '../../app/keymap.ts';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { formKeys } from '../../components/form-keys.ts';
import { focusOnMount } from '../../components/focus-on-mount.ts';

export interface CardFormProps {
  method: PaymentMethodKey;
  amountCents: number;
  onDone: (p: Payment) => void;
  onCancel: () => void;
}

export function CardForm({ method, amountCents, onDone, onCancel }: CardFormProps) {
  const [brand, setBrand] = useState('');
  const [cnpj, setCnpj] = useState('');
  const [auth, setAuth] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [brands] = useState(() => orderBrands(brandUsage()));

  function confirm() {
    const card: NonNullable<Payment['card']> = { integration: '2' };
    if (brand) card.brand = brand;
    if (cnpj.trim()) {
      const v = validateDocument(cnpj);
      if (!v.ok || v.kind !== 'cnpj') {
        setError('CNPJ da credenciadora inválido. Confira no comprovante da maquininha ou deixe em branco.');
        return;
      }
      card.acquirerCnpj = v.value;
    }
    const a = auth.trim();
    if (a) {
      if (a.length > 128 || /[\u0000-\u001f]/.test(a)) {
        setError('Código de autorização inválido: use o código impresso no comprovante (até 128 caracteres).');
        return;
      }
      card.authorization = a;
    }
    if (brand) countBrandUse(brand);
    onDone({ method: method.method, amountCents, card });
  }

  const keys = formKeys(confirm, onCancel);

  return (
    <div className="subform" data-testid="card-form" onKeyDown={keys}>
      <h3>
        {method.label}: {formatBRL(amountCents)}
      </h3>
      <label className="field">
        <span>Bandeira (digite o nome para achar)</span>
        <select data-testid="card-brand" ref={focusOnMount} value={brand} onChange={(e) => setBrand(e.target.value)}>
          <option value="">— não informar —</option>
          {brands.map(({ code, name }) => (
            <option key={code} value={code}>
              {name} ({code})
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>CNPJ da credenciadora (opcional)</span>
        <input
          data-testid="card-acquirer"
          value={cnpj}
          maxLength={18}
          onChange={(e) => {
            setCnpj(e.target.value);
            setError(null);
          }}
          onBlur={() => cnpj && setCnpj(formatDocument(cnpj))}
        />
      </label>
      <label className="field">
        <span>Autorização (código no comprovante, opcional)</span>
        <input
          data-testid="card-auth"
          value={auth}
          maxLength={128}
          onChange={(e) => {
            setAuth(e.target.value);
            setError(null);
          }}
        />
      </label>
      <ErrorLine text={error} testId="card-error" />
      <div className="dialog-actions">
        <button type="button" onClick={onCancel}>
          Voltar (Esc)
        </button>
        <button type="button" className="primary" data-testid="card-confirm" onClick={confirm}>
          Confirmar (Enter)
        </button>
      </div>
    </div>
  );
}
