// Item or sale discount, in R$ or %. Above the manager's limit a cashier needs the manager's PIN;
// the core checks the same limit again when the sale is finalized.
import { useState } from 'react';
import { formatBRL } from '../../../shared/money.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { useCart } from '../../state/cart.ts';
import { lineGross } from '../../../shared/cart.ts';
import { computeTotals, exceedsLimit, parseDiscount } from '../../state/cart-logic.ts';
import { isManager, useSession } from '../../state/session.ts';
import { useUi } from '../../state/ui.ts';

function formatBp(bp: number): string {
  return `${(bp / 100).toLocaleString('pt-BR', { maximumFractionDigits: 2 })}%`;
}

export function DiscountDialog({ scope }: { scope: 'item' | 'sale' }) {
  const lines = useCart((s) => s.lines);
  const saleDiscount = useCart((s) => s.saleDiscountCents);
  const limitBp = useSession((s) => s.settings?.discountLimitBp ?? 0);
  const manager = useSession(isManager);
  const lastActive = [...lines].reverse().find((l) => !l.cancelled);
  const [seqText, setSeqText] = useState(String(lastActive?.seq ?? ''));
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const close = () => useUi.getState().close();

  const line = scope === 'item' ? lines.find((l) => l.seq === Number(seqText) && !l.cancelled) : undefined;
  const totals = computeTotals(lines, 0, []);
  const base = scope === 'item' ? (line ? lineGross(line.qtyE4, line.unitPriceCents) : 0) : totals.grossCents - totals.itemDiscountCents;

  function apply(cents: number, pin: string | null) {
    const cart = useCart.getState();
    if (pin) cart.setManagerPin(pin);
    if (scope === 'item' && line) cart.setItemDiscount(line.seq, cents);
    else cart.setSaleDiscount(cents);
    const what = scope === 'item' && line ? `no item ${line.seq}` : 'na venda';
    useUi.getState().say({ tone: 'ok', text: cents > 0 ? `Desconto de ${formatBRL(cents)} ${what}.` : `Desconto ${what} removido.` });
    useUi.getState().close();
  }

  function confirm() {
    if (scope === 'item' && !line) {
      setError(`Não existe item ativo com o número ${seqText || '(vazio)'}. Digite o número da primeira coluna.`);
      return;
    }
    if (/^0+([.,]0*)?%?$/.test(value.trim())) {
      apply(0, null);
      return;
    }
    const parsed = parseDiscount(value, base);
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    // The limit applies to the whole sale's discount over its gross, as the core checks it.
    const others =
      lines.reduce((sum, l) => sum + (l.cancelled || (scope === 'item' && l.seq === line?.seq) ? 0 : l.discountCents), 0) +
      (scope === 'item' ? saleDiscount : 0);
    if (!manager && exceedsLimit(others + parsed.cents, totals.grossCents, limitBp)) {
      useUi.getState().open({
        kind: 'managerPin',
        reason: `Desconto de ${formatBRL(parsed.cents)} (${formatBp(parsed.bp)}) passa do limite do caixa (${formatBp(limitBp)}). O gerente precisa autorizar.`,
        onApproved: (pin) => apply(parsed.cents, pin),
      });
      return;
    }
    apply(parsed.cents, null);
  }

  const onEnter = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      confirm();
    }
  };

  return (
    <Dialog title={scope === 'item' ? 'Desconto no item' : 'Desconto na venda'} testId="discount-dialog" onClose={close}>
      {scope === 'item' ? (
        <label className="field">
          <span>Número do item</span>
          <input
            data-testid="discount-item-number"
            inputMode="numeric"
            value={seqText}
            onChange={(e) => setSeqText(e.target.value.replace(/\D/g, ''))}
            onKeyDown={onEnter}
          />
        </label>
      ) : null}
      <p className="dialog-text">
        {scope === 'item' ? (line ? `${line.description} — ${formatBRL(base)}` : ' ') : `Valor da venda: ${formatBRL(base)}`}
        {scope === 'sale' && saleDiscount > 0 ? ` (desconto atual ${formatBRL(saleDiscount)})` : ''}
      </p>
      <label className="field">
        <span>Desconto em R$ (ex.: 5,00) ou % (ex.: 10%)</span>
        <input
          data-testid="discount-input"
          data-autofocus
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
            setError(null);
          }}
          onKeyDown={onEnter}
        />
      </label>
      <p className="hint">Limite sem gerente: {formatBp(limitBp)}. Digite 0 para remover o desconto.</p>
      <ErrorLine text={error} />
      <div className="dialog-actions">
        <button type="button" onClick={close}>
          Voltar (Esc)
        </button>
        <button type="button" className="primary" onClick={confirm}>
          Aplicar (Enter)
        </button>
      </div>
    </Dialog>
  );
}
