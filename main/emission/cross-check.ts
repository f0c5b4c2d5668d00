// Monthly cross-check of the journal against Focus's own backup of the month (GET /v2/backups/CNPJ.json,
// spec §7.2: one ZIP of the month's XMLs). It finds what no single sale's flow can see:
// - notes Focus holds and the journal lacks (a journal restored from an old copy, a sale lost with its
//   file): the rolled-back journal is re-learned first; whatever is still missing is listed for the
//   manager with número, série, value and date read from Focus's XML;
// - notes the journal holds as issued and Focus's backup lacks (a Focus that lost a note): each is
//   asked with GET by its ref, since the weekly backup may simply not have it yet; only what Focus
//   does not know is listed;
// - notes Focus holds as cancelled and the journal as authorized: the cancellation is re-learned.
// The run is journaled as a side effect (kind 'cross_check', GET only: nothing to undo), its result
// kept with it, so the manager's screen and the monthly automatic run read the same record.
import { unzipSync } from 'fflate';
import { XMLParser } from 'fast-xml-parser';
import type { Journal } from '../db/journal.ts';
import type { SideEffectRow } from '../db/side-effects-repo.ts';
import type { EmissionRow } from '../db/types.ts';
import type { FocusApi } from '../focus/types.ts';
import type { CrossCheckView } from '../../shared/contract.ts';
import type { Environment } from '../../shared/sale.ts';
import { answerOf, documentPatch } from './outcomes.ts';
import type { FocusScheduler } from './scheduler.ts';

export const CROSS_CHECK_KIND = 'cross_check';
/** GETs one run may spend confirming notes the backup lacks (the rest is listed as unconfirmed). */
const CONFIRM_CAP = 60;
const LIST_CAP = 200;

export interface FocusBackupNote {
  chave: string;
  numero: string | null;
  serie: string | null;
  valor: string | null;
  emitidaEm: string | null;
}

export interface CrossCheckDeps {
  journal: Journal;
  api: FocusApi;
  scheduler: FocusScheduler;
  environment: Environment;
  cnpj: string;
  now: () => number;
  queryDeadlineMs: number;
  /** Re-learns a rolled-back journal (the engine's relearn); null when not rolled back. */
  relearn?: () => Promise<unknown>;
  /** A committed emission change (publish it). */
  changed?: (row: EmissionRow) => void;
}

const parser = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, parseTagValue: false });

type Node = Record<string, unknown>;
const child = (n: unknown, k: string): Node | undefined => (n && typeof n === 'object' ? ((n as Node)[k] as Node | undefined) : undefined);
const text = (n: unknown, k: string): string | null => {
  const v = child(n, k);
  return v === undefined || v === null ? null : String(v);
};

/** The notes and the cancellations in Focus's monthly XML ZIP (read from the XMLs, not the file names). */
export function readBackupZip(zip: Uint8Array): { notes: Map<string, FocusBackupNote>; cancelled: Set<string> } {
  const notes = new Map<string, FocusBackupNote>();
  const cancelled = new Set<string>();
  const files = unzipSync(zip, { filter: (f) => /\.xml$/i.test(f.name) });
  const dec = new TextDecoder();
  for (const bytes of Object.values(files)) {
    let doc: Node;
    try {
      doc = parser.parse(dec.decode(bytes)) as Node;
    } catch {
      continue;
    }
    const inf = child(child(child(doc, 'nfeProc'), 'NFe'), 'infNFe') ?? child(child(doc, 'NFe'), 'infNFe');
    const id = inf ? text(inf, '@_Id') : null;
    if (inf && id && /^NFe\d{44}$/.test(id)) {
      const ide = child(inf, 'ide');
      notes.set(id.slice(3), {
        chave: id.slice(3),
        numero: text(ide, 'nNF'),
        serie: text(ide, 'serie'),
        valor: text(child(child(inf, 'total'), 'ICMSTot'), 'vNF'),
        emitidaEm: text(ide, 'dhEmi'),
      });
      continue;
    }
    const ev = child(child(child(doc, 'procEventoNFe'), 'evento'), 'infEvento');
    const ch = text(ev, 'chNFe');
    if (ch && text(ev, 'tpEvento') === '110111') cancelled.add(ch);
  }
  return { notes, cancelled };
}

interface JournalNote {
  id: number;
  saleId: number;
  ref: string;
  chave: string;
  state: string;
}

/** The month's notes the journal holds as issued at Focus (authorized, cancelled, Focus's contingency). */
function journalNotes(j: Journal, env: Environment, cnpj: string, yymm: string): JournalNote[] {
  return j.db
    .prepare(
      `SELECT id, sale_id, ref, chave, state FROM emissions
       WHERE chave IS NOT NULL AND environment = ? AND substr(chave, 3, 4) = ? AND substr(chave, 7, 14) = ?
         AND state IN ('authorized', 'cancelled', 'contingency_focus')`,
    )
    .all(env, yymm, cnpj.padStart(14, '0'))
    .map((r) => ({ id: Number(r.id), saleId: Number(r.sale_id), ref: String(r.ref), chave: String(r.chave), state: String(r.state) }));
}

