// The accountant's month export and the numbering gaps (inutilização), manager only.
import { join } from 'node:path';
import type { ChannelOutputs, ChannelParsed } from '../../../shared/contract.ts';
import { findGaps } from '../../reports/gaps.ts';
import { exportMonth } from '../../reports/month-export.ts';
import type { ManagerDeps, Services } from '../services.ts';
import { managerFor } from './register.ts';

/** The reports' channels: the manager check, the profile's journal and Focus client, and progress events. */
export type ReportsDeps = ManagerDeps & Pick<Services, 'profile' | 'events'>;

export async function monthExportHandler(input: ChannelParsed<'reports.monthExport'>, s: ReportsDeps): Promise<ChannelOutputs['reports.monthExport']> {
  const { manager } = await managerFor(s, input.managerPin);
  const p = s.profile();
  const result = await exportMonth({
    db: p.register.db,
    api: p.focus,
    month: input.month,
    environment: p.environment,
    cnpj: p.emitter().cnpj,
    archiveDir: p.archiveDir,
    outDir: join(p.archiveDir, 'exports'),
    ...(p.sales.background ? { background: <T>(fn: () => Promise<T>) => p.sales.background!(fn) } : {}),
    onProgress: (e) => s.events.emit('export.progress', { month: input.month, ...e }),
  });
  p.sales.audit(manager.id, 'month_export', { month: input.month, path: result.path, authorized: result.authorized, cancelled: result.cancelled });
  return result;
}

export async function gapsHandler(input: ChannelParsed<'reports.gaps'>, s: ReportsDeps): Promise<ChannelOutputs['reports.gaps']> {
  await managerFor(s, input.managerPin);
  const p = s.profile();
  return { gaps: findGaps(p.register.db, p.environment), inutilizacoes: p.inutilizacoes.list() };
}

export async function inutilizeHandler(input: ChannelParsed<'reports.inutilize'>, s: ReportsDeps): Promise<ChannelOutputs['reports.inutilize']> {
  const { manager } = await managerFor(s, input.managerPin);
  return s.profile().inutilizacoes.request({ serie: input.serie, from: input.from, to: input.to, justificativa: input.justificativa, actor: manager.id });
}
