import { PosFailure } from '../errors.ts';
import type { ProfileContingency } from '../ports.ts';
import { requireOperator, statusView, type Services } from '../services.ts';
import type { Handlers } from './types.ts';

export const contingencyHandlers: Handlers<'contingency.list' | 'contingency.sendNow'> = {
  'contingency.list'(_input, s) {
    return s.profile().sales.contingency?.list() ?? [];
  },
  async 'contingency.sendNow'(_input, s) {
    requireOperator(s);
    const r = await contingencyOf(s).sendNow();
    s.events.emit('status.changed', statusView(s));
    return r;
  },
};

export function contingencyOf(s: Services): ProfileContingency {
  const c = s.profile().sales.contingency;
  if (!c) {
    throw new PosFailure('contingency_unavailable', 'Contingência indisponível neste caixa. As vendas continuam guardadas e serão enviadas quando a conexão voltar.');
  }
  return c;
}
