// One sale in full: items, payments, the note and its state (live), and what can be done with it.
import { formatNumeroSerie } from '../../../shared/fiscal/numero.ts';
import { resolveKeyMap } from '../../../shared/keymap.ts';
import { printStateText, usePrinting } from '../../state/printing.ts';
import { reprint as reprintSale } from '../sale-result/reprint.ts';
import { useCallback, useEffect, useState } from 'react';
import type { EconfView, SaleDetail } from '../../../shared/contract.ts';
import { isCancellable, isPrintable, isResendable, type EmissionView } from '../../../shared/emission.ts';
import { formatBRL, formatQty } from '../../../shared/money.ts';
import { formatChave } from '../../../shared/fiscal/chave.ts';
import { formatDocument } from '../../../shared/fiscal/cpf-cnpj.ts';
import { paymentLabel } from '../../../shared/fiscal/tpag.ts';
import { formatDateTimeBR } from '../../../shared/datetime.ts';
import { useKeys } from '../../app/useKeys.ts';
import { Countdown, useNow } from '../../components/Countdown.tsx';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { Kbd } from '../../components/Kbd.tsx';
import { ReceiptFrame } from '../../components/ReceiptFrame.tsx';
import { StateChip } from '../../components/StateChip.tsx';
import { call, messageOf, pos } from '../../pos.ts';
import { useSession } from '../../state/session.ts';
import { isNewer, useEmission } from '../../state/emission.ts';
import { CancelNoteDialog } from './CancelNoteDialog.tsx';
import { EmailDialog } from './EmailDialog.tsx';
import { EconfDialog, EconfList, EconfResolveDialog, econfEligible } from './EconfDialog.tsx';

