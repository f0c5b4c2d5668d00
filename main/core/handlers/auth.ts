import { DEMO_OPERATORS } from '../../auth/operators.ts';
import { publicSettings, statusView, type Services, type StatusDeps } from '../services.ts';
import type { Handlers } from './types.ts';

type AuthDeps = StatusDeps & Pick<Services, 'operators' | 'vault' | 'publishStatus'>;

export const authHandlers: Handlers<'session.bootstrap' | 'auth.operators' | 'auth.login' | 'auth.logout' | 'auth.verifyManager', AuthDeps> = {
  async 'session.bootstrap'(_input, s) {
    const demo = s.profile().demo;
    const operators = s.operators.list();
    return {
      status: statusView(s),
      operators,
      settings: await publicSettings(s),
      demo,
      ...(demo ? { demoLogins: demoLogins(s) } : {}),
    };
  },
  'auth.operators'(_input, s) {
    return s.operators.list();
  },
  async 'auth.login'(input, s) {
    const op = await s.operators.login(input.operatorId, input.pin);
    s.session.operator = op;
    s.publishStatus();
    return op;
  },
  'auth.logout'(_input, s) {
    s.session.operator = null;
    s.publishStatus();
    return null;
  },
  async 'auth.verifyManager'(input, s) {
    await s.operators.verifyManager(input.pin);
    return { ok: true as const };
  },
};

function demoLogins(s: Pick<Services, 'operators'>): { operatorId: string; name: string; pin: string }[] {
  const present = new Set(s.operators.list().map((o) => o.id));
  return DEMO_OPERATORS.filter((o) => present.has(o.id)).map((o) => ({ operatorId: o.id, name: o.name, pin: o.pin }));
}
