// Paying with PIX: the charge is created at the PSP for this draft and amount, its QR, amount,
// countdown and state stay on screen, and the panel hands the payment to the sale by itself when
// the PSP confirms it (pix.changed). Esc (or another method's key) removes the charge at the PSP;
// a payment that still arrives goes to the manager's list, never silently into the till.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PixChargeView } from '../../../shared/pix/charge.ts';
import { formatBRL } from '../../../shared/money.ts';
import type { Payment } from '../../../shared/sale.ts';
import { useKeys } from '../../app/useKeys.ts';
import { useNow } from '../../components/Countdown.tsx';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { QrCode } from '../../components/QrCode.tsx';
import { call, messageOf, pos } from '../../pos.ts';
import { useCart } from '../../state/cart.ts';
import { usePixCharge } from '../../state/pix.ts';
import { useSession } from '../../state/session.ts';
import { cancellable, pixCountdown, pixPhase, reusableCharge } from './pix-logic.ts';

export interface PixPanelProps {
  amountCents: number;
  /** The PSP confirmed it (or the cashier confirmed a static code): add it to the sale. */
  onPaid: (p: Payment) => void;
  /** The panel is done without a payment (cancelled, failed); `note` tells the cashier what happened. */
  onClose: (note: string | null) => void;
  /** Another method's key while the charge was up: the charge was cancelled, use that key now. */
  onSwitch?: (key: string) => void;
  otherKeys: readonly string[];
}

