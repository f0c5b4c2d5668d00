// The report aggregates equal a full recomputation from the raw rows, to the centavo: seeded random
// days of sales written through the real journal while the register's connection is open (so the
// triggers, not the backfill, keep the aggregates), then notes changing state days later (cancelled,
// contingency transmitted, rejected and resent, renumbered, renamed), split payments, sangrias and
// suprimentos, register sessions on two terminals; and a journal written before the aggregates
// existed, upgraded by the migration's backfill.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { Journal } from '../../../main/db/journal.ts';
import { openDatabase } from '../../../main/db/sqlite.ts';
import { JOURNAL_MIGRATIONS } from '../../../main/db/schema.ts';
import { openRegisterDb } from '../../../main/register/db.ts';
import { Register, type SessionRow } from '../../../main/register/register.ts';
import { REGISTER_MIGRATIONS } from '../../../main/register/schema.ts';
import { periodReport, periodReportFromRows, localDayStartMs } from '../../../main/reports/period.ts';
import { byMethod, byOperator, cancelledCarts, cancelledItems, cube, numbering, scopeTotals } from '../../../main/reports/figures.ts';
import { materialiseScope } from '../../../main/reports/scope.ts';
import type { EmissionState } from '../../../shared/emission.ts';
import { generateSales, type GeneratedSale } from '../../fixtures/register-days.ts';
import { seededRandom } from '../../fixtures/seeded-random.ts';
import { useTimeZone } from '../../fixtures/time-zone.ts';

// The shop's day is São Paulo's. The worker is shared with the next test files (vitest.config.ts):
// the fixture puts the time zone back when this file is done.
useTimeZone('America/Sao_Paulo');

const OPERATORS = ['caixa-1', 'caixa-2', 'gerente'];
const TERMINALS = ['PDV01', 'PDV02'];
const names = (id: string) => id.toUpperCase();
const DAY0 = '2026-05-04';
const DAYS = 3;
const dayOf = (d: number) => isoDay(localDayStartMs(DAY0, d));
function isoDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

let dir: string;
const dirs: string[] = [];
let journal: Journal;
let db: DatabaseSync;
let now = 0;
let reg: Register;
const sales: GeneratedSale[] = [];
const counters = { serie1: 0, serie900: 0 };

/** The X of an open session computed from the raw rows, as the reports did before the aggregates. */
function sessionFromRows(session: SessionRow) {
  materialiseScope(db, { terminalId: session.terminalId, fromMs: session.openedMs, toMs: now + 1 });
  const rows = cube(db);
  const t = scopeTotals(rows);
  return {
    sales: t.sales,
    byMethod: byMethod(db, t.sales.changeCents),
    byOperator: byOperator(rows, names),
    discounts: t.discounts,
    cancelledItems: cancelledItems(db),
    cancelledSales: cancelledCarts(db, { terminalId: session.terminalId, fromMs: session.openedMs, toMs: now + 1 }),
    cancelledNotes: t.cancelledNotes,
    contingencyPending: t.contingencyPending,
    notesInFlight: t.notesInFlight,
    numbering: numbering(db),
  };
}

function xFigures(x: ReturnType<Register['report']>) {
  const {
    sales: s,
    byMethod: m,
    byOperator: o,
    discounts,
    cancelledItems: ci,
    cancelledSales,
    cancelledNotes,
    contingencyPending,
    notesInFlight,
    numbering: nb,
  } = x;
  return {
    sales: s,
    byMethod: m,
    byOperator: o,
    discounts,
    cancelledItems: ci,
    cancelledSales,
    cancelledNotes,
    contingencyPending,
    notesInFlight,
    numbering: nb,
  };
}

function latest(saleId: number) {
  return journal.emissions.latestForSale(saleId)!;
}

