// The customer's screen: items, total, what was paid, the change, and a slot for the PIX QR code.
// Read-only: it only listens to the till's window (channel.ts).
import { useEffect, useState } from 'react';
import { formatBRL } from '../../../shared/money.ts';
import { QrCode } from '../../components/QrCode.tsx';
import { CUSTOMER_CHANNEL, IDLE_VIEW, isCustomerMessage, type CustomerView } from './channel.ts';

export function CustomerDisplay() {
  const [view, setView] = useState<CustomerView>(IDLE_VIEW);
  useEffect(() => {
    const channel = new BroadcastChannel(CUSTOMER_CHANNEL);
    channel.onmessage = (e: MessageEvent) => {
      if (!isCustomerMessage(e.data)) return;
      if (e.data.type === 'view') setView(e.data.view);
      else if (e.data.type === 'ping') channel.postMessage({ type: 'hello' });
    };
    channel.postMessage({ type: 'hello' });
    return () => channel.close();
  }, []);
  return (
    <div className="customer-display" data-testid="customer-display" data-phase={view.phase}>
      <h1>{view.phase === 'idle' ? 'Bem-vindo!' : view.phase === 'done' ? 'Obrigado pela preferência!' : 'Sua compra'}</h1>
      <ul className="customer-items" data-testid="customer-items">
        {view.lines.map((l) => (
          <li key={l.seq} data-testid="customer-line">
            <span>
              {l.description} <span className="muted">· {l.qty}</span>
            </span>
            <strong className="money">{formatBRL(l.totalCents)}</strong>
          </li>
        ))}
      </ul>
      <div className="customer-foot">
        <div>
          <div className="muted">TOTAL</div>
          <div className="customer-total" data-testid="customer-total" data-cents={view.totalCents}>
            {formatBRL(view.totalCents)}
          </div>
        </div>
        <div>
          {view.paidCents > 0 ? <div className="muted">Pago: {formatBRL(view.paidCents)}</div> : null}
          {view.changeCents > 0 ? (
            <div className="customer-change" data-testid="customer-change" data-cents={view.changeCents}>
              Troco: {formatBRL(view.changeCents)}
            </div>
          ) : null}
        </div>
        <div className={view.pix ? 'customer-qr customer-qr-live' : 'customer-qr'} data-testid="customer-qr">
          {view.pix ? (
            <>
              <strong>Pague com Pix</strong>
              <QrCode text={view.pix.brCode} label="QR Code Pix desta compra" testId="customer-pix-qr" size={300} />
              <span className="customer-pix-amount" data-testid="customer-pix-amount" data-cents={view.pix.amountCents}>
                {formatBRL(view.pix.amountCents)}
              </span>
            </>
          ) : (
            <span>QR Code PIX aparece aqui</span>
          )}
        </div>
      </div>
    </div>
  );
}
