// One sale, one valid note. A sale whose normal POST had left when the link fell (outcome unknown)
// and that was then issued in contingency has two attempts. The engine resolves the earlier one
// with GET (it never POSTs it again once a later attempt exists); this settles what it turned out
// to be: authorized → cancelled with a justificativa inside the 30-minute window and marked
// 'superseded', or, past the window, flagged to the manager for "cancelamento por substituição"
// (event 110112, which Focus does not expose). Not authorized → nothing to cancel.
import type { EmissionView } from '../../shared/emission.ts';
import { formatChave } from '../../shared/fiscal/chave.ts';
import type { EmissionRow } from '../db/types.ts';
import type { ContingencyStore } from './store.ts';
import { problemPatch } from '../emission/problem.ts';

export const SUBSTITUTION_TITLE = 'Cancelamento por substituição necessário';
export const RECONCILE_JUSTIFICATIVA = 'Venda emitida novamente em contingencia off-line; nota em duplicidade cancelada';

export interface CancelPort {
  /** AfterSale.cancelEmission: throws EmissionError('cancel_window_closed' | …) when refused. */
  cancelEmission(emissionId: number, justificativa: string, actor: string): Promise<EmissionView>;
}

export interface ReconcilerDeps {
  store: ContingencyStore;
  cancel: CancelPort;
  onChange?: (row: EmissionRow) => void;
}

export interface ReconcileReport {
  cancelled: number;
  flagged: number;
  waiting: number;
}

function errorCode(err: unknown): string | undefined {
  const c = (err as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
}

export class Reconciler {
  private readonly d: ReconcilerDeps;
  private running: Promise<ReconcileReport> | null = null;

  constructor(deps: ReconcilerDeps) {
    this.d = deps;
  }

  run(): Promise<ReconcileReport> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<ReconcileReport> {
    const report: ReconcileReport = { cancelled: 0, flagged: 0, waiting: 0 };
    const em = this.d.store.journal.emissions;
    for (const { earlier, substitute } of this.d.store.earlierAttempts()) {
      if (earlier.state !== 'authorized') {
        // sending/unknown: the engine is resolving it; contingency_focus: wait for effectivation.
        report.waiting++;
        continue;
      }
      if (earlier.blockReason === 'substitution_needed') continue;
      try {
        await this.d.cancel.cancelEmission(earlier.id, RECONCILE_JUSTIFICATIVA, 'system');
        const moved = em.transition(earlier.id, 'cancelled', 'superseded', {});
        this.d.store.journal.audit.add({
          actor: 'system',
          action: 'contingency',
          saleId: earlier.saleId,
          details: { event: 'earlier-attempt-cancelled', ref: earlier.ref, numero: earlier.numero, serie: earlier.serie, substitute: substitute.chave },
        });
        if (moved) this.d.onChange?.(moved);
        report.cancelled++;
      } catch (err) {
        const code = errorCode(err);
        if (code === 'cancel_window_closed' || code === 'cancel_refused') {
          const row = em.update(
            earlier.id,
            problemPatch(
              'substitution_needed',
              SUBSTITUTION_TITLE,
              `Esta venda tem duas notas autorizadas: a NFC-e nº ${earlier.numero ?? '?'} série ${earlier.serie ?? '?'} ` +
                `(enviada antes da queda da internet) e a nota em contingência nº ${substitute.numero} série ${substitute.serie}, ` +
                `entregue ao cliente. ${code === 'cancel_window_closed' ? 'O prazo de 30 minutos para cancelar a primeira terminou' : 'A SEFAZ recusou o cancelamento da primeira'}: ` +
                `peça ao contador o cancelamento por substituição (evento 110112) da nota nº ${earlier.numero ?? '?'}, ` +
                `informando como substituta a chave ${substitute.chave ? formatChave(substitute.chave) : '(em contingência)'}.`,
            ),
          );
          this.d.store.journal.audit.add({
            actor: 'system',
            action: 'contingency',
            saleId: earlier.saleId,
            details: { event: 'substitution-needed', ref: earlier.ref, reason: code },
          });
          this.d.onChange?.(row);
          report.flagged++;
        } else {
          // Unreachable or unconfirmed: try again on the next pass.
          report.waiting++;
        }
      }
    }
    return report;
  }
}
