// "Abertura": the pre-flight checks in detail (manager), each green, yellow or red with its fix, and
// the one-line summary the cashier sees after logging in.
import { useState } from 'react';
import type { CheckLevel, PreflightReport } from '../../../shared/contract.ts';
import { useKeys } from '../../app/useKeys.ts';
import { call, messageOf, pos } from '../../pos.ts';
import { useSession } from '../../state/session.ts';
import { useUi } from '../../state/ui.ts';

const LEVEL: Record<CheckLevel, string> = { green: 'OK', yellow: 'Atenção', red: 'Problema' };

export function PreflightSummary() {
  const report = useSession((s) => s.preflight);
  const manager = useSession((s) => s.operator?.role === 'manager');
  if (!report || report.level === 'green') return null;
  const bad = report.checks.filter((c) => c.level !== 'green');
  return (
    <span
      className={`chip ${report.level === 'red' ? 'chip-bad' : 'chip-warn'}`}
      role="status"
      data-testid="preflight-summary"
      data-level={report.level}
      title={bad.map((c) => `${c.label}: ${c.detail}`).join('\n')}
    >
      Abertura: {bad.length} {bad.length === 1 ? 'aviso' : 'avisos'}
      {report.level === 'red' && !manager ? ' — chame o gerente' : ''}
      {manager ? (
        <button type="button" className="link-button" data-testid="preflight-open" onClick={() => useUi.getState().go('opening')}>
          ver
        </button>
      ) : null}
    </span>
  );
}

export function OpeningScreen() {
  const report = useSession((s) => s.preflight);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useKeys((e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      useUi.getState().go('checkout');
    }
  });
  const rerun = () => {
    setBusy(true);
    setError(null);
    call(pos().preflight.run({}))
      .then(
        (r) => useSession.setState({ preflight: r }),
        (e: unknown) => setError(messageOf(e)),
      )
      .finally(() => setBusy(false));
  };
  return (
    <div className="settings" data-testid="opening-screen">
      <header className="screen-head">
        <h2>Abertura do caixa</h2>
        <button type="button" data-testid="preflight-run" disabled={busy} onClick={rerun}>
          {busy ? 'Verificando…' : 'Verificar de novo'}
        </button>
        <button type="button" onClick={() => useUi.getState().go('checkout')}>
          Voltar ao caixa (Esc)
        </button>
      </header>
      {error ? (
        <p className="error-line" role="alert">
          {error}
        </p>
      ) : null}
      {report ? <Checks report={report} /> : <p className="hint">Clique em Verificar.</p>}
    </div>
  );
}

function Checks({ report }: { report: PreflightReport }) {
  return (
    <ul className="checks" data-testid="preflight-checks" data-level={report.level}>
      {report.checks.map((c) => (
        <li key={c.id} className={`check check-${c.level}`} data-testid={`check-${c.id}`} data-level={c.level}>
          <strong>
            {LEVEL[c.level]} · {c.label}
          </strong>{' '}
          — {c.detail}
          {c.fix ? <div className="check-fix">{c.fix}</div> : null}
        </li>
      ))}
    </ul>
  );
}