/** Every note still moving on a terminal reaches a final state (the Z refuses notes in flight). */
function settle(terminalId: string, rnd: () => number) {
  for (const s of sales.filter((x) => x.sale.terminalId === terminalId)) {
    const e = latest(s.saleId);
    if (e.state === 'blocked') journal.emissions.transition(e.id, 'blocked', 'pending');
    const p = latest(s.saleId);
    if (p.state === 'pending') {
      journal.emissions.transition(p.id, 'pending', 'sending');
      const to: EmissionState = rnd() < 0.8 ? 'authorized' : 'rejected';
      journal.emissions.transition(p.id, 'sending', to, to === 'authorized' ? { numero: String(++counters.serie1), serie: '1' } : {});
    }
  }
}

/** Later life of the notes: cancels, backlog transmitted, rejected notes resent, renumbering, renames. */
function churn(rnd: () => number, n: number) {
  for (let k = 0; k < n; k++) {
    const s = sales[Math.floor(rnd() * sales.length)]!;
    const e = latest(s.saleId);
    const r = rnd();
    if (e.state === 'authorized' && r < 0.5) journal.emissions.transition(e.id, 'authorized', 'cancelled');
    else if (e.state === 'contingency' || e.state === 'contingency_focus') journal.emissions.transition(e.id, e.state, r < 0.8 ? 'authorized' : 'cancelled');
    else if (e.state === 'rejected') {
      journal.emissions.transition(e.id, 'rejected', 'pending');
    } else if (e.state === 'pending' && r < 0.5) {
      // A resend as a new attempt (the old one superseded), authorized with a new número.
      journal.transaction(() => {
        journal.emissions.transition(e.id, 'pending', 'superseded');
        const a = journal.addAttempt(s.saleId, { state: 'pending', environment: 'homologacao' });
        journal.emissions.transition(a.id, 'pending', 'authorized', { numero: String(++counters.serie1), serie: '1' });
      });
    } else if (e.numero !== null && r < 0.6) {
      // A número corrected after the fact (the bucket's distinct count and bounds follow).
      journal.emissions.update(e.id, { numero: String(Number(e.numero) + 100_000) });
    } else if (r < 0.7) {
      const full = journal.sales.require(s.saleId);
      const it = full.items[0]!;
      journal.sales.updateItemFiscal(s.saleId, it.seq, { ...it, description: `${it.description} (corrigido ${k})` });
    }
  }
}

/**
 * The per-state, per-hour and per-operator day rows (schema v5, kept by triggers on agg_day_sales)
 * equal agg_day_sales grouped: the same keys, the same sums.
 */
function expectSplitsFollowDayRows(on: DatabaseSync) {
  const splits: [string, string, string[]][] = [
    ['agg_day_state', 'state', ['n', 'total', 'gross', 'change', 'discount', 'discounted']],
    ['agg_day_hour', 'hour, state', ['n', 'total']],
    ['agg_day_operator', 'operator_id, state', ['n', 'total']],
  ];
  for (const [table, key, sums] of splits) {
    const keys = `day, terminal_id, ${key}`;
    const kept = on.prepare(`SELECT ${keys}, ${sums.join(', ')} FROM ${table} ORDER BY ${keys}`).all();
    const grouped = on.prepare(`SELECT ${keys}, ${sums.map((c) => `SUM(${c}) AS ${c}`).join(', ')} FROM agg_day_sales GROUP BY ${keys} ORDER BY ${keys}`).all();
    expect(kept.length, table).toBeGreaterThan(0);
    expect(kept, table).toEqual(grouped);
  }
}

