import { PosFailure } from '../errors.ts';
import type { ProfileContingency } from '../ports.ts';
import { requireOperator, statusView, type Services, type StatusDeps } from '../services.ts';
import type { Handlers } from './types.ts';
import type { ContingencyItem } from '../../../shared/contract.ts';

/** The contingency panel reads the profile's backlog and tells the status bar. */
type ContingencyDeps = StatusDeps & Pick<Services, 'events'>;

export const contingencyHandlers: Handlers<'contingency.list' | 'contingency.sendNow', ContingencyDeps> = {
  'contingency.list'(_input, s) {
    const sales = s.profile().sales;
    const waiting = sales.contingency?.list() ?? [];
    // Rejected notes belong here too: they are sales without a valid note until someone acts.
    const rejected: ContingencyItem[] = (sales.problemSales?.() ?? []).map(({ sale, emission }) => ({
      saleId: sale.id,
      numero: emission.numero ?? '',
      serie: emission.serie ?? '',
      chave: emission.chave ?? '',
      createdAt: sale.createdAt,
      totalCents: sale.totalCents,
      state: emission.state,
      hoursLeft: 0,
      problem: emission.problem ?? { title: 'Nota rejeitada', fix: 'Abra a venda em Vendas (F8), corrija e reenvie.' },
    }));
    return [...rejected, ...waiting];
  },
  async 'contingency.sendNow'(_input, s) {
    requireOperator(s);
    const r = await contingencyOf(s).sendNow();
    s.events.emit('status.changed', statusView(s));
    return r;
  },
};

export function contingencyOf(s: Pick<Services, 'profile'>): ProfileContingency {
  const c = s.profile().sales.contingency;
  if (!c) {
    throw new PosFailure(
      'contingency_unavailable',
      'Contingência indisponível neste caixa. As vendas continuam guardadas e serão enviadas quando a conexão voltar.',
    );
  }
  return c;
}
