// Where the journal's hot backups go: a folder on another disk (USB, network share). A copy is taken
// every few minutes and at closing, each one checked by reopening it.
import { useState } from 'react';
import type { PublicSettings } from '../../../shared/contract.ts';
import { call, pos } from '../../pos.ts';
import { SectionMessage, useManagerAction } from './useManagerAction.tsx';

export function BackupSection({ settings }: { settings: PublicSettings }) {
  const action = useManagerAction();
  const [dir, setDir] = useState(settings.backupDir ?? '');

  function save() {
    const backupDir = dir.trim() === '' ? null : dir.trim();
    action.request(
      backupDir ? 'Gravar as cópias de segurança nesta pasta.' : 'Parar as cópias de segurança.',
      (managerPin) => call(pos().settings.update({ managerPin, patch: { backupDir } })),
      backupDir ? 'Pasta das cópias de segurança salva: a próxima cópia sai em alguns minutos.' : 'Cópias de segurança desligadas.',
    );
  }

  return (
    <section className="settings-section" data-testid="settings-backup">
      <h3>Cópias de segurança das vendas</h3>
      <p className="hint">
        Use uma pasta em outro disco (pen drive, HD externo ou pasta de rede). O Balcão copia as vendas a cada 5 minutos e ao fechar, e confere cada cópia. Para
        restaurar, use “Restaurar uma cópia…” abaixo: antes de vender de novo, o Balcão consulta a Focus NFe sobre as vendas que faltarem na cópia.
      </p>
      <label className="field">
        <span>Pasta (caminho completo)</span>
        <input data-testid="settings-backup-dir" value={dir} placeholder="/media/pendrive/balcao ou E:\\Balcao" onChange={(e) => setDir(e.target.value)} />
      </label>
      <button type="button" className="primary" data-testid="save-backup" onClick={save}>
        Salvar
      </button>
      <SectionMessage message={action.message} testId="backup-message" />
      {action.dialog}
    </section>
  );
}
