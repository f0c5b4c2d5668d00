// The closing through the core with a fake ESC/POS printer on a loopback socket: bad input at the
// register answers in Portuguese and changes nothing (amounts in wrong formats, negative counts, a
// sangria above the drawer, a closing while a note is still in flight), and a Z reprinted later is
// the original paper, declared-vs-expected lines included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import type { Core } from '../../../main/core/core.ts';
import { LAYOUT } from '../../../main/core/layout.ts';
import { formatBRL } from '../../../shared/money.ts';
import type { Result } from '../../../shared/contract.ts';
import { DEMO_MANAGER, ok, openDemoCore, tempDataDir } from '../../fixtures/core-rig.ts';
import { decodeEscPos, startFakePrinter, type FakePrinter } from '../../fixtures/fake-printer.ts';

let dir: string;
let core: Core;
let printer: FakePrinter;
const PIN = DEMO_MANAGER.pin;

async function refused(p: Promise<Result<unknown>>, code: string): Promise<string> {
  const r = await p;
  expect(r).toMatchObject({ ok: false, error: { code } });
  return (r as { ok: false; error: { message: string } }).error.message;
}

/** Runs `action` and returns the printed lines of the paper it sends (a cash sale's drawer kick, which prints no text, may come in between). */
async function printed(action: () => Promise<unknown>): Promise<string[]> {
  const before = printer.jobs.length;
  await action();
  const papers = () => printer.jobs.slice(before).map((j) => decodeEscPos(j.bytes).lines.filter((l) => l.trim() !== ''));
  await expect.poll(() => papers().filter((p) => p.length > 0).length).toBe(1);
  return papers().find((p) => p.length > 0)!;
}

let n = 0;
async function sell(method: string): Promise<{ saleId: number; totalCents: number }> {
  const look = (await ok(core.handle('catalog.lookup', { code: '7891000000014' })))!;
  const total = look.product.priceCents;
  const r = await ok(
    core.handle('sales.finalize', {
      clientId: `paper-${Date.now()}-${++n}`,
      items: [{ productId: look.product.id, qtyE4: 10_000, unitPriceCents: total }],
      payments: [{ method, amountCents: total }],
    }),
  );
  return { saleId: r.saleId, totalCents: total };
}

/** What the manager sees of the open session (the X), to prove a refusal changed nothing. */
async function x() {
  const r = await ok(core.handle('register.report', { managerPin: PIN }));
  return { sessionId: r.sessionId, movements: r.movements, sales: r.sales, expected: r.expected };
}

