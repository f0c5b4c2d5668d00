// The on-screen F-key legend for the current screen. Keys are clickable too.
import { isManager, useSession } from '../state/session.ts';
import { useUi } from '../state/ui.ts';
import { PAYMENT_KEYS, useCheckoutBindings } from './keymap.ts';
import { Kbd } from '../components/Kbd.tsx';

function press(key: string): void {
  window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
}

export function KeyLegend() {
  const screen = useUi((s) => s.screen);
  const manager = useSession(isManager);
  const bindings = useCheckoutBindings();
  let keys: { key: string; label: string }[];
  if (screen === 'checkout') {
    keys = bindings.filter((k) => manager || !k.managerOnly).map((k) => ({ key: k.key, label: k.label }));
    keys.push({ key: 'Enter', label: 'Vazio: pagar' });
  } else if (screen === 'payment') {
    keys = PAYMENT_KEYS.map((k) => ({ key: k.key, label: k.label }));
    keys.push({ key: 'Enter', label: 'Dinheiro / Finalizar' }, { key: 'Esc', label: 'Voltar aos itens' });
  } else {
    keys = [{ key: 'Esc', label: 'Voltar ao caixa' }];
  }
  return (
    <footer className="legend" data-testid="key-legend">
      {keys.map((k) => (
        <button
          type="button"
          key={k.key + k.label}
          data-key={k.key}
          className="legend-key"
          tabIndex={-1}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => press(k.key)}
        >
          <Kbd>{k.key}</Kbd> {k.label}
        </button>
      ))}
    </footer>
  );
}
