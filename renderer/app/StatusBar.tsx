// Environment, link health, notes waiting, operator: what the cashier and the manager glance at.
import type { LinkState } from '../../shared/contract.ts';
import { useSession } from '../state/session.ts';
import { useUi } from '../state/ui.ts';
import { PreflightSummary } from '../features/setup/OpeningScreen.tsx';
import { WeakStorageBanner } from './WeakStorageBanner.tsx';
import { PixAttentionChip } from '../features/pix/PixAttentionChip.tsx';

const LINK: Record<LinkState, { label: string; tone: string }> = {
  online: { label: 'Internet: online', tone: 'ok' },
  degraded: { label: 'Internet: instável', tone: 'warn' },
  offline: { label: 'Internet: offline', tone: 'bad' },
};

export function StatusBar() {
  const status = useSession((s) => s.status);
  const demo = useSession((s) => s.demo);
  const operator = useSession((s) => s.operator);
  const env = demo ? 'DEMONSTRAÇÃO' : status?.environment === 'producao' ? 'PRODUÇÃO' : 'HOMOLOGAÇÃO';
  const envTone = demo ? 'demo' : status?.environment === 'producao' ? 'prod' : 'homolog';
  const link = LINK[status?.link ?? 'online'];
  return (
    <header className="statusbar" data-testid="status-bar">
      <span className="brand">Balcão</span>
      <span className={`chip env-${envTone}`} data-testid="env-chip">
        {env}
      </span>
      <span className={`chip chip-${link.tone}`} data-testid="link-chip" data-link={status?.link ?? 'online'}>
        {link.label}
      </span>
      <span className={`chip ${status && status.pendingNotes > 0 ? 'chip-warn' : 'chip-muted'}`} data-testid="pending-chip">
        Notas pendentes: {status?.pendingNotes ?? 0}
      </span>
      <span
        className={`chip ${status && status.contingencyNotes > 0 ? (status.oldestContingencyHoursLeft !== null && status.oldestContingencyHoursLeft <= 12 ? 'chip-bad' : 'chip-warn') : 'chip-muted'}`}
        data-testid="contingency-chip"
      >
        Contingência: {status?.contingencyNotes ?? 0}
        {status && status.contingencyNotes > 0 && status.oldestContingencyHoursLeft !== null
          ? status.oldestContingencyHoursLeft <= 0
            ? ' · prazo de 24 h vencido'
            : ` · prazo em ${Math.floor(status.oldestContingencyHoursLeft)}h${String(Math.floor((status.oldestContingencyHoursLeft % 1) * 60)).padStart(2, '0')}`
          : ''}
      </span>
      {status && status.problemNotes > 0 ? (
        <button type="button" className="chip chip-bad" data-testid="problem-chip" onClick={() => useUi.getState().go('history')}>
          Rejeitadas: {status.problemNotes}
        </button>
      ) : null}
      {status?.journal ? (
        <span className="chip chip-bad" role="alert" data-testid="journal-chip" data-code={status.journal.code} title={status.journal.message}>
          {status.journal.message}
        </span>
      ) : null}
      {status && !status.printer.ok ? (
        <span className="chip chip-bad" data-testid="printer-chip" title={status.printer.message ?? ''}>
          Impressora: {status.printer.message ?? 'com problema'}
        </span>
      ) : null}
      <PixAttentionChip />
      <PreflightSummary />
      <WeakStorageBanner />
      <span className="spacer" />
      {operator ? (
        <>
          <span className="operator" data-testid="operator-name">
            {operator.name} · {operator.role === 'manager' ? 'Gerente' : 'Caixa'}
          </span>
          <button type="button" className="link-button" data-testid="change-pin" onClick={() => useUi.getState().open({ kind: 'changePin' })}>
            Meu PIN
          </button>
          <button
            type="button"
            className="link-button"
            data-testid="logout"
            onClick={() => {
              void useSession.getState().logout();
              useUi.getState().go('checkout');
            }}
          >
            Trocar operador
          </button>
        </>
      ) : null}
    </header>
  );
}
