// The last sale, live: enviando → autorizada (nº, série, chave) / rejeitada with the fix / pendente
// / contingência; then the receipt preview and printing. It sits beside the cart and never takes
// the keyboard: the next sale starts as soon as the cashier scans.
import { useEffect, useState } from 'react';
import { formatBRL } from '../../../shared/money.ts';
import { formatChave } from '../../../shared/fiscal/chave.ts';
import { isPrintable } from '../../../shared/emission.ts';
import { useEmission } from '../../state/emission.ts';
import { useUi } from '../../state/ui.ts';
import { StateChip } from '../../components/StateChip.tsx';
import { ReceiptFrame } from '../../components/ReceiptFrame.tsx';
import { call, messageOf, pos } from '../../pos.ts';
import { formatNumeroSerie } from '../../../shared/fiscal/numero.ts';
import { resolveKeyMap } from '../../../shared/keymap.ts';
import { usePrinting, printStateText } from '../../state/printing.ts';
import { useSession } from '../../state/session.ts';
import { reprint } from './reprint.ts';

export function SaleResultCard() {
  const last = useEmission((s) => s.lastSale);
  const view = useEmission((s) => (s.lastSale ? s.views.get(s.lastSale.saleId) : undefined));
  const [html, setHtml] = useState<string | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [printError, setPrintError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const job = usePrinting((s) => (last ? s.bySale.get(last.saleId) : undefined));
  const reprintKey = resolveKeyMap(useSession((s) => s.settings?.keyMap)).reprint;
  const printable = view ? isPrintable(view.state) : false;

  const saleId = last?.saleId;
  const state = view?.state;
  useEffect(() => {
    setHtml(null);
    setPreviewError(null);
    if (saleId === undefined || !printable) return;
    let alive = true;
    // The preview (a round trip, then a document laid out in a frame) waits for an idle moment: the
    // note often lands while the next customer's items are being scanned, and those come first.
    const fetchPreview = () =>
      call(pos().receipt.get({ saleId })).then(
        (r) => alive && setHtml(r.html),
        (err: unknown) => alive && setPreviewError(messageOf(err)),
      );
    const idle = typeof requestIdleCallback === 'function' ? requestIdleCallback(() => void fetchPreview(), { timeout: 1_000 }) : null;
    if (idle === null) void fetchPreview();
    return () => {
      alive = false;
      if (idle !== null) cancelIdleCallback(idle);
    };
  }, [saleId, state, printable]);
  useEffect(() => setPrintError(null), [saleId]);

  if (!last) return null;

  async function print() {
    if (saleId === undefined || busy) return;
    setBusy(true);
    setPrintError(null);
    try {
      await reprint(saleId);
    } catch (err) {
      setPrintError(messageOf(err));
    } finally {
      setBusy(false);
      useUi.getState().refocus();
    }
  }
  const jobText = job ? printStateText(job, reprintKey) : null;

  return (
    <section className="result-card" data-testid="sale-result" data-sale-id={last.saleId} data-state={view?.state ?? 'pending'}>
      <header>
        <span className="money">Última venda · {formatBRL(last.totalCents)}</span>
        {view ? <StateChip state={view.state} testId="result-chip" /> : null}
      </header>
      {last.changeCents > 0 ? (
        <p className="result-change" data-testid="result-change">
          Troco: <strong>{formatBRL(last.changeCents)}</strong>
        </p>
      ) : null}
      {view?.state === 'sending' || view?.state === 'pending' ? <p className="hint">Enviando a nota para a SEFAZ… pode passar a próxima venda.</p> : null}
      {view?.state === 'unknown' ? <p className="hint">Confirmando a nota com a SEFAZ… nada a fazer agora.</p> : null}
      {view && view.numero ? (
        <p className="result-note" data-testid="result-note">
          NFC-e <strong>{formatNumeroSerie(view.numero, view.serie)}</strong>
          {view.chave ? (
            <span className="chave" data-testid="result-chave">
              {formatChave(view.chave)}
            </span>
          ) : null}
        </p>
      ) : null}
      {view?.state === 'contingency_focus' ? (
        <p className="warn-line">
          Emitida em contingência: a SEFAZ está fora do ar e a Focus autoriza a nota assim que ela voltar. Entregue a via do consumidor quando ela sair da
          impressora.
        </p>
      ) : view?.state === 'contingency' ? (
        <p className="warn-line">
          Emitida em contingência: será transmitida assim que a internet voltar. Entregue a via do consumidor quando ela sair da impressora.
        </p>
      ) : null}
      {view?.problem ? (
        <div className="problem" data-testid="result-problem" role="alert">
          <strong>{view.problem.title}</strong>
          <p>{view.problem.fix}</p>
          <button type="button" onClick={() => useUi.getState().go('history')}>
            Abrir em Vendas (F8) para corrigir e reenviar
          </button>
        </div>
      ) : null}
      {printable ? (
        <div className="result-actions">
          <button type="button" data-testid="result-print" disabled={busy} onClick={() => void print()}>
            {job ? 'Reimprimir' : 'Imprimir'} cupom ({reprintKey})
          </button>
          {jobText ? (
            <span
              className={jobText.tone === 'ok' ? 'ok-line' : jobText.tone === 'error' ? 'error-line' : 'hint'}
              data-testid="print-message"
              data-ok={job?.state === 'done'}
              data-print-state={job?.state ?? ''}
              data-print-code={job?.code ?? ''}
            >
              {jobText.text}
            </span>
          ) : null}
          {printError ? (
            <span className="error-line" data-testid="print-error">
              {printError}
            </span>
          ) : null}
        </div>
      ) : null}
      {html ? <ReceiptFrame html={html} testId="result-receipt" /> : null}
      {previewError ? (
        <p className="hint" data-testid="preview-error">
          Prévia do cupom indisponível: {previewError}
        </p>
      ) : null}
    </section>
  );
}
