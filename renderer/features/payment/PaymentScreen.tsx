// Payment: F-keys per method, split payments, what is still due always in view, troco for cash.
// Enter adds cash (the common case) while something is due, and finalizes once it is covered.
import { useLayoutEffect, useRef, useState } from 'react';
import { formatBRL, parseMoneyInput } from '../../../shared/money.ts';
import type { Payment } from '../../../shared/sale.ts';
import { useKeys } from '../../app/useKeys.ts';
import { PAYMENT_KEYS, type PaymentMethodKey } from '../../app/keymap.ts';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { ManagerPinDialog } from '../../components/ManagerPinDialog.tsx';
import { useCart } from '../../state/cart.ts';
import { checkPayment, computeTotals } from '../../state/cart-logic.ts';
import { finalizeSale, removePaymentAt, usePaymentUi } from '../../state/payment.ts';
import { useUi } from '../../state/ui.ts';
import { CardForm } from './CardForm.tsx';
import { OtherForm } from './OtherForm.tsx';
import { PaymentList } from './PaymentList.tsx';
import { PaymentSummary } from './PaymentSummary.tsx';
import { PixPanel } from '../pix/PixPanel.tsx';

type Pending = { key: PaymentMethodKey; amountCents: number } | null;

export function PaymentScreen() {
  const lines = useCart((s) => s.lines);
  const saleDiscount = useCart((s) => s.saleDiscountCents);
  const payments = useCart((s) => s.payments);
  const error = usePaymentUi((s) => s.error);
  const needsManager = usePaymentUi((s) => s.needsManager);
  const [amount, setAmount] = useState('');
  const [pending, setPending] = useState<Pending>(null);
  const [askPin, setAskPin] = useState(false);
  const amountRef = useRef<HTMLInputElement>(null);
  const totals = computeTotals(lines, saleDiscount, payments);
  const setError = (e: string | null) => usePaymentUi.getState().setError(e);

  useLayoutEffect(() => {
    if (!pending && !askPin) amountRef.current?.focus();
  }, [pending, askPin, payments.length]);

  function choose(key: PaymentMethodKey) {
    const typed = amount.trim();
    const cents = typed === '' ? totals.remainingCents : parseMoneyInput(typed);
    if (cents === null) {
      setError(`"${typed}" não é um valor. Digite, por exemplo, 50 ou 50,00.`);
      return;
    }
    const check = checkPayment(key.method, cents, totals);
    if (!check.ok) {
      setError(check.message);
      return;
    }
    setError(null);
    if (key.kind === 'card' || key.kind === 'other' || key.kind === 'pix') {
      setPending({ key, amountCents: cents });
      return;
    }
    add({ method: key.method, amountCents: cents });
  }

  function add(p: Payment) {
    useCart.getState().addPayment(p);
    setAmount('');
    setPending(null);
    // A PIX confirmed by the bank that covers the rest finishes the sale by itself: the customer
    // already paid, nobody should have to press anything.
    if (p.pixTxid && p.method === '17') {
      const cart = useCart.getState();
      if (computeTotals(cart.lines, cart.saleDiscountCents, cart.payments).remainingCents === 0) finalizeSale();
    }
  }

  useKeys((e) => {
    if (pending || askPin) return;
    const key = PAYMENT_KEYS.find((k) => k.key === e.key);
    if (key) {
      e.preventDefault();
      choose(key);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      useUi.getState().go('checkout');
    }
  });

  function onAmountKey(e: React.KeyboardEvent<HTMLInputElement>) {
    // A sub-form (the PIX panel keeps the focus here) owns Enter and Del while it is up.
    if (pending) return;
    if (e.key === 'Enter') {
      e.preventDefault();
      if (e.repeat) return;
      if (totals.remainingCents === 0 && amount.trim() === '') {
        finalizeSale();
      } else {
        const cash = PAYMENT_KEYS[0];
        if (cash) choose(cash);
      }
    } else if (e.key === 'Delete' && amount === '' && payments.length > 0) {
      e.preventDefault();
      void removePaymentAt(payments.length - 1);
    }
  }

  return (
    <div className="payment" data-testid="payment-screen">
      <PaymentSummary totals={totals} />
      <div className="payment-body">
        <section className="payment-entry">
          <label className="field big-field">
            <span>Valor recebido (vazio = {formatBRL(totals.remainingCents)})</span>
            <input
              ref={amountRef}
              data-testid="pay-amount"
              inputMode="decimal"
              autoComplete="off"
              placeholder={formatBRL(totals.remainingCents)}
              value={amount}
              onChange={(e) => {
                setAmount(e.target.value);
                setError(null);
              }}
              onKeyDown={onAmountKey}
            />
          </label>
          <div className="pay-keys">
            {PAYMENT_KEYS.map((k) => (
              <button
                type="button"
                key={k.key}
                className="pay-key"
                data-testid={`pay-key-${k.method}`}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => choose(k)}
              >
                <kbd className="kbd">{k.key}</kbd>
                {k.label}
              </button>
            ))}
          </div>
          {pending?.key.kind === 'card' ? (
            <CardForm method={pending.key} amountCents={pending.amountCents} onDone={add} onCancel={() => setPending(null)} />
          ) : null}
          {pending?.key.kind === 'other' ? <OtherForm amountCents={pending.amountCents} onDone={add} onCancel={() => setPending(null)} /> : null}
          {pending?.key.kind === 'pix' ? (
            <PixPanel
              amountCents={pending.amountCents}
              onPaid={add}
              otherKeys={PAYMENT_KEYS.filter((k) => k.kind !== 'pix').map((k) => k.key)}
              onClose={(note) => {
                setPending(null);
                if (note) setError(note);
              }}
              onSwitch={(k) => {
                setPending(null);
                const next = PAYMENT_KEYS.find((x) => x.key === k);
                if (next) choose(next);
              }}
            />
          ) : null}
          <ErrorLine text={error} testId="payment-error" />
          {needsManager ? (
            <button type="button" className="primary" data-testid="ask-manager" onClick={() => setAskPin(true)}>
              Pedir autorização do gerente
            </button>
          ) : null}
          <p className="hint" data-testid="payment-hint">
            {totals.remainingCents === 0
              ? 'Pagamento completo. Pressione Enter para finalizar.'
              : 'Digite o valor e escolha a forma (F2 a F8). Enter = dinheiro. Del apaga o último pagamento.'}
          </p>
        </section>
        <PaymentList payments={payments} totals={totals} />
      </div>
      {askPin ? (
        <ManagerPinDialog
          reason="O desconto desta venda passa do limite do caixa. O gerente precisa autorizar."
          onClose={() => setAskPin(false)}
          onApproved={(pin) => {
            setAskPin(false);
            useCart.getState().setManagerPin(pin);
            finalizeSale();
          }}
        />
      ) : null}
    </div>
  );
}
