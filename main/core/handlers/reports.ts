// The manager's reports: a day or a period on screen and as CSV, the accountant's month, and the
// numbering gaps with their inutilização.
import { RegisterError } from '../../register/errors.ts';
import { periodReport } from '../../reports/period.ts';
import { periodCsv } from '../../reports/tables.ts';
import type { Handlers } from './types.ts';
import { managerFor, operatorName } from './register.ts';
import type { Services } from '../services.ts';
import { monthExportHandler, gapsHandler, inutilizeHandler, type ReportsDeps } from './reports-month.ts';

const MAX_DAYS = 400;

function checkRange(from: string, to: string): void {
  if (from > to) throw new RegisterError('amount_invalid', 'A data inicial é depois da data final. Corrija o período.');
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  if (days > MAX_DAYS) throw new RegisterError('amount_invalid', `Período longo demais (máximo ${MAX_DAYS} dias). Escolha um período menor.`);
}

/** A period of every terminal of this journal, or of one (terminalId). */
function report(s: Pick<Services, 'profile' | 'operators'>, q: { from: string; to: string; terminalId?: string | undefined }) {
  checkRange(q.from, q.to);
  return periodReport(s.profile().register.db, {
    from: q.from,
    to: q.to,
    ...(q.terminalId !== undefined ? { terminalId: q.terminalId } : {}),
    names: (id) => operatorName(s, id),
  });
}

export const reportsHandlers: Handlers<'reports.period' | 'reports.csv' | 'reports.monthExport' | 'reports.gaps' | 'reports.inutilize', ReportsDeps> = {
  async 'reports.period'(input, s) {
    await managerFor(s, input.managerPin);
    return report(s, input);
  },
  async 'reports.csv'(input, s) {
    await managerFor(s, input.managerPin);
    const r = report(s, input);
    const csv = periodCsv(s.profile().register.db, r, input.table, (id) => operatorName(s, id));
    const scope = input.terminalId !== undefined ? `-${input.terminalId}` : '';
    return { filename: `balcao-${input.table}${scope}-${input.from}_${input.to}.csv`, csv };
  },
  'reports.monthExport': monthExportHandler,
  'reports.gaps': gapsHandler,
  'reports.inutilize': inutilizeHandler,
};
