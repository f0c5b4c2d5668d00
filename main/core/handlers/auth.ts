import { DEMO_OPERATORS } from '../../auth/operators.ts';
import { publicSettings, statusView, type PublicSettingsDeps, type Services, type StatusDeps } from '../services.ts';
import { auditSafe } from './audit.ts';
import type { Handlers } from './types.ts';

/** Login and the session: operators, the clock for the grace window, and what the first screen shows. */
type AuthDeps = StatusDeps & PublicSettingsDeps & Pick<Services, 'operators' | 'clock' | 'events' | 'secretsProblem' | 'enter' | 'journalProblem'>;

export const authHandlers: Handlers<'session.bootstrap' | 'auth.operators' | 'auth.login' | 'auth.logout' | 'auth.verifyManager' | 'auth.changePin', AuthDeps> =
  {
    async 'session.bootstrap'(_input, s) {
      // A damaged journal may have been put right by hand (a sound copy back in place): look again.
      const phase = s.phase() === 'journal' ? await s.enter() : s.phase();
      const journal = s.journalProblem();
      const demo = phase === 'ready' && s.profile().demo;
      const problem = s.secretsProblem();
      return {
        phase,
        ...(problem ? { secrets: problem } : {}),
        ...(journal ? { journal } : {}),
        status: statusView(s),
        operators: phase === 'ready' || phase === 'secrets' || phase === 'journal' ? s.operators.list() : [],
        settings: await publicSettings(s),
        demo,
        ...(demo ? { demoLogins: demoLogins(s) } : {}),
      };
    },
    'auth.operators'(_input, s) {
      return s.operators.list();
    },
    async 'auth.login'(input, s) {
      try {
        const op = await s.operators.login(input.operatorId, input.pin);
        s.session.operator = op;
        s.session.managerAuthAt = op.role === 'manager' ? s.clock() : null;
        s.session.lastActivityAt = s.clock();
        auditSafe(s, op.id, 'login', {});
        s.events.emit('status.changed', statusView(s));
        return op;
      } catch (e) {
        auditSafe(s, input.operatorId, 'login_failed', { code: (e as { code?: string }).code ?? 'internal' });
        throw e;
      }
    },
    'auth.logout'(_input, s) {
      const was = s.session.operator;
      s.session.operator = null;
      s.session.managerAuthAt = null;
      if (was) auditSafe(s, was.id, 'logout', {});
      s.events.emit('status.changed', statusView(s));
      return null;
    },
    async 'auth.verifyManager'(input, s) {
      const m = await s.operators.verifyManager(input.pin);
      if (s.session.operator?.id === m.id) s.session.managerAuthAt = s.clock();
      return { ok: true as const };
    },
    async 'auth.changePin'(input, s) {
      const me = s.session.operator!;
      // The current PIN goes through the same lockout as a login.
      await s.operators.login(me.id, input.currentPin);
      await s.operators.setPin(me.id, input.newPin);
      auditSafe(s, me.id, 'pin_changed', { operator: me.id });
      return { ok: true as const };
    },
  };

function demoLogins(s: Pick<Services, 'operators'>): { operatorId: string; name: string; pin: string }[] {
  const present = new Set(s.operators.list().map((o) => o.id));
  return DEMO_OPERATORS.filter((o) => present.has(o.id)).map((o) => ({ operatorId: o.id, name: o.name, pin: o.pin }));
}
