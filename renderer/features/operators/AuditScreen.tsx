// The audit trail on screen: who did what and when, filterable by period, operator and action.
import { useCallback, useEffect, useState } from 'react';
import type { AuditEntryView } from '../../../shared/contract.ts';
import { useKeys } from '../../app/useKeys.ts';
import { call, messageOf, pos } from '../../pos.ts';
import { isManager, useSession } from '../../state/session.ts';
import { useUi } from '../../state/ui.ts';

export const ACTION_LABEL: Record<string, string> = {
  login: 'Entrou no caixa',
  login_failed: 'PIN errado no login',
  logout: 'Saiu do caixa',
  pin_changed: 'Trocou o próprio PIN',
  pin_reset: 'PIN trocado pelo gerente',
  operator_created: 'Operador cadastrado',
  operator_updated: 'Operador alterado',
  settings_change: 'Configuração alterada',
  catalog_update: 'Produto alterado',
  secrets_provided: 'Token/certificado informado de novo',
  blocked_resent: 'Vendas bloqueadas reenviadas',
  cancel: 'Nota cancelada',
  discount_override: 'Desconto autorizado',
  resend: 'Nota reenviada',
};

export function AuditScreen() {
  const manager = useSession(isManager);
  const operators = useSession((s) => s.operators);
  const [rows, setRows] = useState<AuditEntryView[]>([]);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    setError(null);
    call(pos().audit.list({ ...(from ? { from } : {}), ...(to ? { to } : {}), ...(actor ? { actor } : {}), ...(action ? { action } : {}) })).then(
      setRows,
      (e: unknown) => setError(messageOf(e)),
    );
  }, [from, to, actor, action]);
  useEffect(load, [load]);
  useKeys((e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      useUi.getState().go('settings');
    }
  });
  if (!manager)
    return (
      <p className="error-line" role="alert">
        Só o gerente pode ver a auditoria.
      </p>
    );
  return (
    <div className="settings" data-testid="audit-screen">
      <header className="screen-head">
        <h2>Auditoria</h2>
        <button type="button" onClick={() => useUi.getState().go('settings')}>
          Voltar (Esc)
        </button>
      </header>
      <div className="row filters">
        <label className="field">
          <span>De</span>
          <input type="date" data-testid="audit-from" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="field">
          <span>Até</span>
          <input type="date" data-testid="audit-to" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <label className="field">
          <span>Operador</span>
          <select data-testid="audit-actor" value={actor} onChange={(e) => setActor(e.target.value)}>
            <option value="">Todos</option>
            {operators.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Ação</span>
          <select data-testid="audit-action" value={action} onChange={(e) => setAction(e.target.value)}>
            <option value="">Todas</option>
            {Object.entries(ACTION_LABEL).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error ? (
        <p className="error-line" role="alert">
          {error}
        </p>
      ) : null}
      <table className="table" data-testid="audit-table">
        <thead>
          <tr>
            <th>Quando</th>
            <th>Quem</th>
            <th>O quê</th>
            <th>Detalhes</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid="audit-row" data-action={r.action}>
              <td>{new Date(r.at).toLocaleString('pt-BR')}</td>
              <td>{r.actorName}</td>
              <td>{ACTION_LABEL[r.action] ?? r.action}</td>
              <td className="muted">
                {r.saleId !== null ? `Venda ${r.saleId} ` : ''}
                {describe(r.details)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? (
        <p className="hint" data-testid="audit-empty">
          Nenhum registro com esses filtros.
        </p>
      ) : null}
    </div>
  );
}

function describe(d: Record<string, unknown>): string {
  return Object.entries(d)
    .filter(([, v]) => v !== null && typeof v !== 'object')
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(' · ');
}
