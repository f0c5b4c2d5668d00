// Send the DANFCe by e-mail again (Focus sends it); one or more addresses separated by commas.
import { useState } from 'react';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { call, messageOf, pos } from '../../pos.ts';

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

export function EmailDialog({ saleId, initial, onClose, onDone }: { saleId: number; initial: string; onClose: () => void; onDone: () => void }) {
  const [text, setText] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit() {
    const emails = text
      .split(/[,;\s]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (emails.length === 0) {
      setError('Digite o e-mail do cliente.');
      return;
    }
    const bad = emails.find((e) => !EMAIL.test(e));
    if (bad) {
      setError(`"${bad}" não parece um e-mail. Confira e tente de novo.`);
      return;
    }
    if (emails.length > 10) {
      setError('No máximo 10 e-mails por envio.');
      return;
    }
    setBusy(true);
    try {
      await call(pos().sales.email({ saleId, emails }));
      onDone();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog title="Enviar cupom por e-mail" testId="email-dialog" onClose={onClose}>
      <label className="field">
        <span>E-mail (separe vários com vírgula)</span>
        <input
          data-testid="email-input"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setError(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void submit();
            }
          }}
        />
      </label>
      <ErrorLine text={error} testId="email-error" />
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Voltar (Esc)
        </button>
        <button type="button" className="primary" disabled={busy} onClick={() => void submit()}>
          Enviar (Enter)
        </button>
      </div>
    </Dialog>
  );
}
