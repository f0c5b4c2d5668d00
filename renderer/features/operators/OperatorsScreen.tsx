// The manager's operator screen: create, rename, change role, disable/enable, reset a PIN.
import { useCallback, useEffect, useState } from 'react';
import type { OperatorRecord, Role } from '../../../shared/contract.ts';
import { pinProblem, pinProblemMessage } from '../../../shared/pin.ts';
import { useKeys } from '../../app/useKeys.ts';
import { call, messageOf, pos } from '../../pos.ts';
import { isManager, useSession } from '../../state/session.ts';
import { useUi } from '../../state/ui.ts';
import { SectionMessage, useManagerAction } from '../settings/useManagerAction.tsx';

const ROLE: Record<Role, string> = { cashier: 'Caixa', manager: 'Gerente' };

export function OperatorsScreen() {
  const manager = useSession(isManager);
  const action = useManagerAction();
  const [list, setList] = useState<OperatorRecord[]>([]);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('cashier');
  const [pin, setPin] = useState('');
  const [formError, setFormError] = useState<string | null>(null);

  const reload = useCallback(() => {
    call(pos().operators.list({})).then(setList, (e: unknown) => setFormError(messageOf(e)));
  }, []);
  useEffect(reload, [reload]);
  useKeys((e) => {
    if (e.key === 'Escape' && !document.querySelector('[role="dialog"]')) {
      e.preventDefault();
      useUi.getState().go('settings');
    }
  });
  if (!manager)
    return (
      <p className="error-line" role="alert">
        Só o gerente pode cadastrar operadores.
      </p>
    );

  const done = (text: string) => () => {
    reload();
    return text;
  };
  function create() {
    const problem = pinProblem(pin);
    if (name.trim().length < 2) return setFormError('Digite o nome do operador (2 a 40 letras).');
    if (problem) return setFormError(pinProblemMessage(problem));
    setFormError(null);
    const input = { name, role, pin };
    action.request(
      `Cadastrar ${name.trim()}.`,
      (managerPin) =>
        call(pos().operators.create({ managerPin, ...input })).then((op) => {
          reload();
          setName('');
          setPin('');
          return `${op.name} cadastrado.`;
        }),
      (r) => String(r),
    );
  }
  return (
    <div className="settings" data-testid="operators-screen">
      <header className="screen-head">
        <h2>Operadores</h2>
        <button type="button" onClick={() => useUi.getState().go('settings')}>
          Voltar (Esc)
        </button>
      </header>
      <table className="table" data-testid="operators-table">
        <thead>
          <tr>
            <th>Nome</th>
            <th>Função</th>
            <th>Situação</th>
            <th>Ações</th>
          </tr>
        </thead>
        <tbody>
          {list.map((op) => (
            <OperatorRow
              key={`${op.id}-${op.name}-${op.role}-${String(op.active)}`}
              op={op}
              onAction={(reason, fn, ok) => action.request(reason, fn, done(ok))}
            />
          ))}
        </tbody>
      </table>
      <section className="settings-section" data-testid="operator-new">
        <h3>Novo operador</h3>
        <div className="grid">
          <label className="field">
            <span>Nome</span>
            <input data-testid="operator-new-name" maxLength={40} value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label className="field">
            <span>Função</span>
            <select data-testid="operator-new-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              <option value="cashier">Caixa</option>
              <option value="manager">Gerente</option>
            </select>
          </label>
          <label className="field">
            <span>PIN inicial (4 a 8 números)</span>
            <input
              type="password"
              inputMode="numeric"
              maxLength={8}
              data-testid="operator-new-pin"
              value={pin}
              onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
            />
          </label>
        </div>
        <button type="button" className="primary" data-testid="operator-create" onClick={create}>
          Cadastrar
        </button>
        {formError ? (
          <p className="error-line" role="alert" data-testid="operator-form-error">
            {formError}
          </p>
        ) : null}
      </section>
      <SectionMessage message={action.message} testId="operators-message" />
      {action.dialog}
    </div>
  );
}

function OperatorRow({
  op,
  onAction,
}: {
  op: OperatorRecord;
  onAction: (reason: string, fn: (pin: string | undefined) => Promise<object>, ok: string) => void;
}) {
  const [name, setName] = useState(op.name);
  const [newPin, setNewPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <tr data-testid="operator-row" data-operator={op.name} data-active={String(op.active)}>
      <td>
        <input aria-label={`Nome de ${op.name}`} data-testid="operator-rename-input" maxLength={40} value={name} onChange={(e) => setName(e.target.value)} />
      </td>
      <td>
        <select
          aria-label={`Função de ${op.name}`}
          data-testid="operator-role"
          value={op.role}
          onChange={(e) => {
            const r = e.target.value as Role;
            onAction(
              `Mudar a função de ${op.name} para ${ROLE[r]}.`,
              (managerPin) => call(pos().operators.update({ managerPin, id: op.id, role: r })),
              `${op.name} agora é ${ROLE[r]}.`,
            );
          }}
        >
          <option value="cashier">Caixa</option>
          <option value="manager">Gerente</option>
        </select>
      </td>
      <td>{op.active ? 'Ativo' : 'Desativado'}</td>
      <td className="row">
        <button
          type="button"
          data-testid="operator-rename"
          disabled={name.trim() === op.name}
          onClick={() => onAction(`Renomear ${op.name}.`, (managerPin) => call(pos().operators.update({ managerPin, id: op.id, name })), 'Nome alterado.')}
        >
          Renomear
        </button>
        <button
          type="button"
          data-testid="operator-toggle"
          onClick={() =>
            onAction(
              `${op.active ? 'Desativar' : 'Reativar'} ${op.name}.`,
              (managerPin) => call(pos().operators.update({ managerPin, id: op.id, active: !op.active })),
              op.active ? `${op.name} desativado.` : `${op.name} reativado.`,
            )
          }
        >
          {op.active ? 'Desativar' : 'Reativar'}
        </button>
        <input
          type="password"
          inputMode="numeric"
          maxLength={8}
          placeholder="novo PIN"
          aria-label={`Novo PIN de ${op.name}`}
          data-testid="operator-reset-pin"
          value={newPin}
          onChange={(e) => {
            setNewPin(e.target.value.replace(/\D/g, ''));
            setError(null);
          }}
        />
        <button
          type="button"
          data-testid="operator-reset"
          onClick={() => {
            const problem = pinProblem(newPin);
            if (problem) return setError(pinProblemMessage(problem));
            onAction(
              `Trocar o PIN de ${op.name}.`,
              (managerPin) => call(pos().operators.resetPin({ managerPin, id: op.id, pin: newPin })),
              `PIN de ${op.name} trocado.`,
            );
            setNewPin('');
          }}
        >
          Trocar PIN
        </button>
        {error ? (
          <span className="error-line" role="alert">
            {error}
          </span>
        ) : null}
      </td>
    </tr>
  );
}