function expectPeriodsEqual(rnd: () => number, periods: number) {
  expectSplitsFollowDayRows(db);
  const ranges: [string, string][] = [[dayOf(0), dayOf(DAYS - 1)]];
  for (let k = 0; k < periods; k++) {
    const a = Math.floor(rnd() * DAYS);
    const b = a + Math.floor(rnd() * (DAYS - a));
    ranges.push([dayOf(a), dayOf(b)]);
  }
  ranges.push([dayOf(DAYS + 3), dayOf(DAYS + 5)]);
  for (const [from, to] of ranges) {
    const q = { from, to, names, top: 1_000 };
    const all = periodReport(db, q);
    expect(all, `${from}..${to}`).toEqual(periodReportFromRows(db, q));
    // Each terminal on its own equals its raw rows, and the terminals add up to the whole journal.
    const parts = TERMINALS.map((terminalId) => {
      const one = periodReport(db, { ...q, terminalId });
      expect(one, `${from}..${to} ${terminalId}`).toEqual(periodReportFromRows(db, { ...q, terminalId }));
      expect(one.terminalId).toBe(terminalId);
      expect(one.terminals).toEqual(all.terminals);
      return one;
    });
    const sum = (f: (r: typeof all) => { count: number; cents: number }) =>
      parts.reduce((a, r) => ({ count: a.count + f(r).count, cents: a.cents + f(r).cents }), { count: 0, cents: 0 });
    expect(sum((r) => r.sales)).toEqual({ count: all.sales.count, cents: all.sales.cents });
    for (const f of [(r: typeof all) => r.cancelledNotes, (r: typeof all) => r.sangrias, (r: typeof all) => r.suprimentos, (r: typeof all) => r.cancelledSales])
      expect(sum(f)).toEqual(f(all));
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'balcao-aggregates-'));
  dirs.push(dir);
  const path = join(dir, 'j.sqlite');
  // The register's connection first: the aggregates' triggers exist before the first sale.
  db = openRegisterDb(path, Date.now());
  journal = Journal.open({ path });
  reg = new Register({ db, clock: () => now });
});
afterAll(() => {
  db?.close();
  journal?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('report aggregates equal the raw rows', () => {
  it('over random days with sessions, movements and notes changing state later', async () => {
    const rnd = seededRandom(4242);
    let movementId = 0;
    for (let d = 0; d < DAYS; d++) {
      const open = localDayStartMs(DAY0, d) + 7 * 3_600_000;
      const sessions = new Map<string, SessionRow>();
      for (const terminalId of ['PDV01', 'PDV02']) {
        now = open;
        sessions.set(terminalId, reg.open({ terminalId, operatorId: 'caixa-1', openingCents: 10_000 + Math.floor(rnd() * 10_000), counts: null }));
      }
      for (const terminalId of ['PDV01', 'PDV02']) {
        const r = await generateSales(
          journal,
          {
            seed: 7_000 + d * 10 + (terminalId === 'PDV01' ? 1 : 2),
            count: 40 + Math.floor(rnd() * 30),
            startMs: open + 3_600_000,
            spanMs: 12 * 3_600_000,
            terminalId,
            operators: OPERATORS,
            batch: 7,
          },
          counters,
        );
        sales.push(...r.sales);
        // Sangrias and suprimentos during the day (a sangria never above the drawer's cash).
        for (let k = 0; k < 3; k++) {
          now = open + 2 * 3_600_000 + k * 3_600_000;
          const kind = rnd() < 0.5 ? 'sangria' : 'suprimento';
          const cash = reg.report(reg.requireOpen(terminalId), names).expected.cash;
          reg.movement({
            clientId: `mv-${++movementId}`,
            terminalId,
            kind,
            amountCents: Math.min(100 + Math.floor(rnd() * 5_000), kind === 'sangria' ? cash : Infinity),
            reason: 'teste',
            operatorId: 'caixa-1',
            managerId: 'gerente',
            voucher: () => '',
          });
        }
      }
      churn(rnd, 40);
      now = open + 14 * 3_600_000;
      for (const [terminalId, session] of sessions) {
        const x = reg.report(reg.requireOpen(terminalId), names);
        expect(xFigures(x), `X ${terminalId} day ${d}`).toEqual(sessionFromRows(session));
      }
      expectPeriodsEqual(rnd, 3);
      // Close all but the last day's sessions (the Z is computed from the same aggregates).
      if (d < DAYS - 1) {
        for (const [terminalId, session] of sessions) {
          settle(terminalId, rnd);
          const fromRows = sessionFromRows(session);
          const z = reg.close({
            names,
            terminalId,
            declaration: { cashCounts: {}, cashCents: 0, cardCents: 0, pixCents: 0, otherCents: 0 },
            operatorId: 'caixa-1',
            managerId: 'gerente',
            zText: () => '',
          });
          expect(xFigures(z.report), `Z ${terminalId} day ${d}`).toEqual(fromRows);
        }
      }
    }
    // Days later: more notes change state across every day, and the figures still agree.
    churn(rnd, 200);
    // The newest line of a product renamed by a manager: the period names the product after it.
    const last = journal.sales.require(Math.max(...sales.map((s) => s.saleId)));
    const line = last.items[last.items.length - 1]!;
    journal.sales.updateItemFiscal(last.id, line.seq, { ...line, description: 'NOME corrigido' });
    expectPeriodsEqual(rnd, 6);
    for (const terminalId of ['PDV01', 'PDV02']) {
      const session = reg.requireOpen(terminalId);
      expect(xFigures(reg.report(session, names))).toEqual(sessionFromRows(session));
    }
    // The case mix the comparison relies on really happened.
    const r = periodReport(db, { from: dayOf(0), to: dayOf(DAYS - 1), names });
    expect(r.cancelledNotes.count).toBeGreaterThan(10);
    expect(r.contingencyPending.count).toBeGreaterThan(0);
    expect(r.sangrias.count).toBeGreaterThan(0);
    expect(r.suprimentos.count).toBeGreaterThan(0);
    expect(r.cancelledItems.count).toBeGreaterThan(0);
    expect(r.cancelledSales.count).toBeGreaterThan(0);
    expect(r.byMethod.map((m) => m.method)).toEqual(expect.arrayContaining(['01', '17']));
    expect(sales.some((s) => s.sale.payments.length > 1)).toBe(true);
    expect(r.topProducts.find((p) => p.productId === line.productId)?.description).toBe('NOME corrigido');
    // Both terminals sold, and one terminal's figures are really a part of the whole.
    expect(r.terminals).toEqual(TERMINALS);
    const one = periodReport(db, { from: dayOf(0), to: dayOf(DAYS - 1), names, terminalId: 'PDV02' });
    expect(one.sales.count).toBeGreaterThan(0);
    expect(one.sales.count).toBeLessThan(r.sales.count);
    expect(periodReport(db, { from: dayOf(0), to: dayOf(DAYS - 1), names, terminalId: 'PDV09' }).sales).toEqual({
      count: 0,
      cents: 0,
      grossCents: 0,
      changeCents: 0,
    });
  });

  it('a journal written before the aggregates is backfilled by the migration', async () => {
    const d2 = mkdtempSync(join(tmpdir(), 'balcao-aggregates-old-'));
    dirs.push(d2);
    const path = join(d2, 'old.sqlite');
    // The register at schema v1 (no aggregates), with sales, a session and its movements.
    const v1 = openDatabase(path, { migrations: [...JOURNAL_MIGRATIONS, REGISTER_MIGRATIONS[0]!], nowIso: new Date().toISOString() });
    const j = Journal.open({ path });
    const start = localDayStartMs(DAY0) + 9 * 3_600_000;
    v1.prepare("INSERT INTO register_sessions(terminal_id, state, opened_ms, opened_by, opening_cents) VALUES ('PDV01', 'open', ?, 'caixa-1', 5000)").run(
      start - 3_600_000,
    );
    const gen = await generateSales(j, { seed: 99, count: 200, startMs: start, spanMs: 30 * 3_600_000, terminalId: 'PDV01', operators: OPERATORS });
    v1.prepare(
      "INSERT INTO register_movements(session_id, client_id, kind, amount_cents, reason, operator_id, manager_id, at_ms, voucher_text) VALUES (1, 'm1', 'sangria', 1234, 'x', 'a', 'g', ?, ''), (1, 'm2', 'suprimento', 777, 'x', 'a', 'g', ?, '')",
    ).run(start + 3_600_000, start + 26 * 3_600_000);
    const cancelled = gen.sales.find((s) => s.state === 'authorized')!;
    j.emissions.transition(latest2(j, cancelled.saleId), 'authorized', 'cancelled');
    v1.close();
    j.close();

    const up = openRegisterDb(path, Date.now());
    try {
      const q = { from: dayOf(0), to: dayOf(1), names, top: 1_000 };
      const r = periodReport(up, q);
      expect(r).toEqual(periodReportFromRows(up, q));
      expect(r.sangrias).toEqual({ count: 1, cents: 1234 });
      expect(r.suprimentos).toEqual({ count: 1, cents: 777 });
      expect(periodReport(up, { ...q, to: dayOf(0) }).suprimentos).toEqual({ count: 0, cents: 0 });
      expect(r.sales.count + r.cancelledNotes.count).toBe(200);
      // The open session's figures were backfilled too.
      now = start + 40 * 3_600_000;
      const register = new Register({ db: up, clock: () => now });
      const session = register.requireOpen('PDV01');
      const x = register.report(session, names);
      const saved = db;
      db = up;
      try {
        expect(xFigures(x)).toEqual(sessionFromRows(session));
      } finally {
        db = saved;
      }
    } finally {
      up.close();
    }
  });
});

describe('the period splits (schema v5)', () => {
  it('a journal at schema v4 gets them from its day rows, then keeps them through cancellations and contingency', async () => {
    const d3 = mkdtempSync(join(tmpdir(), 'balcao-aggregates-v4-'));
    dirs.push(d3);
    const path = join(d3, 'v4.sqlite');
    // The register at v4 (day rows kept by the v2 triggers, no splits yet) while the sales are written.
    const v4 = openDatabase(path, {
      migrations: [...JOURNAL_MIGRATIONS, ...REGISTER_MIGRATIONS.filter((m) => m.version <= 4)],
      nowIso: new Date().toISOString(),
    });
    const j = Journal.open({ path });
    const start = localDayStartMs(DAY0) + 9 * 3_600_000;
    const gen = await generateSales(j, { seed: 314, count: 150, startMs: start, spanMs: 30 * 3_600_000, terminalId: 'PDV02', operators: OPERATORS });
    expect(v4.prepare("SELECT COUNT(*) AS n FROM sqlite_schema WHERE name = 'agg_day_state'").get()!.n).toBe(0);
    v4.close();

    const up = openRegisterDb(path, Date.now());
    try {
      expectSplitsFollowDayRows(up);
      const q = { from: dayOf(0), to: dayOf(1), names, top: 1_000 };
      expect(periodReport(up, q)).toEqual(periodReportFromRows(up, q));
      // After the upgrade the triggers keep them: notes cancelled, contingency transmitted.
      for (const s of gen.sales) {
        const e = j.emissions.latestForSale(s.saleId)!;
        if (e.state === 'authorized' && s.saleId % 3 === 0) j.emissions.transition(e.id, 'authorized', 'cancelled');
        else if (e.state === 'contingency' || e.state === 'contingency_focus') j.emissions.transition(e.id, e.state, 'authorized');
      }
      expectSplitsFollowDayRows(up);
      const after = periodReport(up, q);
      expect(after).toEqual(periodReportFromRows(up, q));
      expect(after.cancelledNotes.count).toBeGreaterThan(0);
      expect(after.byHour.reduce((a, h) => a + h.count, 0)).toBe(after.sales.count);
      expect(after.byOperator.reduce((a, o) => a + o.count, 0)).toBe(after.sales.count);
    } finally {
      up.close();
      j.close();
    }
  });
});

function latest2(j: Journal, saleId: number): number {
  return j.emissions.latestForSale(saleId)!.id;
}
