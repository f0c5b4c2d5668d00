// Resolving Focus side effects a previous run journaled as 'pending' (the request may or may not
// have reached Focus). Each kind has a resolver that asks Focus what happened; see
// main/db/side-effects-repo.ts for how a new kind (e.g. ECONF) plugs in.
import type { Journal } from '../db/journal.ts';
import type { SideEffectRow } from '../db/side-effects-repo.ts';
import type { EmissionRow } from '../db/types.ts';
import type { FocusApi, FocusInutilizacaoRequest } from '../focus/types.ts';
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

/** POST /v2/inutilizacao: Focus's listing tells whether the range was voided. */
const resolveInutilizacao: SideEffectResolver = async (row, ctx) => {
  const req = row.payload as unknown as FocusInutilizacaoRequest;
  const o = await ctx.scheduler.run('resolve', () =>
    ctx.api.listInutilizacoes({ cnpj: req.cnpj, numero_inicial: req.numero_inicial, numero_final: req.numero_final }, { deadlineMs: ctx.queryDeadlineMs }),
  );
  if (o.kind !== 'ok') return null;
  const hit = o.body.find(
    (i) =>
      i.status === 'autorizado' &&
      String(i.serie) === String(req.serie) &&
      String(i.numero_inicial) === String(req.numero_inicial) &&
      String(i.numero_final) === String(req.numero_final),
  );
  ctx.journal.sideEffects.settle(row.id, hit ? 'done' : 'failed', { learnedAtStart: true, ...(hit ? { caminho_xml: hit.caminho_xml ?? null } : {}) });
  return hit ? 'done' : 'failed';
};

export const SIDE_EFFECT_RESOLVERS: Record<string, SideEffectResolver> = {
  cancel: resolveCancel,
  email: resolveEmail,
  inutilizacao: resolveInutilizacao,
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
