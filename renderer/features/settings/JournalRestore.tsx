// The guided restore of the sales journal from a hot backup: the list (date, size, sales, whether the
// copy passed its check now), what a restore does in plain Portuguese, and a confirmation. Used on
// the manager's Cópias de segurança section and on the screen a damaged journal stops on.
import { useState } from 'react';
import type { JournalBackupView, JournalBackupsView, JournalRestoreView } from '../../../shared/contract.ts';

const when = (iso: string) => (iso ? new Date(iso).toLocaleString('pt-BR', { dateStyle: 'short', timeStyle: 'short' }) : '—');
const size = (bytes: number) => `${(bytes / (1024 * 1024)).toLocaleString('pt-BR', { maximumFractionDigits: 1, minimumFractionDigits: 1 })} MB`;

export function JournalRestore({
  list,
  restore,
  busy,
}: {
  list: JournalBackupsView;
  /** Runs the restore of one file; resolves with the core's answer (errors are shown by the caller). */
  restore: (file: string) => Promise<JournalRestoreView | null>;
  busy: boolean;
}) {
  const [chosen, setChosen] = useState<JournalBackupView | null>(null);
  const [done, setDone] = useState<JournalRestoreView | null>(null);
  if (!list.dir) return <p className="hint">Nenhuma pasta de cópias de segurança configurada neste caixa.</p>;
  return (
    <div className="journal-restore" data-testid="journal-restore">
      <ul className="hint" data-testid="restore-explanation">
        {list.explanation.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      {list.backups.length === 0 ? (
        <p className="hint">Nenhuma cópia encontrada em {list.dir}.</p>
      ) : (
        <table className="table" data-testid="backup-list">
          <thead>
            <tr>
              <th>Cópia de</th>
              <th>Tamanho</th>
              <th>Vendas</th>
              <th>Conferência</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.backups.map((b) => (
              <tr key={b.file} data-testid="backup-row" data-file={b.file} data-ok={b.ok ? 'yes' : 'no'}>
                <td>{when(b.takenAt)}</td>
                <td>{size(b.bytes)}</td>
                <td>{b.sales ?? '—'}</td>
                <td>{b.ok ? 'íntegra' : <span className="error-line">{b.problem ?? 'danificada'}</span>}</td>
                <td>
                  <button type="button" data-testid="backup-choose" disabled={busy} onClick={() => setChosen(b)}>
                    Restaurar
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {chosen ? (
        <div className="confirm" role="group" data-testid="restore-confirm">
          <p>
            Restaurar a cópia de <strong>{when(chosen.takenAt)}</strong>
            {chosen.sales !== null ? ` (${chosen.sales} vendas)` : ''}? O arquivo atual fica guardado ao lado e as vendas feitas depois da cópia serão
            consultadas na Focus NFe antes de vender de novo.
          </p>
          <div className="row">
            <button
              type="button"
              className="primary"
              data-testid="restore-confirm-yes"
              disabled={busy}
              onClick={() => {
                const file = chosen.file;
                setChosen(null);
                void restore(file).then((r) => setDone(r));
              }}
            >
              Sim, restaurar esta cópia
            </button>
            <button type="button" data-testid="restore-confirm-no" onClick={() => setChosen(null)}>
              Não
            </button>
          </div>
        </div>
      ) : null}
      {done ? (
        <p className="ok-line" role="status" data-testid="restore-done">
          {done.message}
        </p>
      ) : null}
    </div>
  );
}