/** 'YYYY-MM' → the chave's AAMM and Focus's 'YYYYMM'. */
const monthKeys = (month: string) => ({ yymm: month.slice(2, 4) + month.slice(5, 7), mes: month.replace('-', '') });

/** Runs the cross-check of one month; the result is the side effect's result (also when unavailable). */
export async function crossCheckMonth(d: CrossCheckDeps, month: string, actor: string): Promise<CrossCheckView> {
  const j = d.journal;
  const row = j.sideEffects.begin({ kind: CROSS_CHECK_KIND, actor, payload: { month, cnpj: d.cnpj, environment: d.environment } });
  const checkedAt = new Date(d.now()).toISOString();
  const { yymm, mes } = monthKeys(month);
  const label = `${month.slice(5, 7)}/${month.slice(0, 4)}`;
  const finish = (v: Omit<CrossCheckView, 'month' | 'checkedAt'>): CrossCheckView => {
    const view: CrossCheckView = { month, checkedAt, ...v };
    j.sideEffects.settle(row.id, v.state === 'unavailable' ? 'failed' : 'done', view as unknown as Record<string, unknown>);
    if (v.state !== 'unavailable')
      j.audit.add({
        actor,
        action: 'cross_check',
        details: { month, state: v.state, onlyAtFocus: v.onlyAtFocus.length, onlyInJournal: v.onlyInJournal.length, relearned: v.relearned },
      });
    return view;
  };
  const unavailable = (message: string) =>
    finish({ state: 'unavailable', message, focusNotes: 0, journalNotes: 0, onlyAtFocus: [], onlyInJournal: [], relearned: 0 });
  try {
    if (!d.api.backups) return unavailable('Este emissor não oferece o backup mensal da Focus.');
    const list = await d.scheduler.run('background', () => d.api.backups!(d.cnpj, { deadlineMs: d.queryDeadlineMs }));
    if (list.kind !== 'ok') return unavailable('Não foi possível consultar os backups da Focus agora. A conferência será tentada de novo.');
    const entry = list.body.backups?.find((b) => b.mes === mes);
    if (!entry?.xmls) return unavailable(`A Focus ainda não tem backup de ${label} (é gerado no dia 1 do mês seguinte e atualizado aos sábados).`);
    const zip = await d.scheduler.run('background', () => d.api.download(entry.xmls!, { deadlineMs: Math.max(d.queryDeadlineMs, 60_000) }));
    if (zip.kind !== 'ok') return unavailable('O backup mensal da Focus existe, mas não pôde ser baixado agora.');
    let focus: ReturnType<typeof readBackupZip>;
    try {
      focus = readBackupZip(zip.body);
    } catch {
      return unavailable('O backup mensal da Focus veio danificado; a conferência será tentada de novo.');
    }

    // 1) A rolled-back journal learns its lost sales first (by ref, from the high-water mark).
    if (j.refusal() && d.relearn) await d.relearn().catch(() => null);
    let relearned = 0;
    let mine = journalNotes(j, d.environment, d.cnpj, yymm);

    // 2) Cancelled at Focus, authorized here: ask the ref and write the cancellation back.
    for (const n of mine.filter((x) => x.state !== 'cancelled' && focus.cancelled.has(x.chave))) {
      const q = await d.scheduler.run('background', () => d.api.query(n.ref, { deadlineMs: d.queryDeadlineMs, completa: true }));
      j.emissions.recordAnswer(n.id, answerOf('query', q, d.now()));
      if (q.kind !== 'ok' || q.body.status !== 'cancelado') continue;
      const moved = j.transaction(() => {
        const m = j.emissions.transition(n.id, ['authorized', 'contingency_focus'], 'cancelled', documentPatch(q.body));
        if (m) j.audit.add({ actor: 'system', action: 'cancel', saleId: n.saleId, details: { ref: n.ref, learnedFrom: 'cross_check', month } });
        return m;
      });
      if (moved) {
        relearned++;
        d.changed?.(moved);
      }
    }
    if (relearned > 0) mine = journalNotes(j, d.environment, d.cnpj, yymm);

    // 3) Notes at Focus the journal lacks (after the re-learning).
    const have = new Set(mine.map((n) => n.chave));
    const onlyAtFocus = [...focus.notes.values()]
      .filter((n) => !have.has(n.chave))
      .sort((a, b) => a.chave.localeCompare(b.chave))
      .map(
        (n) =>
          `${n.chave} (série ${n.serie ?? '?'}, nº ${n.numero ?? '?'}, R$ ${(n.valor ?? '?').replace('.', ',')}, ${n.emitidaEm?.slice(0, 10) ?? 'data ?'})`,
      );

    // 4) Notes here the backup lacks: the backup is refreshed weekly, so Focus is asked by ref first.
    const onlyInJournal: string[] = [];
    let asked = 0;
    for (const n of mine.filter((x) => !focus.notes.has(x.chave))) {
      if (asked >= CONFIRM_CAP) {
        onlyInJournal.push(`${n.chave} (venda ${n.saleId}, não confirmada: limite de consultas desta conferência)`);
        continue;
      }
      asked++;
      const q = await d.scheduler.run('background', () => d.api.query(n.ref, { deadlineMs: d.queryDeadlineMs }));
      const known =
        q.kind === 'ok' && (q.body.status === 'autorizado' || q.body.status === 'cancelado') && String(q.body.chave_nfe ?? '').replace(/^NFe/i, '') === n.chave;
      if (known) continue;
      const why =
        q.kind === 'api-error' && q.status === 404
          ? 'a Focus não conhece esta nota'
          : q.kind === 'ok'
            ? `a Focus diz "${q.body.status}"`
            : 'sem resposta da Focus';
      onlyInJournal.push(`${n.chave} (venda ${n.saleId}, ${why})`);
    }

    const differences = onlyAtFocus.length + onlyInJournal.length;
    const message =
      differences === 0
        ? `Conferido com o backup da Focus de ${label}: as ${focus.notes.size} notas conferem${relearned > 0 ? ` (${relearned} cancelamento(s) trazido(s) da Focus)` : ''}.`
        : `Diferenças com o backup da Focus de ${label}: ${onlyAtFocus.length} nota(s) só na Focus, ${onlyInJournal.length} só no caixa. Confira a lista e chame o suporte se não souber a causa.`;
    return finish({
      state: differences === 0 ? 'ok' : 'differences',
      message,
      focusNotes: focus.notes.size,
      journalNotes: mine.length,
      onlyAtFocus: onlyAtFocus.slice(0, LIST_CAP),
      onlyInJournal: onlyInJournal.slice(0, LIST_CAP),
      relearned,
    });
  } catch (err) {
    unavailable('A conferência com o backup da Focus não terminou. Ela será tentada de novo.');
    throw err;
  }
}

