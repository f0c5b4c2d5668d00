// The manager's tools for the sales file: the full check now, the monthly comparison with Focus's
// backup (it also runs by itself each month), and the guided restore of a backup copy.
import { useState } from 'react';
import type { CrossCheckView, JournalBackupsView, JournalCheckView, JournalRestoreView } from '../../../shared/contract.ts';
import { call, PosCallError, pos } from '../../pos.ts';
import { useSession } from '../../state/session.ts';
import { SectionMessage, useManagerAction } from './useManagerAction.tsx';
import { JournalRestore } from './JournalRestore.tsx';

function previousMonth(): string {
  const d = new Date();
  const p = new Date(d.getFullYear(), d.getMonth() - 1, 1);
  return `${p.getFullYear()}-${String(p.getMonth() + 1).padStart(2, '0')}`;
}

export function JournalToolsSection() {
  const action = useManagerAction();
  const [check, setCheck] = useState<JournalCheckView | null>(null);
  const [cross, setCross] = useState<CrossCheckView | null>(null);
  const [month, setMonth] = useState(previousMonth);
  const [list, setList] = useState<JournalBackupsView | null>(null);

  const runCheck = () =>
    action.request(
      'Verificar o arquivo de vendas por inteiro.',
      async (managerPin) => {
        const r = await call(pos().journal.check({ ...(managerPin ? { managerPin } : {}) }));
        setCheck(r);
        return r;
      },
      () => 'Verificação concluída.',
    );
  const runCross = () =>
    action.request(
      'Conferir as notas do mês com o backup da Focus NFe.',
      async (managerPin) => {
        const r = await call(pos().journal.crossCheck({ month, ...(managerPin ? { managerPin } : {}) }));
        setCross(r);
        return r;
      },
      () => 'Conferência concluída.',
    );
  const loadBackups = () =>
    action.request(
      'Ver as cópias de segurança para restaurar.',
      async (managerPin) => {
        const r = await call(pos().journal.backups({ ...(managerPin ? { managerPin } : {}) }));
        setList(r);
        return r;
      },
      () => 'Escolha a cópia a restaurar.',
    );
  const restore = (file: string): Promise<JournalRestoreView | null> =>
    new Promise((resolve) => {
      action.request(
        'Restaurar a cópia de segurança escolhida.',
        async (managerPin) => {
          try {
            const r = await call(pos().journal.restore({ file, ...(managerPin ? { managerPin } : {}) }));
            resolve(r);
            setList(null);
            void useSession.getState().bootstrap();
            return r;
          } catch (e) {
            if (managerPin !== undefined || !(e instanceof PosCallError) || e.code !== 'manager_required') resolve(null);
            throw e;
          }
        },
        (r) => (r as JournalRestoreView).message,
      );
    });

  return (
    <section className="settings-section" data-testid="settings-journal">
      <h3>Arquivo de vendas</h3>
      <p className="hint">
        A verificação completa lê o arquivo inteiro e confere as regras das vendas (uma nota por venda, chaves e números sem repetição, totais). A conferência
        com a Focus compara as notas do mês com o backup mensal da Focus; ela também roda sozinha todo mês.
      </p>
      <div className="row">
        <button type="button" data-testid="journal-check" onClick={runCheck}>
          Verificar agora
        </button>
        <label className="field inline">
          <span>Mês</span>
          <input type="month" data-testid="cross-month" value={month} onChange={(e) => setMonth(e.target.value)} />
        </label>
        <button type="button" data-testid="journal-cross" onClick={runCross}>
          Conferir com a Focus
        </button>
        <button type="button" data-testid="journal-backups" onClick={loadBackups}>
          Restaurar uma cópia…
        </button>
      </div>
      <SectionMessage message={action.message} testId="journal-message" />
      {check ? (
        <div data-testid="journal-check-result" data-ok={check.ok ? 'yes' : 'no'}>
          <p className={check.ok ? 'ok-line' : 'error-line'}>
            {check.ok
              ? `Arquivo de vendas íntegro: ${check.sales} vendas conferidas.`
              : 'Foram encontrados problemas no arquivo de vendas. Não apague nada e chame o suporte.'}
          </p>
          <ul>
            {check.items.map((i) => (
              <li key={i.code} data-testid="journal-check-item" data-code={i.code} data-ok={i.ok ? 'yes' : 'no'}>
                {i.ok ? '✔' : '✖'} {i.label}
                {i.detail ? ` — ${i.detail}` : ''}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {cross ? (
        <div data-testid="journal-cross-result" data-state={cross.state}>
          <p className={cross.state === 'differences' ? 'error-line' : 'ok-line'}>{cross.message}</p>
          {cross.onlyAtFocus.length > 0 ? (
            <>
              <p>Só na Focus (o caixa não tem):</p>
              <ul>
                {cross.onlyAtFocus.map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            </>
          ) : null}
          {cross.onlyInJournal.length > 0 ? (
            <>
              <p>Só no caixa (a Focus não tem):</p>
              <ul>
                {cross.onlyInJournal.map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
      {list ? <JournalRestore list={list} restore={restore} busy={false} /> : null}
      {action.dialog}
    </section>
  );
}
