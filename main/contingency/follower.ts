// Focus's automatic contingency (SEFAZ down, Focus up): the engine adopts an `autorizado` answer
// with contingencia_offline=true as 'contingency_focus' and the receipt is printed as a contingency
// receipt. This follows those notes — sparse GETs on a low-priority lane, or at once when the
// nfce_contingencia webhook says something happened — until contingencia_offline_efetivada, and
// records what Focus did with the earlier attempt (tentativa_anterior).
import { z } from 'zod';
import type { FocusApi } from '../focus/types.ts';
import type { FocusScheduler, Lane } from '../emission/scheduler.ts';
import { answerOf, decideQuery, documentPatch } from '../emission/outcomes.ts';
import type { EmissionRow } from '../db/types.ts';
import type { ContingencyStore } from './store.ts';

export interface FollowerDeps {
  store: ContingencyStore;
  api: FocusApi;
  /** The engine's FocusScheduler (only run() is used). */
  scheduler: Pick<FocusScheduler, 'run'>;
  now?: () => number;
  lane?: Lane;
  /** Minimum time between two GETs of the same note (Focus retries for 24 h; no need to hurry). */
  intervalMs?: number;
  queryDeadlineMs?: number;
  onChange?: (row: EmissionRow) => void;
}

/** What a webhook delivery must at least carry; everything else is ignored (the GET is the truth). */
export const ContingencyWebhook = z.object({
  ref: z.string().regex(/^[A-Za-z0-9_]{1,60}$/),
  status: z.string().max(40).optional(),
  contingencia_offline: z.boolean().optional(),
  contingencia_offline_efetivada: z.boolean().optional(),
});

export class FocusContingencyFollower {
  private readonly d: FollowerDeps;
  private readonly now: () => number;
  private readonly lastAsked = new Map<number, number>();
  private running: Promise<number> | null = null;

  constructor(deps: FollowerDeps) {
    this.d = deps;
    this.now = deps.now ?? Date.now;
  }

  /** GETs every contingency_focus note not asked about within the interval; returns how many settled. */
  follow(opts: { force?: boolean } = {}): Promise<number> {
    this.running ??= this.runFollow(opts.force === true).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runFollow(force: boolean): Promise<number> {
    const interval = this.d.intervalMs ?? 120_000;
    let settled = 0;
    for (const row of this.d.store.byState(['contingency_focus'])) {
      const last = this.lastAsked.get(row.id) ?? row.updatedMs;
      if (!force && this.now() - last < interval) continue;
      if (await this.followOne(row.id)) settled++;
    }
    return settled;
  }

  /** One GET; true when the note left contingency_focus (efetivada, or a final state). */
  async followOne(emissionId: number): Promise<boolean> {
    const em = this.d.store.journal.emissions;
    const row = em.get(emissionId);
    if (!row || row.state !== 'contingency_focus') return false;
    this.lastAsked.set(row.id, this.now());
    let q;
    try {
      q = await this.d.scheduler.run(this.d.lane ?? 'resolve', () =>
        this.d.api.query(row.ref, { deadlineMs: this.d.queryDeadlineMs ?? 15_000, completa: true }),
      );
    } catch {
      return false;
    }
    const answer = answerOf('query', q, this.now());
    const d = decideQuery(q);
    if (d.kind === 'adopt' && d.to !== 'contingency_focus') {
      const moved = em.transition(row.id, 'contingency_focus', d.to, { ...d.patch, contingenciaOffline: true }, answer);
      if (moved) {
        this.lastAsked.delete(row.id);
        if (q.kind === 'ok') this.recordTentativa(moved, q.body.tentativa_anterior);
        this.d.onChange?.(moved);
        return true;
      }
      return false;
    }
    em.recordAnswer(row.id, answer);
    if (q.kind === 'ok' && q.body.status === 'autorizado') {
      // Still waiting; keep what changed (e.g. tentativa_anterior resolved before effectivation).
      const updated = em.update(row.id, documentPatch(q.body));
      this.d.onChange?.(updated);
    }
    return false;
  }

  private recordTentativa(row: EmissionRow, t: unknown): void {
    if (!t || typeof t !== 'object') return;
    const ta = t as Record<string, unknown>;
    const pick = (k: string) => (typeof ta[k] === 'string' ? ta[k] : undefined);
    this.d.store.journal.audit.add({
      actor: 'focus',
      action: 'contingency',
      saleId: row.saleId,
      details: {
        event: 'efetivada',
        ref: row.ref,
        chave: row.chave,
        tentativa_anterior: {
          status: pick('status'),
          serie: pick('serie'),
          numero: pick('numero'),
          chave_nfe: pick('chave_nfe'),
          numero_protocolo: pick('numero_protocolo'),
          caminho_xml_cancelamento: pick('caminho_xml_cancelamento'),
        },
      },
    });
  }

  /**
   * The nfce_contingencia webhook handler the host may mount. The body is only a hint: the note
   * is looked up with GET at once (a forged delivery can at most cost one request).
   */
  async handleWebhook(body: unknown): Promise<{ accepted: boolean; settled: boolean }> {
    const parsed = ContingencyWebhook.safeParse(body);
    if (!parsed.success) return { accepted: false, settled: false };
    const row = this.d.store.journal.emissions.getByRef(parsed.data.ref);
    if (!row || row.state !== 'contingency_focus') return { accepted: row !== null, settled: false };
    return { accepted: true, settled: await this.followOne(row.id) };
  }
}
