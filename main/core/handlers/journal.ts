// The manager's tools for the sales journal itself: the full check on demand, the monthly
// cross-check with Focus's backup, and the guided restore of a hot backup. The restore also answers
// in the 'journal' phase (a damaged file, nobody logged in): the manager's PIN is asked there.
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import type { JournalBackupsView, OperatorView } from '../../../shared/contract.ts';
import { BackupError, describeBackups, foreignBackup, journalLineage, listBackups, restoreJournal, verifyBackupInWorker } from '../../db/backup.ts';
import { LAYOUT } from '../layout.ts';
import { PosFailure } from '../errors.ts';
import { requireManager, type ManagerDeps, type Services } from '../services.ts';
import type { Handlers } from './types.ts';

const RESTORE_EXPLANATION = [
  'A cópia escolhida é conferida antes de tudo: uma cópia danificada, ou de outro caixa ou loja, é recusada e nada muda.',
  'O caixa para de vender durante a restauração. O arquivo de vendas atual não é apagado: fica guardado ao lado, com a data de hoje no nome, para o suporte.',
  'As vendas feitas depois da cópia não estão nela. Antes de voltar a vender, o Balcão consulta a Focus NFe sobre cada uma e traz de volta as notas que a Focus tem.',
  'Sem internet, as vendas continuam suspensas até a consulta terminar. A restauração fica registrada na auditoria.',
];

/** What the journal's tools touch: the journal file itself, its backups and the manager's authority. */
type JournalDeps = ManagerDeps & Pick<Services, 'phase' | 'profile' | 'profileKey' | 'dataDir' | 'replaceJournal' | 'journalProblem'>;

/** The manager for a journal action: the session's in ready phase, the PIN typed now otherwise. */
async function manager(s: JournalDeps, pin: string | undefined): Promise<OperatorView> {
  if (s.phase() === 'ready') return requireManager(s, pin);
  if (!pin) throw new PosFailure('manager_required', 'Digite o PIN de um gerente para restaurar as vendas.');
  return s.operators.verifyManager(pin);
}

function backupDir(s: Pick<Services, 'settings'>): string {
  const dir = s.settings.get().backupDir;
  if (!dir)
    throw new PosFailure('backup_dir_missing', 'Nenhuma pasta de cópias de segurança foi configurada neste caixa. Chame o suporte com a cópia que você tem.');
  return dir;
}

function salesPort(s: Pick<Services, 'profile'>) {
  return s.profile().sales;
}

export const journalHandlers: Handlers<'journal.check' | 'journal.backups' | 'journal.restore' | 'journal.crossCheck' | 'journal.crossChecks', JournalDeps> = {
  async 'journal.check'(_input, s, ctx) {
    const sales = salesPort(s);
    if (!sales.checkJournal) throw new PosFailure('check_unavailable', 'A verificação completa não está disponível neste caixa.');
    const r = await sales.checkJournal();
    sales.audit(ctx.actor?.id ?? 'system', 'integrity_check', { ok: r.ok, onDemand: true, problems: r.items.filter((i) => !i.ok).map((i) => i.code) });
    return { ok: r.ok, checkedAt: new Date(s.clock()).toISOString(), ms: Math.round(r.ms), sales: r.sales, items: r.items };
  },

  async 'journal.backups'(input, s): Promise<JournalBackupsView> {
    await manager(s, input.managerPin);
    const dir = s.settings.get().backupDir ?? null;
    const lineage = journalLineage(LAYOUT.journal(s.dataDir, s.profileKey()));
    const list = dir ? await describeBackups(dir, s.profileKey(), { lineage }) : [];
    return {
      dir,
      backups: list.map((b) => ({ file: b.file, takenAt: b.takenAt, bytes: b.bytes, ok: b.ok, sales: b.sales, problem: b.problem })),
      explanation: RESTORE_EXPLANATION,
    };
  },

  async 'journal.restore'(input, s) {
    const actor = await manager(s, input.managerPin);
    const dir = backupDir(s);
    const key = s.profileKey();
    const source = listBackups(dir, key).find((p) => p.endsWith(`/${input.file}`) || p.endsWith(`\\${input.file}`));
    if (!source)
      throw new PosFailure('backup_unknown', 'Esta cópia de segurança não está na pasta das cópias deste caixa. Atualize a lista e escolha de novo.');
    const journalPath = LAYOUT.journal(s.dataDir, key);
    // Checked and staged on this disk before anything closes: a damaged copy (or a USB disk pulled
    // out meanwhile) is refused with the journal untouched and the caixa still selling.
    const staged = `${journalPath}.incoming`;
    let sales: number;
    try {
      copyFileSync(source, staged);
      const check = await verifyBackupInWorker(staged);
      sales = check.sales;
      // The copy must come from this till's own journal (same lineage): checked while still selling.
      const lineage = journalLineage(journalPath);
      if (lineage && check.journalId !== lineage) throw foreignBackup(input.file);
    } catch (e) {
      rmSync(staged, { force: true });
      if (e instanceof BackupError) throw e;
      throw new BackupError('backup_failed', 'A cópia de segurança não pôde ser lida. Confira se o disco ou a pasta de rede está conectado.', { cause: e });
    }
    const swap = { kept: null as string | null };
    try {
      const phase = await s.replaceJournal(() => {
        swap.kept = restoreJournal(staged, journalPath, s.clock).kept;
      });
      if (phase !== 'ready') {
        throw new PosFailure(
          'restore_not_opened',
          s.journalProblem()?.message ?? 'A cópia foi restaurada, mas o caixa ainda não abriu. Chame o suporte antes de vender.',
        );
      }
    } finally {
      if (existsSync(staged)) rmSync(staged, { force: true });
    }
    const port = salesPort(s);
    const problem = port.problem?.() ?? null;
    const relearning = problem?.code === 'journal_rolled_back';
    port.audit(actor.id, 'journal_restored', { backup: input.file, sales, kept: swap.kept ? basename(swap.kept) : null, relearning });
    return {
      restored: input.file,
      sales,
      kept: swap.kept,
      relearning,
      message: relearning
        ? `Cópia restaurada (${sales} vendas). O Balcão está consultando a Focus NFe sobre as vendas feitas depois da cópia e volta a vender sozinho ao terminar.`
        : `Cópia restaurada (${sales} vendas). O caixa já pode vender.`,
    };
  },

  async 'journal.crossCheck'(input, s, ctx) {
    const sales = salesPort(s);
    if (!sales.crossCheck) throw new PosFailure('cross_check_unavailable', 'A conferência com a Focus não está disponível neste caixa.');
    return sales.crossCheck(input.month, ctx.actor?.id ?? 'system');
  },

  'journal.crossChecks'(_input, s) {
    return salesPort(s).crossChecks?.() ?? [];
  },
};
