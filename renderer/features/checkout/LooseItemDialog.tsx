// Item avulso: something the shop sells that is not in the catalog, typed at the till (description,
// price, quantity). The manager enabled it and chose its fiscal data; the core applies them and
// checks the price ceiling again. Enter moves field to field and adds the line on the last one.
import { useRef, useState } from 'react';
import { formatBRL, parseMoneyInput } from '../../../shared/money.ts';
import { LOOSE_PRODUCT_CODE, LOOSE_PRODUCT_ID } from '../../../shared/catalog/loose-ids.ts';
import { parseQtyE4 } from '../../../shared/qty-code.ts';
import { lineGross } from '../../../shared/cart.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { useCart } from '../../state/cart.ts';
import { useSession } from '../../state/session.ts';
import { useUi } from '../../state/ui.ts';

export function LooseItemDialog() {
  const maxCents = useSession((s) => s.settings?.looseItem.maxPriceCents ?? 0);
  const [description, setDescription] = useState('');
  const [price, setPrice] = useState('');
  const [qty, setQty] = useState('1');
  const [error, setError] = useState<string | null>(null);
  const priceRef = useRef<HTMLInputElement>(null);
  const qtyRef = useRef<HTMLInputElement>(null);
  const close = () => useUi.getState().close();
  const cents = parseMoneyInput(price);
  const qtyE4 = parseQtyE4(qty);

  function confirm() {
    const text = description.trim().replace(/\s+/g, ' ');
    if (text.length < 2 || text.length > 120) {
      setError('Descreva o item com 2 a 120 letras, como vai sair no cupom.');
      return;
    }
    if (cents === null || cents <= 0 || cents > maxCents) {
      setError(`Preço "${price || '(vazio)'}" inválido: digite de R$ 0,01 a ${formatBRL(maxCents)}, por exemplo 12,50.`);
      priceRef.current?.focus();
      return;
    }
    if (qtyE4 === null || qtyE4 % 10_000 !== 0) {
      setError(`Quantidade "${qty || '(vazia)'}" inválida: item avulso é vendido por unidade, digite um número inteiro.`);
      qtyRef.current?.focus();
      return;
    }
    useCart.getState().addLine({
      productId: LOOSE_PRODUCT_ID,
      code: LOOSE_PRODUCT_CODE,
      description: text,
      unit: 'UN',
      weighed: false,
      qtyE4,
      unitPriceCents: cents,
      discountCents: 0,
      cancelled: false,
      loose: true,
    });
    useUi.getState().say({ tone: 'info', text: `Item avulso lançado: ${text}, ${formatBRL(lineGross(qtyE4, cents))}.` });
    close();
  }

  const next = (to: React.RefObject<HTMLInputElement | null> | null) => (e: React.KeyboardEvent) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    if (to) to.current?.focus();
    else confirm();
  };
  const edit = (set: (v: string) => void) => (e: React.ChangeEvent<HTMLInputElement>) => {
    set(e.target.value);
    setError(null);
  };

  return (
    <Dialog title="Item avulso" testId="loose-dialog" onClose={close}>
      <p className="dialog-text">Produto fora do cadastro. Os dados fiscais são os que o gerente escolheu para o item avulso.</p>
      <label className="field">
        <span>Descrição</span>
        <input data-autofocus data-testid="loose-description" maxLength={120} value={description} onChange={edit(setDescription)} onKeyDown={next(priceRef)} />
      </label>
      <label className="field">
        <span>Preço unitário (R$)</span>
        <input ref={priceRef} data-testid="loose-price" inputMode="decimal" value={price} onChange={edit(setPrice)} onKeyDown={next(qtyRef)} />
      </label>
      <label className="field">
        <span>Quantidade</span>
        <input
          ref={qtyRef}
          data-testid="loose-qty"
          inputMode="numeric"
          value={qty}
          onFocus={(e) => e.target.select()}
          onChange={edit(setQty)}
          onKeyDown={next(null)}
        />
      </label>
      {cents !== null && cents > 0 && qtyE4 !== null ? <p className="dialog-text">Total do item: {formatBRL(lineGross(qtyE4, cents))}</p> : null}
      <ErrorLine text={error} testId="loose-error" />
      <div className="dialog-actions">
        <button type="button" onClick={close}>
          Voltar (Esc)
        </button>
        <button type="button" className="primary" onClick={confirm}>
          Lançar (Enter)
        </button>
      </div>
    </Dialog>
  );
}