export function PixPanel({ amountCents, onPaid, onClose, onSwitch, otherKeys }: PixPanelProps) {
  const demo = useSession((s) => s.demo);
  const staticAllowed = useSession((s) => s.settings?.pix.staticFallback ?? false);
  const view = usePixCharge((s) => s.current);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const now = useNow(500);
  const handed = useRef<string | null>(null);
  const closing = useRef(false);
  const phase = error && !view ? 'failed' : pixPhase(view, now);
  // The PSP refused or cannot be reached: the manager's fallback, if enabled, is the static code.
  const offerStatic = staticAllowed && (phase === 'failed' || (phase === 'creating' && view?.problem != null));

  const show = (v: PixChargeView | null) => usePixCharge.getState().show(v);

  const start = useCallback(
    async (fresh: boolean) => {
      setError(null);
      setBusy(true);
      const cart = useCart.getState();
      const clientId = cart.ensureClientId();
      try {
        let v: PixChargeView | null = null;
        if (!fresh) {
          const inCart = new Set(cart.payments.map((p) => p.pixTxid).filter((t): t is string => typeof t === 'string'));
          v = reusableCharge(await call(pos().pix.forDraft({ clientId })), amountCents, inCart, Date.now());
        }
        v ??= await call(pos().pix.charge({ clientId, amountCents }));
        if (closing.current) {
          // The cashier gave up while the PSP was answering: remove what it created.
          await call(pos().pix.cancel({ txid: v.txid })).catch(() => null);
          return;
        }
        show(v);
      } catch (err) {
        show(null);
        setError(messageOf(err));
      } finally {
        setBusy(false);
      }
    },
    [amountCents],
  );

  // Open: reuse this draft's live charge (re-opened screen) or create one. Leaving clears the QR.
  useEffect(() => {
    closing.current = false;
    void start(false);
    return () => {
      closing.current = true;
      usePixCharge.getState().show(null);
    };
  }, [start]);

  // The PSP's answers arrive as pix.changed; a re-read now and then covers an event lost with the link.
  const txid = view?.txid ?? null;
  useEffect(() => {
    if (!txid) return;
    const off = pos().on('pix.changed', (v) => {
      if (v.txid === txid) show(v);
    });
    const clientId = useCart.getState().ensureClientId();
    const t = setInterval(() => {
      call(pos().pix.forDraft({ clientId })).then(
        (all) => {
          const mine = all.find((v) => v.txid === txid);
          if (mine && usePixCharge.getState().current?.txid === txid) show(mine);
        },
        () => {},
      );
    }, 5_000);
    return () => {
      off();
      clearInterval(t);
    };
  }, [txid]);

  // Confirmed by the PSP: into the sale, once.
  useEffect(() => {
    if (!view || phase !== 'paid' || handed.current === view.txid) return;
    handed.current = view.txid;
    onPaid({ method: '17', amountCents: view.amountCents, pixTxid: view.txid });
  }, [view, phase, onPaid]);

  async function cancel(then: () => void) {
    if (closing.current) return;
    closing.current = true;
    const current = usePixCharge.getState().current;
    if (!cancellable(current) || !current) {
      then();
      return;
    }
    setBusy(true);
    try {
      const after = await call(pos().pix.cancel({ txid: current.txid }));
      show(after);
      if (after.state === 'orphan') {
        onClose('O cliente pagou o Pix enquanto a cobrança era cancelada: o valor ficou na lista do gerente para devolver.');
        return;
      }
      then();
    } catch (err) {
      // The PSP did not answer: the core keeps trying to remove it; a late payment reaches the manager.
      closing.current = false;
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  async function takeStatic() {
    setError(null);
    setBusy(true);
    try {
      // The dynamic charge the PSP could not create is given up first, so only one QR can be paid.
      const pendingDynamic = usePixCharge.getState().current;
      if (pendingDynamic && pendingDynamic.kind === 'dynamic' && cancellable(pendingDynamic)) {
        await call(pos().pix.cancel({ txid: pendingDynamic.txid })).catch(() => null);
      }
      show(await call(pos().pix.staticCharge({ clientId: useCart.getState().ensureClientId(), amountCents })));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  async function simulate() {
    if (!view) return;
    try {
      const r = await call(pos().pix.simulatePayment({ txid: view.txid }));
      if (!r.ok) setError('O simulador não aceitou o pagamento (cobrança expirada ou cancelada).');
    } catch (err) {
      setError(messageOf(err));
    }
  }

  useKeys((e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      void cancel(() => onClose(null));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (e.repeat || busy) return;
      if (phase === 'expired') void start(true);
      else if (phase === 'static' && view) {
        handed.current = view.txid;
        onPaid({ method: '20', amountCents: view.amountCents, pixTxid: view.txid });
      } else if (offerStatic) void takeStatic();
    } else if (otherKeys.includes(e.key)) {
      e.preventDefault();
      void cancel(() => onSwitch?.(e.key));
    }
  });

  const countdown = pixCountdown(view, now);
  return (
    <div className="subform pix-panel" data-testid="pix-panel" data-phase={phase} data-state={view?.state ?? ''} data-txid={view?.txid ?? ''}>
      <h3>
        {phase === 'static' ? 'Pix estático' : 'Pix'}: <span data-testid="pix-amount">{formatBRL(view?.amountCents ?? amountCents)}</span>
      </h3>
      <div className="pix-body">
        {view?.brCode && (phase === 'waiting' || phase === 'static') ? (
          <QrCode text={view.brCode} label="QR Code Pix para o cliente pagar" testId="pix-qr" />
        ) : (
          <div className="qr-box qr-empty" style={{ width: 240, height: 240 }} />
        )}
        <div className="pix-info">
          <p className="pix-state" data-testid="pix-state">
            {phase === 'static' ? 'Não confirmado pelo banco' : phase === 'expired' ? 'Cobrança expirada' : view ? view.label : busy ? 'Gerando cobrança' : ''}
          </p>
          {countdown && phase === 'waiting' ? (
            <p>
              Expira em{' '}
              <strong className="countdown" data-testid="pix-countdown">
                {countdown}
              </strong>
            </p>
          ) : null}
          {phase === 'waiting' ? <p className="hint">O cliente lê o QR (também na tela do cliente). A venda segue sozinha quando o banco confirmar.</p> : null}
          {phase === 'static' ? (
            <p className="hint" data-testid="pix-static-hint">
              Sem confirmação do banco: confira o comprovante e pressione Enter. Fica marcado “não confirmado” até a conciliação.
            </p>
          ) : null}
          {phase === 'expired' ? <p className="hint">Enter gera uma nova cobrança. Esc volta para escolher outra forma.</p> : null}
          {view?.problem && (phase === 'waiting' || phase === 'creating') ? (
            <p className="hint" data-testid="pix-problem">
              {view.problem.message}
            </p>
          ) : null}
          <ErrorLine text={error} testId="pix-error" />
          {offerStatic ? (
            <button type="button" data-testid="pix-use-static" disabled={busy} onClick={() => void takeStatic()}>
              Usar Pix estático (não confirmado) — Enter
            </button>
          ) : null}
          <div className="dialog-actions">
            <button type="button" data-testid="pix-cancel" disabled={busy && !view} onClick={() => void cancel(() => onClose(null))}>
              Outra forma (Esc)
            </button>
            {phase === 'expired' ? (
              <button type="button" className="primary" data-testid="pix-new" onClick={() => void start(true)}>
                Nova cobrança (Enter)
              </button>
            ) : null}
            {phase === 'static' && view ? (
              <button
                type="button"
                className="primary"
                data-testid="pix-static-confirm"
                onClick={() => {
                  handed.current = view.txid;
                  onPaid({ method: '20', amountCents: view.amountCents, pixTxid: view.txid });
                }}
              >
                Cliente pagou (Enter)
              </button>
            ) : null}
            {demo && phase === 'waiting' && view ? (
              <button type="button" data-testid="pix-simulate" onClick={() => void simulate()}>
                Simular pagamento
              </button>
            ) : null}
          </div>
        </div>
      </div>
    </div>
  );
}
