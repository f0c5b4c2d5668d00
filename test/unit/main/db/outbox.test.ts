import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from '../../../../main/db/journal.ts';
import { Outbox } from '../../../../main/db/outbox.ts';
import { openRegisterDb } from '../../../../main/register/db.ts';
import { Register } from '../../../../main/register/register.ts';
import { saleFor } from '../../../integration/emission/fixtures.ts';
import { RegisterMovementPayload, RegisterSessionPayload, SaleEmissionPayload, SaleEventPayload, OutboxEvent } from '../../../../shared/store/protocol.ts';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'balcao-outbox-'));
  path = join(dir, 'vendas.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the outbox', () => {
  it('gets the sale in the same commit, once per clientId, with the payload the store reads', async () => {
    const j = Journal.open({ path });
    const sale = await saleFor(1, 'c-1');
    j.sales.commitSale(sale, { environment: 'homologacao' });
    j.sales.commitSale(sale, { environment: 'homologacao' });
    const rows = new Outbox(j.db).next(10);
    expect(rows.map((r) => r.kind)).toEqual(['sale']);
    expect(rows[0]!.seq).toBe(1);
    expect(rows[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(rows[0]!.payload).toMatchObject({ saleId: 'c-1', totalCents: sale.totalCents, day: sale.createdAt.slice(0, 10), emission: { state: 'pending' } });
    j.close();
  });

  it('writes nothing when the transaction that reports it rolls back', async () => {
    const j = Journal.open({ path });
    const sale = await saleFor(1, 'c-rollback');
    expect(() =>
      j.transaction(() => {
        j.sales.commitSale(sale, { environment: 'homologacao' });
        j.audit.add({ actor: 'x', action: 'test' });
        throw new Error('crash before commit');
      }),
    ).toThrow('crash before commit');
    expect(j.sales.count()).toBe(0);
    expect(new Outbox(j.db).backlog().count).toBe(0);
    // The sequence did not advance either: the next event is seq 1 (the store wants no gaps).
    j.sales.commitSale(sale, { environment: 'homologacao' });
    expect(new Outbox(j.db).next(10).map((r) => r.seq)).toEqual([1]);
    j.close();
  });

  it('orders sales, note states, cancellations, audit and register events by one gapless seq, also across connections', async () => {
    const j = Journal.open({ path });
    const regDb = openRegisterDb(path, Date.now());
    const register = new Register({ db: regDb, clock: Date.now });
    register.open({ terminalId: 'PDV01', operatorId: 'op1', openingCents: 10_000, counts: null });
    const { sale, emission } = j.sales.commitSale(await saleFor(1, 'c-a'), { environment: 'homologacao' });
    j.emissions.transition(emission.id, 'pending', 'sending');
    j.emissions.transition(emission.id, 'sending', 'authorized', { numero: '7', serie: '1' });
    j.emissions.transition(emission.id, 'authorized', 'cancelled');
    register.movement({
      clientId: 'm1',
      terminalId: 'PDV01',
      kind: 'suprimento',
      amountCents: 500,
      reason: 'troco',
      operatorId: 'op1',
      managerId: 'g1',
      voucher: () => 'v',
    });
    const rows = new Outbox(j.db).next(100);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(rows.map((r) => r.kind)).toEqual([
      'audit', // register_open's audit entry
      'register_session',
      'sale',
      'sale_emission',
      'sale_emission',
      'audit', // suprimento
      'register_movement',
    ]);
    expect(rows[2]!.payload).toMatchObject({ sessionId: 1 });
    expect(rows[3]!.payload).toMatchObject({ saleId: 'c-a', state: 'authorized', serie: 1, number: 7 });
    expect(rows[4]!.payload).toMatchObject({ saleId: 'c-a', state: 'cancelled' });
    expect(rows[6]!.payload).toMatchObject({ kind: 'suprimento', amountCents: 500, sessionId: 1 });
    expect(sale.id).toBe(1);
    // Every payload is what the store's protocol parses (the store projects these into its totals).
    const schema = {
      sale: SaleEventPayload,
      sale_emission: SaleEmissionPayload,
      register_session: RegisterSessionPayload,
      register_movement: RegisterMovementPayload,
    };
    for (const r of rows) {
      expect(OutboxEvent.safeParse({ id: r.id, seq: r.seq, kind: r.kind, atMs: r.atMs, payload: r.payload }).success).toBe(true);
      const s = schema[r.kind as keyof typeof schema];
      if (s) expect(s.safeParse(r.payload).error).toBeUndefined();
    }
    regDb.close();
    j.close();
  });

  it('acknowledges cumulatively, keeps the rows, and counts the backlog', async () => {
    const j = Journal.open({ path });
    for (let i = 1; i <= 5; i++) j.sales.commitSale(await saleFor(i, `c-${i}`), { environment: 'homologacao' });
    const ob = new Outbox(j.db);
    expect(ob.backlog().count).toBe(5);
    expect(ob.ack(3, 1000)).toBe(3);
    expect(ob.ack(3, 2000)).toBe(0);
    expect(ob.next(10).map((r) => r.seq)).toEqual([4, 5]);
    expect(ob.backlog().count).toBe(2);
    expect(ob.lastSeq()).toBe(5);
    expect(Number(j.db.prepare('SELECT COUNT(*) AS n FROM outbox').get()?.n)).toBe(5);
    j.close();
  });
});
