// SEFAZ is back (§6.1 step 3, §8 items 25–26): transmit every pending contingency note, then fix up
// the original attempt (cancel it if SEFAZ had authorized it, otherwise inutilize its number) and
// tell the webhooks. A note SEFAZ refuses cannot be effectivated: both numbers are inutilized.
import type { SandboxContext } from './context.ts';
import { normOf } from './documents.ts';
import { inutView, recordInutilizacao } from './inutilizacao.ts';
import { MSG, ruleKnobs, sefazCheck } from './sefaz-rules.ts';
import type { SandboxNote } from './types.ts';
import { noteView } from './view.ts';

const JUST_ORIGINAL = 'Numero substituido por NFC-e emitida em contingencia offline';
const JUST_FAILED = 'NFC-e em contingencia offline rejeitada na transmissao a SEFAZ';

/** Effectivate every pending contingency note; returns the refs handled. */
export function healAll(ctx: SandboxContext): string[] {
  const pending = ctx.store
    .allNotes()
    .filter((n) => n.contingency && !n.contingency.efetivada && !n.contingency.failed && n.status === 'autorizado')
    .sort((a, b) => (a.numero ?? 0) - (b.numero ?? 0));
  for (const note of pending) effectivate(ctx, note);
  return pending.map((n) => n.ref);
}

function effectivate(ctx: SandboxContext, note: SandboxNote): void {
  const c = note.contingency as NonNullable<SandboxNote['contingency']>;
  const now = ctx.now();
  const norm = normOf(note);
  // A tpEmis 9 note may carry an old dhEmi: judged with the contingency deadline, not the 5 minutes.
  const rejection =
    c.plannedEffectivation === 'fail'
      ? { cStat: '778', xMotivo: `${MSG['778']} [nItem:1]` }
      : sefazCheck(norm, {
          env: note.env,
          ...ruleKnobs(ctx),
          now,
          offline: true,
          offlineMaxAgeMs: ctx.opts.offlineMaxAgeMs,
          numero: note.numero as number,
          cnf: note.cnf as string,
        });
  const inuts = [];
  const o = c.original;
  if (o) {
    // The original could only have been authorized if its data were acceptable.
    if (o.reachedSefaz && !rejection) {
      o.outcome = 'cancelado';
      o.cancelProtocolo = ctx.newProtocol();
    } else {
      o.reachedSefaz = false;
      o.authProtocolo = null;
      o.outcome = 'inutilizado';
      inuts.push(recordInutilizacao(ctx, note.env, o.serie, o.numero, o.numero, JUST_ORIGINAL, 'contingency'));
    }
    o.resolvedAt = now;
  }
  if (!rejection) {
    c.efetivada = true;
    c.effectivatedAt = now;
    note.authorizedAt = now;
    note.protocolo = ctx.newProtocol();
    note.statusSefaz = '100';
    note.mensagemSefaz = MSG['100'];
  } else {
    c.failed = true;
    inuts.push(recordInutilizacao(ctx, note.env, note.serie as number, note.numero as number, note.numero as number, JUST_FAILED, 'contingency'));
    if ((ctx.faults.value.failedEffectivationStatus ?? 'autorizado') === 'erro_autorizacao') {
      note.status = 'erro_autorizacao';
      note.statusSefaz = rejection.cStat;
      note.mensagemSefaz = rejection.xMotivo;
    }
  }
  note.updatedAt = now;
  note.history = [...note.history, { at: now, status: note.status, statusSefaz: rejection?.cStat ?? '100', numero: note.numero }];
  ctx.store.putNote(note);
  ctx.onEvent(note.env, 'nfce_contingencia', note.cnpj, noteView(note));
  for (const i of inuts) ctx.onEvent(note.env, 'inutilizacao', note.cnpj, inutView(i));
}
