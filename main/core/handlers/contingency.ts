import { requireOperator, type Services } from '../services.ts';
import type { Handlers } from './types.ts';

type ContingencyDeps = Pick<Services, 'session' | 'profile' | 'publishStatus'>;

export const contingencyHandlers: Handlers<'contingency.list' | 'contingency.sendNow', ContingencyDeps> = {
  'contingency.list'(_input, s) {
    return s.profile().sales.contingency.list();
  },
  async 'contingency.sendNow'(_input, s) {
    requireOperator(s);
    const r = await s.profile().sales.contingency.sendNow();
    s.publishStatus();
    return r;
  },
};
