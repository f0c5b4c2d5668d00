// The manager's operator screen and the audit trail. The access table (access.ts) already checked
// that a manager authorised the call; ctx.actor is that manager.
import { auditSafe } from './audit.ts';
import type { Services } from '../services.ts';
import type { Handlers } from './types.ts';

/** The operator directory, and the profile's audit trail. */
type OperatorDeps = Pick<Services, 'operators' | 'phase' | 'profile'>;

export const operatorHandlers: Handlers<'operators.list' | 'operators.create' | 'operators.update' | 'operators.resetPin' | 'audit.list', OperatorDeps> = {
  'operators.list'(_input, s) {
    return s.operators.all();
  },
  async 'operators.create'(input, s, ctx) {
    const op = await s.operators.create({ name: input.name, role: input.role, pin: input.pin });
    auditSafe(s, ctx.actor!.id, 'operator_created', { operator: op.id, name: op.name, role: op.role });
    return op;
  },
  'operators.update'(input, s, ctx) {
    const op = s.operators.update(input.id, { name: input.name, role: input.role, active: input.active });
    auditSafe(s, ctx.actor!.id, 'operator_updated', {
      operator: op.id,
      ...(input.name !== undefined ? { name: op.name } : {}),
      ...(input.role ? { role: op.role } : {}),
      ...(input.active !== undefined ? { active: op.active } : {}),
    });
    return op;
  },
  async 'operators.resetPin'(input, s, ctx) {
    await s.operators.setPin(input.id, input.pin);
    auditSafe(s, ctx.actor!.id, 'pin_reset', { operator: input.id });
    return { ok: true as const };
  },
  'audit.list'(input, s) {
    const names = new Map(s.operators.all().map((o) => [o.id, o.name]));
    // Local days of this terminal, inclusive.
    const from = input.from ? new Date(`${input.from}T00:00:00`).getTime() : undefined;
    const to = input.to ? new Date(`${input.to}T23:59:59.999`).getTime() : undefined;
    return s
      .profile()
      .sales.auditQuery({ fromMs: from, toMs: to, actor: input.actor, action: input.action, limit: input.limit })
      .map((e) => ({
        id: e.id,
        at: new Date(e.atMs).toISOString(),
        actor: e.actor,
        actorName: names.get(e.actor) ?? e.actor,
        action: e.action,
        saleId: e.saleId,
        details: e.details,
      }));
  },
};
