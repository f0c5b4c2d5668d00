// The till's habits: receipts that print themselves, the customer's screen, and the key map (the
// manager's: each action gets a key, one key never does two things, the legend follows).
import { useState } from 'react';
import type { PublicSettings } from '../../../shared/contract.ts';
import {
  ACTION_INFO,
  ASSIGNABLE_KEYS,
  CHECKOUT_ACTIONS,
  keyMapConflicts,
  overridesOf,
  resolveKeyMap,
  type AssignableKey,
  type KeyMap,
} from '../../../shared/keymap.ts';
import { call, pos } from '../../pos.ts';
import { CUSTOMER_HASH } from '../customer-display/channel.ts';
import { SectionMessage, useManagerAction } from './useManagerAction.tsx';

export function CounterSection({ settings }: { settings: PublicSettings }) {
  const action = useManagerAction();
  const [autoPrint, setAutoPrint] = useState(settings.autoPrint);
  const [map, setMap] = useState<KeyMap>(() => resolveKeyMap(settings.keyMap));
  const conflicts = keyMapConflicts(map);
  const clash = new Set(conflicts.flatMap((c) => c.actions));

  function save() {
    if (conflicts.length > 0) return;
    const patch = { autoPrint, keyMap: overridesOf(map) };
    action.request(
      'Alterar a impressão automática e as teclas do caixa.',
      (managerPin) => call(pos().settings.update({ managerPin, patch })),
      'Teclas e impressão salvas. A legenda já mostra as novas teclas.',
    );
  }

  return (
    <section className="settings-section" data-testid="settings-counter">
      <h3>Caixa: impressão e teclas</h3>
      <label className="check">
        <input type="checkbox" data-testid="settings-auto-print" checked={autoPrint} onChange={(e) => setAutoPrint(e.target.checked)} />
        Imprimir o cupom sozinho quando a nota for autorizada ou emitida em contingência
      </label>
      <p className="hint">
        Tela do cliente:{' '}
        <button
          type="button"
          className="link-button"
          data-testid="open-customer-display"
          onClick={() => window.open(`${location.pathname}${location.search}${CUSTOMER_HASH}`, 'balcao-cliente', 'popup')}
        >
          abrir em outra janela
        </button>{' '}
        (no aplicativo instalado ela abre sozinha na segunda tela).
      </p>
      <table className="keymap-table" data-testid="keymap-table">
        <tbody>
          {CHECKOUT_ACTIONS.map((a) => (
            <tr key={a}>
              <td>{ACTION_INFO[a].label}</td>
              <td>
                <select
                  data-testid={`keymap-${a}`}
                  aria-invalid={clash.has(a)}
                  value={map[a]}
                  onChange={(e) => setMap({ ...map, [a]: e.target.value as AssignableKey })}
                >
                  {ASSIGNABLE_KEYS.map((k) => (
                    <option key={k} value={k}>
                      {k}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {conflicts.length > 0 ? (
        <p className="error-line" role="alert" data-testid="keymap-conflict">
          {conflicts.map((c) => `A tecla ${c.key} está em ${ACTION_INFO[c.actions[0]].label} e em ${ACTION_INFO[c.actions[1]].label}.`).join(' ')} Escolha outra
          tecla para uma delas.
        </p>
      ) : null}
      <button type="button" className="primary" data-testid="save-counter" disabled={conflicts.length > 0} onClick={save}>
        Salvar
      </button>
      <SectionMessage message={action.message} testId="counter-message" />
      {action.dialog}
    </section>
  );
}