beforeAll(async () => {
  dir = tempDataDir('balcao-closing-paper-');
  printer = await startFakePrinter();
  core = await openDemoCore(dir);
  await ok(core.handle('auth.login', { operatorId: 'gerente', pin: PIN }));
  await ok(
    core.handle('settings.update', {
      managerPin: PIN,
      patch: {
        autoPrint: false,
        printer: { kind: 'network', host: printer.host, port: printer.port, width: 48, codePage: 'cp860', nativeQr: true, summary: false },
      },
    }),
  );
  // The manager stays at the till: within the grace window no call hashes the PIN again (keeps the test short).
  await ok(core.handle('register.open', { amountText: '100,00' }));
});
afterAll(async () => {
  await core?.close();
  await printer?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('bad input at the register changes nothing', () => {
  it('amounts in wrong formats, negative counts and a sangria above the drawer', async () => {
    await sell('01');
    const before = await x();
    const jobs = printer.jobs.length;
    for (const amountText of ['10,5,0', '1.000,001', 'R$ dez', '-20,00', '0,00', '']) {
      const msg = await refused(
        core.handle('register.movement', { clientId: `bad-${++n}-xxxxxx`, kind: 'sangria', amountText, reason: 'Depósito', managerPin: PIN }),
        'amount_invalid',
      );
      expect(msg, amountText).toMatch(/^valor da sangria: /);
    }
    expect(
      await refused(
        core.handle('register.movement', { clientId: `bad-${++n}-xxxxxx`, kind: 'suprimento', amountText: '5,5,5', reason: 'Troco', managerPin: PIN }),
        'amount_invalid',
      ),
    ).toMatch(/^valor do suprimento: .*valor/);
    const big = await refused(
      core.handle('register.movement', { clientId: `bad-${++n}-xxxxxx`, kind: 'sangria', amountText: '100.000,00', reason: 'Cofre', managerPin: PIN }),
      'sangria_exceeds_cash',
    );
    expect(big).toContain(`maior que o dinheiro no caixa (${formatBRL(before.expected.cash)})`);
    expect(big).toContain('nada foi registrado');
    // The closing's counts and typed totals.
    expect(
      await refused(core.handle('register.close', { cashCounts: { '5000': -1 }, cardText: '', pixText: '', otherText: '', managerPin: PIN }), 'invalid_input'),
    ).toMatch(/negativa/);
    expect(
      await refused(core.handle('register.close', { cashCounts: { '5000': 1.5 }, cardText: '', pixText: '', otherText: '', managerPin: PIN }), 'invalid_input'),
    ).toMatch(/número inteiro/);
    for (const [field, label] of [
      ['cardText', 'total de cartões'],
      ['pixText', 'total de PIX'],
      ['otherText', 'outras formas'],
    ] as const) {
      const input = { cashCounts: {}, cardText: '', pixText: '', otherText: '', managerPin: PIN, [field]: '12,3,4' };
      expect(await refused(core.handle('register.close', input), 'amount_invalid')).toMatch(new RegExp(`^${label}: `));
    }
    expect(
      await refused(core.handle('register.close', { cashCounts: {}, cardText: '-1', pixText: '', otherText: '', managerPin: PIN }), 'amount_invalid'),
    ).toMatch(/negativo/);
    // Nothing was recorded, nothing printed, the session is still open with the same figures.
    expect(await x()).toEqual(before);
    expect(printer.jobs).toHaveLength(jobs);
    expect(await ok(core.handle('register.closings', { managerPin: PIN }))).toEqual([]);
  });

  it('a closing while a note is still in flight is refused in Portuguese; the session stays open', async () => {
    const sale = await sell('03');
    // The note held back (blocked: waits for the manager), as a note stuck on its way would be.
    const db = new DatabaseSync(LAYOUT.journal(dir, 'demo'));
    const hold = (state: string) => db.prepare('UPDATE emissions SET state = ? WHERE sale_id = ?').run(state, sale.saleId);
    try {
      await expect.poll(async () => (await ok(core.handle('sales.get', { saleId: sale.saleId }))).emission.state).toBe('authorized');
      hold('blocked');
      const before = await x();
      const msg = await refused(
        core.handle('register.close', { cashCounts: { '10000': 1 }, cardText: '', pixText: '', otherText: '', managerPin: PIN }),
        'register_notes_sending',
      );
      expect(msg).toMatch(/Ainda há 1 nota\(s\) sendo enviada\(s\) ou verificada\(s\)\. Aguarde/);
      expect((await ok(core.handle('register.state', {}))).session?.id).toBe(before.sessionId);
      expect(await x()).toEqual(before);
      expect(await ok(core.handle('register.closings', { managerPin: PIN }))).toEqual([]);
      hold('authorized');
    } finally {
      db.close();
    }
  });
});

describe('a Z reprinted later', () => {
  it('is the original paper: per method, declared, expected and the difference', async () => {
    const expected = (await x()).expected;
    // The cashier's count: R$ 5,00 short in cash, the card total right, PIX and others empty.
    const cashCents = expected.cash - 500;
    const counts = { '100': Math.floor(cashCents / 100), '1': cashCents % 100 };
    const cardText = (expected.card / 100).toFixed(2).replace('.', ',');
    let closed: Awaited<ReturnType<typeof closeIt>> | undefined;
    const closeIt = () => ok(core.handle('register.close', { cashCounts: counts, cardText, pixText: '', otherText: '', managerPin: PIN }));
    const original = await printed(async () => {
      closed = await closeIt();
    });
    expect(closed!.printed.ok).toBe(true);
    const sessionId = closed!.report.sessionId;

    const reprint = await printed(() => ok(core.handle('register.print', { sessionId, managerPin: PIN })));
    expect(reprint).toEqual(original);
    const text = reprint.join('\n');
    expect(text).toMatch(/REDUÇÃO Z Nº 1/);
    expect(text).toMatch(/Conferência \(declarado . esperado\)/);
    for (const l of closed!.lines) {
      const row = `${formatBRL(l.expectedCents)} / ${formatBRL(l.declaredCents)}`;
      expect(text, l.group).toContain(row);
    }
    expect(text).toMatch(new RegExp(`diferença\\s+${formatBRL(-500).replace(/[$.]/g, '\\$&')}`));
    expect(closed!.lines.map((l) => [l.group, l.differenceCents])).toEqual([
      ['cash', -500],
      ['card', 0],
      ['pix', 0],
      ['other', 0],
    ]);

    // The kept Z on screen carries the same lines and declaration.
    const kept = await ok(core.handle('register.zReport', { sessionId, managerPin: PIN }));
    expect(kept.lines).toEqual(closed!.lines);
    expect(kept.declaration).toEqual(closed!.declaration);
    expect(kept.text.split('\n').filter((l) => l.includes('esperado / declarado'))).toHaveLength(4);
  });
});
