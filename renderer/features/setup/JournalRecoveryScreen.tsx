// The screen a damaged sales journal stops on (phase 'journal'): why, what to do, and the guided
// restore of a verified backup with the manager's PIN (nobody can log in while the file is damaged).
import { useState } from 'react';
import type { JournalBackupsView } from '../../../shared/contract.ts';
import { call, messageOf, pos } from '../../pos.ts';
import { useSession } from '../../state/session.ts';
import { ErrorLine } from '../../components/ErrorLine.tsx';
import { isPinShaped, MANAGER_PIN_NEEDED, PinField } from '../../components/PinField.tsx';
import { JournalRestore } from '../settings/JournalRestore.tsx';

export function JournalRecoveryScreen() {
  const problem = useSession((s) => s.journalProblem);
  const [pin, setPin] = useState('');
  const [list, setList] = useState<JournalBackupsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = () => {
    if (!isPinShaped(pin)) return setError(MANAGER_PIN_NEEDED);
    setBusy(true);
    setError(null);
    call(pos().journal.backups({ managerPin: pin }))
      .then(setList, (e: unknown) => setError(messageOf(e)))
      .finally(() => setBusy(false));
  };
  const restore = async (file: string) => {
    setBusy(true);
    setError(null);
    try {
      const r = await call(pos().journal.restore({ file, managerPin: pin }));
      await useSession.getState().bootstrap();
      return r;
    } catch (e) {
      setError(messageOf(e));
      return null;
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="setup" data-testid="journal-screen" data-code={problem?.code ?? ''}>
      <h1>Arquivo de vendas danificado</h1>
      <p role="alert" data-testid="journal-reason">
        {problem?.message}
      </p>
      <PinField label="PIN do gerente" testId="journal-pin" value={pin} onChange={setPin} onEnter={load} />
      <div className="row">
        <button type="button" className="primary" data-testid="journal-list" disabled={busy} onClick={load}>
          Ver as cópias de segurança
        </button>
        <button type="button" data-testid="journal-retry" disabled={busy} onClick={() => void useSession.getState().bootstrap()}>
          Tentar abrir de novo
        </button>
      </div>
      {list ? <JournalRestore list={list} restore={restore} busy={busy} /> : null}
      <ErrorLine text={error} testId="journal-error" />
    </section>
  );
}