export function SaleDetailPanel({ saleId, onClose }: { saleId: number; onClose: () => void }) {
  const [detail, setDetail] = useState<SaleDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [html, setHtml] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'cancel' | 'email' | 'econf' | null>(null);
  const [busy, setBusy] = useState(false);
  const [resolving, setResolving] = useState<EconfView | null>(null);
  const live = useEmission((s) => s.views.get(saleId));
  const now = useNow();

  const load = useCallback(async () => {
    try {
      setDetail(await call(pos().sales.get({ saleId })));
      setError(null);
    } catch (err) {
      setError(messageOf(err));
    }
  }, [saleId]);
  useEffect(() => {
    setDetail(null);
    setHtml(null);
    setMessage(null);
    void load();
  }, [load]);

  const emission: EmissionView | null = detail ? (live && isNewer(live, detail.emission) ? live : detail.emission) : null;
  const canCancel = emission !== null && isCancellable(emission.state) && emission.cancelDeadline !== null && emission.cancelDeadline > now;
  const canEconf = emission?.state === 'authorized' && (detail?.sale.payments.some((p) => econfEligible(p.method)) ?? false);

  async function run(fn: () => Promise<string | null>) {
    if (busy) return;
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      setMessage(await fn());
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  const printJob = usePrinting((st) => st.bySale.get(saleId));
  const reprintKey = resolveKeyMap(useSession((st) => st.settings?.keyMap)).reprint;
  const reprint = () =>
    run(async () => {
      await reprintSale(saleId);
      return null;
    });
  const preview = () =>
    run(async () => {
      const r = await call(pos().receipt.get({ saleId }));
      setHtml(r.html);
      return null;
    });
  const resend = () =>
    run(async () => {
      const v = await call(pos().sales.resend({ saleId }));
      useEmission.getState().apply(v);
      await load();
      return 'Nota reenviada. Acompanhe o estado acima.';
    });

  useKeys((e) => {
    if (dialog) return;
    const k = e.key;
    if (k === 'Escape') {
      e.preventDefault();
      onClose();
    } else if (k === 'F4' && emission && isPrintable(emission.state)) {
      e.preventDefault();
      void reprint();
    } else if (k === 'F5' && emission && isPrintable(emission.state)) {
      e.preventDefault();
      void preview();
    } else if (k === 'F6' && canCancel) {
      e.preventDefault();
      setDialog('cancel');
    } else if (k === 'F7' && emission?.state === 'authorized') {
      e.preventDefault();
      setDialog('email');
    } else if (k === 'F8' && canEconf) {
      e.preventDefault();
      setDialog('econf');
    } else if (k === 'F9' && emission && isResendable(emission.state)) {
      e.preventDefault();
      void resend();
    }
  });

  if (!detail || !emission) {
    return (
      <section className="detail" data-testid="sale-detail">
        {error ? <ErrorLine text={error} /> : <p className="hint">Carregando…</p>}
      </section>
    );
  }
  const sale = detail.sale;
  return (
    <section className="detail" data-testid="sale-detail" data-sale-id={saleId} data-state={emission.state}>
      <header>
        <h2>
          Venda {sale.id} · {formatBRL(sale.totalCents)}
        </h2>
        <StateChip state={emission.state} testId="detail-chip" />
      </header>
      <p className="muted">{formatDateTimeBR(sale.createdAt)}</p>
      {emission.numero ? (
        <p data-testid="detail-note">
          NFC-e <strong>{formatNumeroSerie(emission.numero, emission.serie)}</strong>
          {emission.protocolo ? ` · protocolo ${emission.protocolo}` : ''}
        </p>
      ) : null}
      {emission.chave ? <p className="chave">{formatChave(emission.chave)}</p> : null}
      {emission.problem ? (
        <div className="problem" role="alert" data-testid="detail-problem">
          <strong>{emission.problem.title}</strong>
          <p>{emission.problem.fix}</p>
          {emission.statusSefaz ? (
            <p className="muted">
              SEFAZ {emission.statusSefaz}: {emission.mensagemSefaz}
            </p>
          ) : null}
        </div>
      ) : null}
      {emission.state === 'authorized' && emission.cancelDeadline !== null ? (
        canCancel ? (
          <p data-testid="cancel-window">
            Cancelamento possível por mais <Countdown deadline={emission.cancelDeadline} testId="cancel-countdown" />
          </p>
        ) : (
          <p className="muted" data-testid="cancel-window-closed">
            O prazo de 30 minutos para cancelar passou. Para desfazer esta venda, fale com o contador (cancelamento por substituição).
          </p>
        )
      ) : null}
      <div className="detail-actions">
        {isPrintable(emission.state) ? (
          <>
            <button type="button" data-testid="detail-reprint" disabled={busy} onClick={() => void reprint()}>
              <Kbd>F4</Kbd> Reimprimir
            </button>
            {printJob ? (
              <span
                className={printJob.state === 'done' ? 'ok-line' : printJob.state === 'failed' || printJob.state === 'retrying' ? 'error-line' : 'hint'}
                data-testid="detail-print-state"
                data-print-state={printJob.state ?? ''}
              >
                {printStateText(printJob, reprintKey).text}
              </span>
            ) : null}
            <button type="button" data-testid="detail-preview" disabled={busy} onClick={() => void preview()}>
              <Kbd>F5</Kbd> Ver cupom
            </button>
          </>
        ) : null}
        {canCancel ? (
          <button type="button" className="danger" data-testid="detail-cancel" onClick={() => setDialog('cancel')}>
            <Kbd>F6</Kbd> Cancelar nota
          </button>
        ) : null}
        {emission.state === 'authorized' ? (
          <button type="button" data-testid="detail-email" onClick={() => setDialog('email')}>
            <Kbd>F7</Kbd> Enviar por e-mail
          </button>
        ) : null}
        {canEconf ? (
          <button type="button" data-testid="detail-econf" onClick={() => setDialog('econf')}>
            <Kbd>F8</Kbd> Conciliação (ECONF)
          </button>
        ) : null}
        {isResendable(emission.state) ? (
          <button type="button" className="primary" data-testid="detail-resend" disabled={busy} onClick={() => void resend()}>
            <Kbd>F9</Kbd> Reenviar nota
          </button>
        ) : null}
        <button type="button" onClick={onClose}>
          Fechar (Esc)
        </button>
      </div>
      {message ? (
        <p className="ok-line" data-testid="detail-message">
          {message}
        </p>
      ) : null}
      <ErrorLine text={error} testId="detail-error" />
      <table className="detail-items">
        <thead>
          <tr>
            <th>#</th>
            <th>Descrição</th>
            <th className="num">Qtd</th>
            <th className="num">Total</th>
          </tr>
        </thead>
        <tbody>
          {sale.items.map((it) => (
            <tr key={it.seq}>
              <td>{it.seq}</td>
              <td>{it.description}</td>
              <td className="num">
                {formatQty(it.qtyE4, it.unit)} {it.unit}
              </td>
              <td className="num">{formatBRL(it.totalCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        {sale.payments.map((p, i) => (
          <span key={i} className="pay-chip">
            {paymentLabel(p.method, p.description)} {formatBRL(p.amountCents)}
          </span>
        ))}
        {sale.changeCents > 0 ? <span className="pay-chip">Troco {formatBRL(sale.changeCents)}</span> : null}
      </p>
      <EconfList events={detail.econf ?? []} onResolve={setResolving} />
      {sale.customer?.document ? <p>CPF/CNPJ: {formatDocument(sale.customer.document)}</p> : <p className="muted">Consumidor não identificado</p>}
      {html ? <ReceiptFrame html={html} testId="detail-receipt" /> : null}
      {dialog === 'cancel' && emission.cancelDeadline !== null ? (
        <CancelNoteDialog
          saleId={saleId}
          deadline={emission.cancelDeadline}
          onClose={() => setDialog(null)}
          onDone={(v) => {
            useEmission.getState().apply(v);
            setDialog(null);
            setMessage('Nota cancelada.');
            void load();
          }}
        />
      ) : null}
      {dialog === 'econf' ? (
        <EconfDialog
          detail={detail}
          onClose={() => setDialog(null)}
          onDone={(v) => {
            setDialog(null);
            setMessage(v.state === 'authorized' ? `Conciliação registrada (protocolo ${v.protocolo ?? '—'}).` : `Conciliação: ${v.message ?? v.state}`);
            void load();
          }}
        />
      ) : null}
      {resolving ? (
        <EconfResolveDialog
          event={resolving}
          onClose={() => setResolving(null)}
          onDone={(v) => {
            setResolving(null);
            setMessage(
              v.state === 'authorized' ? `Conciliação registrada (protocolo ${v.protocolo ?? '—'}).` : `Conciliação enviada de novo: ${v.message ?? v.state}`,
            );
            void load();
          }}
        />
      ) : null}
      {dialog === 'email' ? (
        <EmailDialog
          saleId={saleId}
          initial={sale.customer?.email ?? ''}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            setMessage('E-mail enviado.');
          }}
        />
      ) : null}
    </section>
  );
}
