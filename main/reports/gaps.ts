// Numbering gaps per série: numbers between the first and the last one this journal used that no
// attempt holds, marked when an inutilização covers them (authorized) or is on its way (pending).
import type { DatabaseSync } from 'node:sqlite';
import type { NumberingGap } from '../../shared/register/period.ts';

export function findGaps(db: DatabaseSync, environment: string): NumberingGap[] {
  const holes = db
    .prepare(
      `SELECT serie, n + 1 AS a, nxt - 1 AS b FROM (
       SELECT serie, n, LEAD(n) OVER (PARTITION BY serie ORDER BY n) AS nxt
       FROM (SELECT DISTINCT serie, CAST(numero AS INTEGER) AS n FROM emissions
             WHERE numero IS NOT NULL AND serie IS NOT NULL AND environment = ?))
     WHERE nxt > n + 1 ORDER BY CAST(serie AS INTEGER), a`,
    )
    .all(environment);
  const inut = db
    .prepare("SELECT serie, numero_inicial AS a, numero_final AS b, state FROM inutilizacoes WHERE environment = ? AND state IN ('pending', 'authorized')")
    .all(environment)
    .map((r) => ({ serie: String(r.serie), a: Number(r.a), b: Number(r.b), state: String(r.state) }));
  return holes.map((h) => {
    const serie = String(h.serie);
    const from = Number(h.a);
    const to = Number(h.b);
    const cover = inut.find((i) => i.serie === serie && i.a <= from && i.b >= to);
    return { serie, from, to, status: cover ? (cover.state === 'authorized' ? 'voided' : 'pending') : 'open' };
  });
}
