// A weighed product chosen by name or typed code without a weight: ask for the weight instead of
// adding 1 kg. Enter adds the line; Esc drops it.
import { useState } from 'react';
import type { TillProduct } from '../../../shared/contract.ts';
import { MAX_QTY_E4 } from '../../../shared/limits.ts';
import { formatBRL, lineTotalCents } from '../../../shared/money.ts';
import { QuantityEntryDialog } from '../../components/QuantityEntryDialog.tsx';
import { parseQtyE4 } from '../../../shared/qty-code.ts';
import { useUi } from '../../state/ui.ts';

export function WeightDialog({ product, onWeight }: { product: TillProduct; onWeight: (qtyE4: number) => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const qty = parseQtyE4(text.trim());
  const close = () => useUi.getState().close();

  function confirm() {
    if (qty === null || qty <= 0 || qty > MAX_QTY_E4) {
      setError(`Digite o peso em ${product.unit === 'KG' ? 'quilos' : product.unit}, por exemplo 0,512.`);
      return;
    }
    close();
    onWeight(qty);
  }

  return (
    <QuantityEntryDialog
      title={`Peso de ${product.description}`}
      testId="weight-dialog"
      fieldTestId="weight-input"
      errorTestId="weight-error"
      label={`Peso (${product.unit})`}
      value={text}
      onChange={(v) => {
        setText(v);
        setError(null);
      }}
      onConfirm={confirm}
      onClose={close}
      confirmLabel="Adicionar (Enter)"
      error={error}
      preview={
        qty !== null && qty > 0 ? (
          <p className="hint" data-testid="weight-total">
            Total: {formatBRL(lineTotalCents(qty, product.priceCents))}
          </p>
        ) : null
      }
    >
      <p className="dialog-text">
        {formatBRL(product.priceCents)} por {product.unit}. Pese o produto e digite o peso.
      </p>
    </QuantityEntryDialog>
  );
}
