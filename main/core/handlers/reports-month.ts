// The accountant's month export and the numbering gaps (inutilização), manager only.
import { join } from 'node:path';
import type { ChannelOutputs, ChannelParsed } from '../../../shared/contract.ts';
import { findGaps } from '../../reports/gaps.ts';
import { exportMonth } from '../../reports/month-export.ts';
import type { Services } from '../services.ts';
import { managerFor } from './register.ts';

export async function monthExportHandler(input: ChannelParsed<'reports.monthExport'>, s: Services): Promise<ChannelOutputs['reports.monthExport']> {
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

export async function gapsHandler(input: ChannelParsed<'reports.gaps'>, s: Services): Promise<ChannelOutputs['reports.gaps']> {
  await managerFor(s, input.managerPin);
  const p = s.profile();
  return { gaps: findGaps(p.register.db, p.environment), inutilizacoes: p.inutilizacoes.list() };
}

export async function inutilizeHandler(input: ChannelParsed<'reports.inutilize'>, s: Services): Promise<ChannelOutputs['reports.inutilize']> {
  const { manager } = await managerFor(s, input.managerPin);
  return s.profile().inutilizacoes.request({ serie: input.serie, from: input.from, to: input.to, justificativa: input.justificativa, actor: manager.id });
}
