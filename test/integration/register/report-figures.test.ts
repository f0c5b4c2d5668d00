// Every figure of the reports equals what the journal holds: random days of sales (seeded), with
// cancellations, contingency and notes still moving, written through the real journal; the
// expected figures are computed here from what was written, independently of the report SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { Journal } from '../../../main/db/journal.ts';
import { openRegisterDb } from '../../../main/register/db.ts';
import { Register } from '../../../main/register/register.ts';
import { periodReport, localDayStartMs } from '../../../main/reports/period.ts';
import { periodCsv } from '../../../main/reports/tables.ts';
import { generateSales, type GeneratedCart, type GeneratedSale } from '../../fixtures/register-days.ts';
import { useTimeZone } from '../../fixtures/time-zone.ts';

// The shop's day is São Paulo's. The worker is shared with the next test files (vitest.config.ts):
// the fixture puts the time zone back when this file is done.
useTimeZone('America/Sao_Paulo');

const OPERATORS = ['caixa-1', 'caixa-2', 'gerente'];
const names = (id: string) => id.toUpperCase();
let dir: string;
let journal: Journal;
let db: DatabaseSync;
const sales: GeneratedSale[] = [];
const carts: GeneratedCart[] = [];
const DAY0 = '2026-03-02';

function expected(list: GeneratedSale[], cartList: GeneratedCart[]) {
  const valid = list.filter((s) => s.state !== 'cancelled');
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const byMethod = new Map<string, { count: number; amountCents: number }>();
  for (const s of valid) {
    for (const p of s.sale.payments) {
      const m = byMethod.get(p.method) ?? { count: 0, amountCents: 0 };
      m.count++;
      m.amountCents += p.amountCents;
      byMethod.set(p.method, m);
    }
  }
  const change = sum(valid.map((s) => s.sale.changeCents));
  if (byMethod.has('01')) byMethod.get('01')!.amountCents -= change;
  const byOp = new Map<string, { count: number; totalCents: number }>();
  for (const s of valid) {
    const o = byOp.get(s.sale.operatorId) ?? { count: 0, totalCents: 0 };
    o.count++;
    o.totalCents += s.sale.totalCents;
    byOp.set(s.sale.operatorId, o);
  }
  const products = new Map<string, { qtyE4: number; totalCents: number }>();
  for (const s of valid)
    for (const it of s.sale.items) {
      const p = products.get(it.productId) ?? { qtyE4: 0, totalCents: 0 };
      p.qtyE4 += it.qtyE4;
      p.totalCents += it.totalCents;
      products.set(it.productId, p);
    }
  const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, count: 0, totalCents: 0 }));
  for (const s of valid) {
    const h = hours[Number(s.sale.createdAt.slice(11, 13))]!;
    h.count++;
    h.totalCents += s.sale.totalCents;
  }
  const numbering = new Map<string, Set<number>>();
  for (const s of list) for (const [serie, n] of s.numbers) numbering.set(serie, (numbering.get(serie) ?? new Set()).add(n));
  const cancelled = list.filter((s) => s.state === 'cancelled');
  const cont = list.filter((s) => s.state === 'contingency' || s.state === 'contingency_focus');
  const withDiscount = valid.filter((s) => s.sale.discountCents > 0);
  const cancelledItems = list.flatMap((s) => s.cancelledItemsCents);
  return {
    sales: { count: valid.length, cents: sum(valid.map((s) => s.sale.totalCents)), grossCents: sum(valid.map((s) => s.sale.grossCents)), changeCents: change },
    byMethod: [...byMethod].sort(([a], [b]) => (a < b ? -1 : 1)).map(([method, v]) => ({ method, ...v })),
    byOperator: [...byOp]
      .map(([operatorId, v]) => ({ operatorId, name: names(operatorId), ...v }))
      .sort((a, b) => b.totalCents - a.totalCents || (a.operatorId < b.operatorId ? -1 : 1)),
    topProducts: [...products]
      .map(([productId, v]) => ({ productId, ...v }))
      .sort((a, b) => b.totalCents - a.totalCents || (a.productId < b.productId ? -1 : 1))
      .slice(0, 10),
    byHour: hours,
    discounts: { count: withDiscount.length, cents: sum(withDiscount.map((s) => s.sale.discountCents)) },
    cancelledNotes: { count: cancelled.length, cents: sum(cancelled.map((s) => s.sale.totalCents)) },
    contingencyPending: { count: cont.length, cents: sum(cont.map((s) => s.sale.totalCents)) },
    notesInFlight: list.filter((s) => s.state === 'pending' || s.state === 'blocked').length,
    cancelledItems: { count: cancelledItems.length, cents: sum(cancelledItems) },
    cancelledSales: { count: cartList.length, cents: sum(cartList.map((c) => c.totalCents)) },
    numbering: [...numbering]
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([serie, set]) => ({ serie, first: Math.min(...set), last: Math.max(...set), count: set.size })),
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'balcao-figures-'));
  journal = Journal.open({ path: join(dir, 'j.sqlite') });
  const counters = { serie1: 0, serie900: 0 };
  // Three days, one terminal, ~9 h of trading each.
  for (let d = 0; d < 3; d++) {
    const start = localDayStartMs(DAY0, d) + 8 * 3_600_000;
    const r = await generateSales(
      journal,
      { seed: 1000 + d, count: 150, startMs: start, spanMs: 13 * 3_600_000, terminalId: 'PDV01', operators: OPERATORS },
      counters,
    );
    sales.push(...r.sales);
    carts.push(...r.carts);
  }
  db = openRegisterDb(join(dir, 'j.sqlite'), Date.now());
});
afterAll(() => {
  db?.close();
  journal?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('report figures equal the journal', () => {
  it('the seeded days hold every case the reports distinguish', () => {
    const states = new Set(sales.map((s) => s.state));
    for (const st of ['authorized', 'cancelled', 'contingency', 'contingency_focus', 'pending', 'blocked']) expect(states.has(st as never), st).toBe(true);
    expect(carts.length).toBeGreaterThan(0);
    expect(sales.some((s) => s.numbers.length === 2)).toBe(true);
  });

  it('period report over the three days', () => {
    const r = periodReport(db, { from: DAY0, to: '2026-03-04', names });
    const e = expected(sales, carts);
    expect(r.sales).toEqual(e.sales);
    expect(r.byMethod).toEqual(e.byMethod);
    expect(r.byOperator).toEqual(e.byOperator);
    expect(r.topProducts.map(({ description: _d, ...p }) => p)).toEqual(e.topProducts);
    expect(r.byHour).toEqual(e.byHour);
    expect(r.discounts).toEqual(e.discounts);
    expect(r.cancelledNotes).toEqual(e.cancelledNotes);
    expect(r.contingencyPending).toEqual(e.contingencyPending);
    expect(r.cancelledItems).toEqual(e.cancelledItems);
    expect(r.cancelledSales).toEqual(e.cancelledSales);
    expect(r.numbering).toEqual(e.numbering);
    expect(r.byDay.map((d) => d.day)).toEqual([DAY0, '2026-03-03', '2026-03-04']);
    expect(r.byDay.reduce((a, d) => a + d.totalCents, 0)).toBe(e.sales.cents);
  });

  it('a single day', () => {
    const day = '2026-03-03';
    const list = sales.filter((s) => s.sale.createdAt.startsWith(day));
    const dayCarts = carts.filter((c) => c.atMs >= localDayStartMs(day) && c.atMs < localDayStartMs(day, 1));
    const r = periodReport(db, { from: day, to: day, names });
    const e = expected(list, dayCarts);
    expect({
      sales: r.sales,
      byMethod: r.byMethod,
      byOperator: r.byOperator,
      cancelledNotes: r.cancelledNotes,
      cancelledItems: r.cancelledItems,
      cancelledSales: r.cancelledSales,
      numbering: r.numbering,
    }).toEqual({
      sales: e.sales,
      byMethod: e.byMethod,
      byOperator: e.byOperator,
      cancelledNotes: e.cancelledNotes,
      cancelledItems: e.cancelledItems,
      cancelledSales: e.cancelledSales,
      numbering: e.numbering,
    });
  });

  it('X report of a session that started mid-day: only its sales, expected cash from the float and movements', () => {
    const openedMs = localDayStartMs('2026-03-04') + 12 * 3_600_000;
    const now = localDayStartMs('2026-03-05');
    const reg = new Register({ db, clock: () => now });
    db.prepare("INSERT INTO register_sessions(terminal_id, state, opened_ms, opened_by, opening_cents) VALUES ('PDV01', 'open', ?, 'caixa-1', 20000)").run(
      openedMs,
    );
    const session = reg.requireOpen('PDV01');
    const x = reg.report(session, names);
    const list = sales.filter((s) => s.sale.createdMs >= openedMs);
    const e = expected(
      list,
      carts.filter((c) => c.atMs >= openedMs),
    );
    expect({
      sales: x.sales,
      byMethod: x.byMethod,
      byOperator: x.byOperator,
      discounts: x.discounts,
      cancelledNotes: x.cancelledNotes,
      contingencyPending: x.contingencyPending,
      notesInFlight: x.notesInFlight,
      cancelledItems: x.cancelledItems,
      cancelledSales: x.cancelledSales,
      numbering: x.numbering,
    }).toEqual({
      sales: e.sales,
      byMethod: e.byMethod,
      byOperator: e.byOperator,
      discounts: e.discounts,
      cancelledNotes: e.cancelledNotes,
      contingencyPending: e.contingencyPending,
      notesInFlight: e.notesInFlight,
      cancelledItems: e.cancelledItems,
      cancelledSales: e.cancelledSales,
      numbering: e.numbering,
    });
    const cash = e.byMethod.find((m) => m.method === '01')?.amountCents ?? 0;
    expect(x.expected.cash).toBe(20_000 + cash);
    // Notes still moving: the closing is refused, with the count, and nothing changes.
    expect(e.notesInFlight).toBeGreaterThan(0);
    expect(() =>
      reg.close({
        names,
        terminalId: 'PDV01',
        declaration: { cashCounts: {}, cashCents: 0, cardCents: 0, pixCents: 0, otherCents: 0 },
        operatorId: 'caixa-1',
        managerId: 'gerente',
        zText: () => '',
      }),
    ).toThrow(expect.objectContaining({ code: 'register_notes_sending' }));
    expect(reg.current('PDV01')?.id).toBe(session.id);
  });

  it('CSV of the days and of the sales list in pt-BR (dd/mm/aaaa, decimal comma)', () => {
    const r = periodReport(db, { from: DAY0, to: '2026-03-04', names });
    const days = periodCsv(db, r, 'days', names).slice(1).trim().split('\r\n');
    expect(days[0]).toBe('Dia;Vendas;Valor (R$);Notas canceladas');
    expect(days.slice(1).map((l) => l.split(';')[0])).toEqual(['02/03/2026', '03/03/2026', '04/03/2026']);
    expect(days[1]).toMatch(/^02\/03\/2026;\d+;\d+,\d{2};\d+$/);
    const list = periodCsv(db, r, 'sales', names).slice(1).trim().split('\r\n');
    expect(list).toHaveLength(1 + sales.length);
    expect(list[1]).toMatch(/;0[2-4]\/03\/2026 \d{2}:\d{2}:\d{2};/);
  });
});
