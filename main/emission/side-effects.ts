// Resolving Focus side effects a previous run journaled as 'pending' (the request may or may not
// have reached Focus). Each kind has a resolver that asks Focus what happened; see
// main/db/side-effects-repo.ts for how a new kind plugs in. Two kinds are resolved by the part
// that owns their own record: 'econf' (EconfService.start) and 'inutilizacao' (the register's
// Inutilizacoes.resolvePending) — both at start, from the same side_effects rows.
import type { Journal } from '../db/journal.ts';
import type { SideEffectRow } from '../db/side-effects-repo.ts';
import type { EmissionRow } from '../db/types.ts';
import type { FocusApi } from '../focus/types.ts';
import { answerOf, documentPatch } from './outcomes.ts';
import { CROSS_CHECK_KIND, settleInterruptedCrossCheck } from './cross-check.ts';
import type { FocusScheduler } from './scheduler.ts';
import type { Clock } from './types.ts';

export interface SideEffectContext {
  journal: Journal;
  api: FocusApi;
  scheduler: FocusScheduler;
  clock: Clock;
  queryDeadlineMs: number;
  /** A committed emission change (publish it). */
  changed: (row: EmissionRow) => void;
}

/** 'done' / 'failed' settle the side effect; null leaves it pending for the next start. */
export type SideEffectResolver = (row: SideEffectRow, ctx: SideEffectContext) => Promise<'done' | 'failed' | null>;

/** DELETE /v2/nfce/REF: the note's status at Focus says whether the cancellation happened. */
const resolveCancel: SideEffectResolver = async (row, ctx) => {
  if (!row.ref || row.emissionId === null) return 'failed';
  const q = await ctx.scheduler.run('resolve', () => ctx.api.query(row.ref!, { deadlineMs: ctx.queryDeadlineMs, completa: true }));
  ctx.journal.emissions.recordAnswer(row.emissionId, answerOf('query', q, ctx.clock.now()));
  if (q.kind !== 'ok') return null;
  if (q.body.status === 'cancelado') {
    const moved = ctx.journal.transaction(() => {
      const m = ctx.journal.emissions.transition(row.emissionId!, ['authorized', 'contingency_focus'], 'cancelled', documentPatch(q.body));
      ctx.journal.sideEffects.settle(row.id, 'done', { status: 'cancelado', learnedAtStart: true });
      if (m)
        ctx.journal.audit.add({
          actor: row.actor,
          action: 'cancel',
          saleId: row.saleId,
          details: { ref: row.ref, justificativa: row.payload.justificativa, learnedAtStart: true },
        });
      return m;
    });
    if (moved) ctx.changed(moved);
    return 'done';
  }
  ctx.journal.sideEffects.settle(row.id, 'failed', { status: q.body.status, learnedAtStart: true });
  return 'failed';
};

/** POST …/email cannot be asked about afterwards: the manager is told to send it again if needed. */
const resolveEmail: SideEffectResolver = async (row, ctx) => {
  ctx.journal.sideEffects.settle(row.id, 'failed', { unconfirmed: true });
  ctx.journal.audit.add({ actor: 'system', action: 'email_unconfirmed', saleId: row.saleId, details: { ref: row.ref, emails: row.payload.emails } });
  return 'failed';
};

export const SIDE_EFFECT_RESOLVERS: Record<string, SideEffectResolver> = {
  cancel: resolveCancel,
  email: resolveEmail,
  [CROSS_CHECK_KIND]: (row, ctx) => Promise.resolve(settleInterruptedCrossCheck(row, ctx.journal)),
};

/** Resolves every pending side effect once (unknown kinds are left for the part that owns them). */
export async function resolvePendingSideEffects(
  ctx: SideEffectContext,
  resolvers: Record<string, SideEffectResolver> = SIDE_EFFECT_RESOLVERS,
): Promise<{ resolved: number; open: number }> {
  let resolved = 0;
  let open = 0;
  for (const row of ctx.journal.sideEffects.listPending()) {
    const r = resolvers[row.kind];
    const out = r ? await r(row, ctx) : null;
    if (out) resolved++;
    else open++;
  }
  return { resolved, open };
}