/** Results of the latest cross-checks, newest first. */
export function crossCheckHistory(j: Journal, limit = 12): CrossCheckView[] {
  return j.db
    .prepare(`SELECT result FROM side_effects WHERE kind = ? AND result IS NOT NULL ORDER BY id DESC LIMIT ?`)
    .all(CROSS_CHECK_KIND, limit)
    .map((r) => JSON.parse(String(r.result)) as CrossCheckView)
    .filter((v) => typeof v.month === 'string');
}

/** The month the automatic run should check now ('YYYY-MM'), or null when it was done already. */
export function monthDue(j: Journal, nowMs: number): string | null {
  const now = new Date(nowMs);
  // Focus builds the previous month's backup on day 1; it can be downloaded from day 2.
  if (now.getDate() < 2) return null;
  const prev = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  const month = `${prev.getFullYear()}-${String(prev.getMonth() + 1).padStart(2, '0')}`;
  const done = j.db
    .prepare(`SELECT 1 FROM side_effects WHERE kind = ? AND state = 'done' AND json_extract(payload, '$.month') = ? LIMIT 1`)
    .get(CROSS_CHECK_KIND, month);
  return done ? null : month;
}

/** A cross-check a crash interrupted did nothing but GETs: it is closed, the next run does it again. */
export function settleInterruptedCrossCheck(row: SideEffectRow, j: Journal): 'failed' {
  j.sideEffects.settle(row.id, 'failed', { interrupted: true, month: row.payload.month });
  return 'failed';
}

/** The automatic monthly run: shortly after start and then every few hours, the month due (if any). */
export class CrossCheckScheduler {
  readonly #deps: CrossCheckDeps;
  readonly #timers: ReturnType<typeof setTimeout>[] = [];
  readonly #report: (err: unknown) => void;
  #running: Promise<CrossCheckView | null> | null = null;

  constructor(deps: CrossCheckDeps, o: { firstDelayMs: number; intervalMs: number; report: (err: unknown) => void }) {
    this.#deps = deps;
    this.#report = o.report;
    if (o.intervalMs > 0) {
      const first = setTimeout(() => void this.runDue(), o.firstDelayMs);
      const every = setInterval(() => void this.runDue(), o.intervalMs);
      first.unref();
      every.unref();
      this.#timers.push(first, every);
    }
  }

  /** Checks the month due now (null when none is due or one is running). Never throws. */
  runDue(): Promise<CrossCheckView | null> {
    this.#running ??= (async () => {
      const month = monthDue(this.#deps.journal, this.#deps.now());
      if (!month || !this.#deps.journal.db.isOpen) return null;
      return crossCheckMonth(this.#deps, month, 'system');
    })()
      .catch((err: unknown) => {
        this.#report(err);
        return null;
      })
      .finally(() => {
        this.#running = null;
      });
    return this.#running;
  }

  async close(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    await this.#running;
  }
}
