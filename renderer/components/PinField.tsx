// A PIN typed on a screen: digits only (4 to 8), hidden, never offered by the browser's autofill.
// One field for the setup's first manager, the recovery screens and "Trocar meu PIN".

/** PIN-shaped (4 to 8 digits); the core checks the rest (who it belongs to, trivial PINs). */
export const isPinShaped = (pin: string): boolean => /^\d{4,8}$/.test(pin);

/** Said on the screens that stop for the manager (recovery) when the PIN field is not PIN-shaped. */
export const MANAGER_PIN_NEEDED = 'Digite o PIN do gerente (4 a 8 números).';

export function PinField({
  label,
  testId,
  value,
  onChange,
  onEnter,
}: {
  label: string;
  testId: string;
  value: string;
  onChange: (pin: string) => void;
  /** Enter in the field submits the form it belongs to. */
  onEnter?: () => void;
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <input
        type="password"
        inputMode="numeric"
        maxLength={8}
        autoComplete="off"
        data-testid={testId}
        value={value}
        onChange={(e) => onChange(e.target.value.replace(/\D/g, ''))}
        onKeyDown={
          onEnter
            ? (e) => {
                if (e.key !== 'Enter') return;
                e.preventDefault();
                onEnter();
              }
            : undefined
        }
      />
    </label>
  );
}
