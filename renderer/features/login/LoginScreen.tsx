// Operator + PIN. Arrow keys pick the operator, digits go to the PIN, Enter enters.
import { useLayoutEffect, useRef, useState } from 'react';
import { messageOf } from '../../pos.ts';
import { useSession } from '../../state/session.ts';
import { useUi } from '../../state/ui.ts';
import { ErrorLine } from '../../components/ErrorLine.tsx';

export function LoginScreen() {
  const operators = useSession((s) => s.operators);
  const demoLogins = useSession((s) => s.demoLogins);
  const [index, setIndex] = useState(0);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pinRef = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => pinRef.current?.focus(), []);

  const chosen = operators[index] ?? null;
  async function submit() {
    if (busy) return;
    if (!chosen) {
      setError('Nenhum operador cadastrado. Peça ao gerente para cadastrar os operadores.');
      return;
    }
    if (!/^\d{4,8}$/.test(pin)) {
      setError('Digite o seu PIN (de 4 a 8 números) e pressione Enter.');
      return;
    }
    setBusy(true);
    try {
      await useSession.getState().login(chosen.id, pin);
      useUi.getState().go('checkout');
    } catch (err) {
      setError(messageOf(err));
      setPin('');
      pinRef.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="login" data-testid="login-screen">
      <h1>Entrar no caixa</h1>
      <ul className="operator-list" role="listbox" aria-label="Operador">
        {operators.map((op, i) => (
          <li
            key={op.id}
            role="option"
            aria-selected={i === index}
            className={i === index ? 'selected' : ''}
            data-testid="operator-option"
            data-operator={op.name}
            onClick={() => {
              setIndex(i);
              pinRef.current?.focus();
            }}
          >
            <strong>{op.name}</strong>
            <span>{op.role === 'manager' ? 'Gerente' : 'Caixa'}</span>
          </li>
        ))}
      </ul>
      <label className="field">
        <span>PIN de {chosen?.name ?? '—'}</span>
        <input
          ref={pinRef}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={8}
          data-testid="pin-input"
          value={pin}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              const n = operators.length;
              if (n > 0) setIndex((i) => (i + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
            } else if (e.key === 'Enter') {
              e.preventDefault();
              void submit();
            }
          }}
        />
      </label>
      <p className="hint">↑ ↓ escolhe o operador · Enter entra</p>
      {demoLogins.length > 0 ? (
        <p className="hint" data-testid="demo-logins">
          Demonstração: {demoLogins.map((d) => `${d.name} — PIN ${d.pin}`).join(' · ')}
        </p>
      ) : null}
      <ErrorLine text={error} testId="login-error" />
      <button type="button" className="primary big" disabled={busy} onClick={() => void submit()} data-testid="login-submit">
        Entrar
      </button>
    </section>
  );
}
