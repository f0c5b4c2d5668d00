// Store-wide reports from what lanes pushed: the day's X/Z-style figures per lane and in total
// (cancelled notes out, contingency counted and flagged, cash net of troco, movements, sessions)
// and the accountant's month (authorized notes only), compared with sums computed here.
import { describe, expect, it } from 'vitest';
import { STORE_ROUTES, StoreDayReport, StoreMonthReport } from '../../../shared/store/protocol.ts';
import { seededRandom } from '../../fixtures/seeded-random.ts';
import { type SaleSpec, T0, event, salePayload, useStore } from './store-harness.ts';

const { h } = useStore();

describe('store-wide reports', () => {
  it('adds up the day across lanes exactly and the month from authorized notes only', async () => {
    const rnd = seededRandom(13);
    const lanes = await Promise.all(['1', '2', '3'].map((n) => h.pair(`Caixa ${n}`)));
    const days = ['2026-11-29', '2026-11-30', '2026-12-01'];
    const specs = new Map<string, (SaleSpec & { day: string })[]>();
    for (const lane of lanes) {
      const list: (SaleSpec & { day: string })[] = [];
      for (let i = 0; i < 40; i++) {
        const total = 500 + Math.floor(rnd() * 20_000);
        const r = rnd();
        const state = r < 0.1 ? 'cancelled' : r < 0.2 ? 'contingency' : 'authorized';
        const cash = rnd() < 0.5;
        const change = cash ? Math.floor(rnd() * 1000) : 0;
        list.push({
          day: days[Math.floor(rnd() * days.length)]!,
          totalCents: total,
          state,
          changeCents: change,
          discountCents: rnd() < 0.2 ? 150 : 0,
          operatorId: rnd() < 0.5 ? 'caixa-1' : 'caixa-2',
          payments: cash ? [{ method: '01', amountCents: total + change }] : [{ method: '17', amountCents: total }],
          cfop: rnd() < 0.7 ? '5102' : '5405',
        });
      }
      specs.set(lane.laneId, list);
      const events: ReturnType<typeof event>[] = list.map((s, i) => event(i + 1, 'sale', salePayload(s)));
      events.push(
        event(events.length + 1, 'register_session', {
          sessionId: 1,
          day: '2026-11-30',
          openedMs: T0,
          openedBy: 'caixa-1',
          openingCents: 10_000,
          closedMs: null,
          zNumber: null,
        }),
      );
      events.push(
        event(events.length + 1, 'register_movement', {
          movementId: 1,
          sessionId: 1,
          day: '2026-11-30',
          kind: 'sangria',
          amountCents: 5000,
          reason: 'cofre',
          operatorId: 'caixa-1',
          managerId: 'gerente',
          atMs: T0,
        }),
      );
      events.push(
        event(events.length + 1, 'register_movement', {
          movementId: 2,
          sessionId: 1,
          day: '2026-11-30',
          kind: 'suprimento',
          amountCents: 2000,
          reason: 'troco',
          operatorId: 'caixa-1',
          managerId: 'gerente',
          atMs: T0,
        }),
      );
      events.push(
        event(events.length + 1, 'register_session', {
          sessionId: 1,
          day: '2026-11-30',
          openedMs: T0,
          openedBy: 'caixa-1',
          openingCents: 10_000,
          closedMs: T0 + 1,
          zNumber: 7,
        }),
      );
      const r = await h.post(STORE_ROUTES.events, lane.credential, { events });
      expect(r.body).toMatchObject({ ackedSeq: events.length, gap: false });
    }

    const day = '2026-11-30';
    const rep = StoreDayReport.parse((await h.get(`${STORE_ROUTES.reportDay}?day=${day}`, h.admin)).body);
    expect(rep.lanes.map((l) => l.laneId).sort()).toEqual(lanes.map((l) => l.laneId).sort());
    let grand = 0;
    let grandCash = 0;
    for (const lane of lanes) {
      const mine = specs.get(lane.laneId)!.filter((s) => s.day === day);
      const valid = mine.filter((s) => s.state !== 'cancelled');
      const t = rep.lanes.find((l) => l.laneId === lane.laneId)!.totals;
      const sum = (xs: SaleSpec[], f: (s: SaleSpec) => number) => xs.reduce((a, s) => a + f(s), 0);
      expect(t.sales.count).toBe(valid.length);
      expect(t.sales.cents).toBe(sum(valid, (s) => s.totalCents));
      expect(t.sales.changeCents).toBe(sum(valid, (s) => s.changeCents ?? 0));
      expect(t.cancelledNotes).toEqual({
        count: mine.length - valid.length,
        cents: sum(
          mine.filter((s) => s.state === 'cancelled'),
          (s) => s.totalCents,
        ),
      });
      const cont = mine.filter((s) => s.state === 'contingency');
      expect(t.contingencyPending).toEqual({ count: cont.length, cents: sum(cont, (s) => s.totalCents) });
      const cash = valid.filter((s) => s.payments![0]!.method === '01');
      expect(t.byMethod.find((m) => m.method === '01')?.amountCents ?? 0).toBe(sum(cash, (s) => s.totalCents));
      expect(t.byMethod.reduce((a, m) => a + m.amountCents, 0)).toBe(t.sales.cents);
      expect(t.byOperator.reduce((a, o) => a + o.totalCents, 0)).toBe(t.sales.cents);
      expect(t.discounts.cents).toBe(sum(valid, (s) => s.discountCents ?? 0));
      expect(t).toMatchObject({
        sangrias: { count: 1, cents: 5000 },
        suprimentos: { count: 1, cents: 2000 },
        openingCents: 10_000,
        sessions: { opened: 1, closed: 1 },
      });
      grand += t.sales.cents;
      grandCash += sum(cash, (s) => s.totalCents);
    }
    expect(rep.total.sales.cents).toBe(grand);
    expect(rep.total.byMethod.find((m) => m.method === '01')?.amountCents ?? 0).toBe(grandCash);
    expect(rep.total.sangrias).toEqual({ count: 3, cents: 15_000 });
    expect(rep.total.sessions).toEqual({ opened: 3, closed: 3 });

    const month = StoreMonthReport.parse((await h.get(`${STORE_ROUTES.reportMonth}?month=2026-11`, h.admin)).body);
    const authorizedNov = [...specs.values()].flat().filter((s) => s.state === 'authorized' && s.day.startsWith('2026-11'));
    expect(month.total.notes).toBe(authorizedNov.length);
    expect(month.total.totalCents).toBe(authorizedNov.reduce((a, s) => a + s.totalCents, 0));
    expect(month.total.byDay.map((d) => d.day)).toEqual(['2026-11-29', '2026-11-30']);
    expect(month.total.byCfop.reduce((a, c) => a + c.totalCents, 0)).toBe(month.total.totalCents);
    expect(month.total.byMethod.reduce((a, m) => a + m.amountCents, 0)).toBe(month.total.totalCents);
    expect(month.lanes.reduce((a, l) => a + l.summary.totalCents, 0)).toBe(month.total.totalCents);
    expect(month.cancelledNotes).toBe([...specs.values()].flat().filter((s) => s.state === 'cancelled' && s.day.startsWith('2026-11')).length);

    // A duplicated push afterwards changes nothing.
    const lane = lanes[0]!;
    const again = specs
      .get(lane.laneId)!
      .slice(0, 5)
      .map((s, i) => event(i + 1, 'sale', salePayload(s)));
    const dup = await h.post(STORE_ROUTES.events, lane.credential, { events: again });
    expect(dup.status).toBe(409); // same seqs, new ids: the store refuses a rewritten history
    expect(StoreDayReport.parse((await h.get(`${STORE_ROUTES.reportDay}?day=${day}`, h.admin)).body).total).toEqual(rep.total);
  });

  it('refuses a malformed day or month with a Portuguese message, and a lane credential', async () => {
    const bad = await h.get(`${STORE_ROUTES.reportDay}?day=30/11/2026`, h.admin);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/AAAA-MM-DD/);
    expect((await h.get(`${STORE_ROUTES.reportMonth}?month=2026-13`, h.admin)).status).toBe(400);
    const lane = await h.pair('Caixa relatório');
    expect((await h.get(`${STORE_ROUTES.reportDay}?day=2026-11-30`, lane.credential)).status).toBe(403);
  });
});
