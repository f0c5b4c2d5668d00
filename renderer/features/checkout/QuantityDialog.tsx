// Change the quantity of a line (the last one by default): the customer took three, not one.
// Enter moves from the item number to the quantity, and confirms there.
import { useRef, useState } from 'react';
import { formatBRL, formatQty } from '../../../shared/money.ts';
import { QuantityEntryDialog } from '../../components/QuantityEntryDialog.tsx';
import { useCart } from '../../state/cart.ts';
import { lineGross } from '../../../shared/cart.ts';
import { parseQtyE4 } from '../../../shared/qty-code.ts';
import { useUi } from '../../state/ui.ts';

export function QuantityDialog({ seq }: { seq?: number }) {
  const lines = useCart((s) => s.lines);
  const lastActive = [...lines].reverse().find((l) => !l.cancelled);
  const [item, setItem] = useState(String(seq ?? lastActive?.seq ?? ''));
  const [qty, setQty] = useState('');
  const [error, setError] = useState<string | null>(null);
  const qtyRef = useRef<HTMLInputElement>(null);
  const close = () => useUi.getState().close();
  const line = /^\d+$/.test(item) ? lines.find((l) => l.seq === Number(item)) : undefined;
  const qtyE4 = parseQtyE4(qty);

  function confirm() {
    if (!line) {
      setError(`Não existe o item ${item || '(vazio)'}. Digite o número que aparece na primeira coluna.`);
      return;
    }
    if (line.cancelled) {
      setError(`O item ${line.seq} está cancelado. Passe o produto de novo.`);
      return;
    }
    if (qtyE4 === null) {
      setError(`Quantidade "${qty || '(vazia)'}" inválida. Digite, por exemplo, 3 ou 0,5.`);
      qtyRef.current?.focus();
      return;
    }
    if (!line.weighed && qtyE4 % 10_000 !== 0) {
      setError(`${line.description} é vendido por unidade: digite um número inteiro.`);
      return;
    }
    useCart.getState().setQuantity(line.seq, qtyE4);
    useUi.getState().say({ tone: 'info', text: `Item ${line.seq}: quantidade ${formatQty(qtyE4, line.unit)} ${line.unit}.` });
    close();
  }

  return (
    <QuantityEntryDialog
      title="Alterar quantidade"
      testId="quantity-dialog"
      fieldTestId="quantity-value"
      errorTestId="quantity-error"
      label="Nova quantidade"
      value={qty}
      onChange={(v) => {
        setQty(v);
        setError(null);
      }}
      onConfirm={confirm}
      onClose={close}
      confirmLabel="Alterar (Enter)"
      error={error}
      inputRef={qtyRef}
      autoFocus
      preview={line && qtyE4 !== null ? <p className="dialog-text">Novo total do item: {formatBRL(lineGross(qtyE4, line.unitPriceCents))}</p> : null}
    >
      <label className="field">
        <span>Número do item</span>
        <input
          data-testid="quantity-item"
          inputMode="numeric"
          value={item}
          onChange={(e) => {
            setItem(e.target.value.replace(/\D/g, ''));
            setError(null);
          }}
          onFocus={(e) => e.target.select()}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              qtyRef.current?.focus();
            }
          }}
        />
      </label>
      <p className="dialog-text" data-testid="quantity-preview">
        {line ? `${line.description} — agora ${formatQty(line.qtyE4, line.unit)} ${line.unit} × ${formatBRL(line.unitPriceCents)}` : ' '}
      </p>
    </QuantityEntryDialog>
  );
}
