// Cancel one item by its number (the last one by default). The line stays on screen, struck out,
// so the numbers the cashier sees never shift.
import { useState } from 'react';
import { formatBRL } from '../../../shared/money.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { useCart } from '../../state/cart.ts';
import { lineGross } from '../../../shared/cart.ts';
import { useUi } from '../../state/ui.ts';
import { useSession } from '../../state/session.ts';
import { needsManagerApproval } from './approval.ts';

export function CancelItemDialog({ seq }: { seq?: number }) {
  const lines = useCart((s) => s.lines);
  const lastActive = [...lines].reverse().find((l) => !l.cancelled);
  const [text, setText] = useState(String(seq ?? lastActive?.seq ?? ''));
  const [error, setError] = useState<string | null>(null);
  const close = () => useUi.getState().close();
  const n = Number(text);
  const line = /^\d+$/.test(text) ? lines.find((l) => l.seq === n) : undefined;

  function confirm() {
    if (!line) {
      setError(`Não existe o item ${text || '(vazio)'}. Digite o número que aparece na primeira coluna.`);
      return;
    }
    if (line.cancelled) {
      setError(`O item ${line.seq} já está cancelado.`);
      return;
    }
    const target = line;
    const done = () => {
      useCart.getState().cancelLine(target.seq);
      useUi.getState().say({ tone: 'info', text: `Item ${target.seq} cancelado: ${target.description}.` });
      useUi.getState().close();
    };
    const { settings, operator } = useSession.getState();
    if (needsManagerApproval(lineGross(target.qtyE4, target.unitPriceCents), settings?.cancelItemApprovalAboveCents ?? 5_000, operator?.role)) {
      useUi.getState().open({
        kind: 'managerPin',
        reason: `Cancelar o item ${target.seq} (${formatBRL(lineGross(target.qtyE4, target.unitPriceCents))}) precisa da autorização do gerente.`,
        onApproved: done,
      });
      return;
    }
    done();
  }

  return (
    <Dialog title="Cancelar item" testId="cancel-item-dialog" onClose={close}>
      <label className="field">
        <span>Número do item</span>
        <input
          data-testid="cancel-item-number"
          inputMode="numeric"
          value={text}
          onChange={(e) => {
            setText(e.target.value.replace(/\D/g, ''));
            setError(null);
          }}
          onFocus={(e) => e.target.select()}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              confirm();
            }
          }}
        />
      </label>
      <p className="dialog-text" data-testid="cancel-item-preview">
        {line ? `${line.description} — ${formatBRL(lineGross(line.qtyE4, line.unitPriceCents))}` : ' '}
      </p>
      <ErrorLine text={error} />
      <div className="dialog-actions">
        <button type="button" onClick={close}>
          Voltar (Esc)
        </button>
        <button type="button" className="danger" onClick={confirm}>
          Cancelar item (Enter)
        </button>
      </div>
    </Dialog>
  );
}
