// The till's "type a quantity" dialog: one decimal field that confirms on Enter, a line of preview
// under it, the error sentence and Voltar (Esc) / confirm. The quantity change (F-key on a line)
// and the weight of a weighed product (picked by name) are this dialog with their own texts.
import type { ReactNode, RefObject } from 'react';
import { Dialog } from './Dialog.tsx';
import { ErrorLine } from './ErrorLine.tsx';

export interface QuantityEntryProps {
  title: string;
  /** Test ids: `${testId}` for the dialog, and the field, preview and error ids the screens use. */
  testId: string;
  fieldTestId: string;
  errorTestId: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  onConfirm: () => void;
  onClose: () => void;
  confirmLabel: string;
  error: string | null;
  /** Anything above the field (a sentence, the item number field). */
  children?: ReactNode;
  /** Under the field: the new total while the typed quantity is valid. */
  preview?: ReactNode;
  inputRef?: RefObject<HTMLInputElement | null>;
  autoFocus?: boolean;
}

export function QuantityEntryDialog(p: QuantityEntryProps) {
  return (
    <Dialog title={p.title} testId={p.testId} onClose={p.onClose}>
      {p.children}
      <label className="field">
        <span>{p.label}</span>
        <input
          ref={p.inputRef}
          {...(p.autoFocus ? { 'data-autofocus': true } : {})}
          data-testid={p.fieldTestId}
          inputMode="decimal"
          autoComplete="off"
          value={p.value}
          onChange={(e) => p.onChange(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              p.onConfirm();
            }
          }}
        />
      </label>
      {p.preview ?? null}
      <ErrorLine text={p.error} testId={p.errorTestId} />
      <div className="dialog-actions">
        <button type="button" onClick={p.onClose}>
          Voltar (Esc)
        </button>
        <button type="button" className="primary" onClick={p.onConfirm}>
          {p.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
