// The promise of issue 3, checked against both sides: every committed sale ends with exactly one
// authorized NFC-e that the journal and the Focus sandbox agree on, or with a visible problem.
import type { Journal } from '../../../main/db/journal.ts';
import type { SandboxNote } from '../../../main/sandbox/types.ts';

export interface InvariantReport {
  sales: number;
  authorized: number;
  visibleProblems: number;
  /** A committed sale with no note and no visible problem, or a note Focus has that the journal missed. */
  lost: number;
  /** More than one authorized note for one sale. */
  duplicated: number;
  /** Still pending/sending/unknown. */
  unresolved: number;
  /** Sandbox notes whose ref belongs to no emission in the journal. */
  orphans: number;
  problems: string[];
}

const VISIBLE_PROBLEM = new Set(['rejected', 'denied', 'blocked']);
const OPEN = new Set(['pending', 'sending', 'unknown']);

export function checkInvariant(journal: Journal, notes: readonly SandboxNote[]): InvariantReport {
  const byRef = new Map(notes.map((n) => [n.ref, n]));
  const known = new Set<string>();
  const r: InvariantReport = { sales: 0, authorized: 0, visibleProblems: 0, lost: 0, duplicated: 0, unresolved: 0, orphans: 0, problems: [] };
  const saleIds = journal.db
    .prepare('SELECT id FROM sales ORDER BY id')
    .all()
    .map((x) => Number(x.id));
  for (const saleId of saleIds) {
    r.sales++;
    const attempts = journal.emissions.attemptsForSale(saleId);
    for (const a of attempts) known.add(a.ref);
    const latest = attempts[attempts.length - 1];
    const valid = attempts.map((a) => byRef.get(a.ref)).filter((n): n is SandboxNote => !!n && (n.status === 'autorizado' || n.status === 'cancelado'));
    if (valid.length > 1) {
      r.duplicated++;
      r.problems.push(`venda ${saleId}: ${valid.length} notas autorizadas (${valid.map((n) => n.ref).join(', ')})`);
    }
    if (!latest) {
      r.lost++;
      r.problems.push(`venda ${saleId}: sem emissão`);
      continue;
    }
    if (OPEN.has(latest.state)) {
      r.unresolved++;
      r.problems.push(`venda ${saleId}: emissão ${latest.ref} ainda em ${latest.state}`);
      continue;
    }
    if (latest.state === 'authorized' || latest.state === 'cancelled') {
      const note = byRef.get(latest.ref);
      const expected = latest.state === 'authorized' ? 'autorizado' : 'cancelado';
      if (!note || note.status !== expected || note.chave?.replace(/^NFe/, '') !== latest.chave) {
        r.lost++;
        r.problems.push(`venda ${saleId}: diário diz ${latest.state} (${latest.chave}), Focus diz ${note ? `${note.status} (${note.chave})` : 'nada'}`);
      } else {
        r.authorized++;
      }
      continue;
    }
    if (VISIBLE_PROBLEM.has(latest.state)) {
      if (valid.length > 0) {
        r.lost++;
        r.problems.push(`venda ${saleId}: diário diz ${latest.state}, mas a Focus tem a nota ${valid[0]?.ref} autorizada`);
      } else {
        r.visibleProblems++;
      }
      continue;
    }
    r.problems.push(`venda ${saleId}: estado inesperado ${latest.state}`);
  }
  for (const n of notes) {
    if (!known.has(n.ref)) {
      r.orphans++;
      r.problems.push(`nota ${n.ref} (${n.status}) sem venda no diário`);
    }
  }
  return r;
}
