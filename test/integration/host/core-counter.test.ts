// The counter through the core, with the built-in sandbox and a loopback fake printer: a sale
// handed over in the background, its receipt printing by itself, the drawer at payment, print job
// states that tell the truth, rejected notes counted, parked sales that survive a restart, and a
// key map that refuses conflicts.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventPayloads, ParkedCart } from '../../../shared/contract.ts';
import type { EmissionView } from '../../../shared/emission.ts';
import { createCore, type Core } from '../../../main/core/core.ts';
import { demoCoreDeps, ok } from '../../fixtures/core-rig.ts';
import { LAYOUT } from '../../../main/core/layout.ts';
import { decodeEscPos, startFakePrinter, type FakePrinter } from '../../fixtures/fake-printer.ts';

let dir: string;
let core: Core;
let printer: FakePrinter;
const views = new Map<number, EmissionView[]>();
const prints: EventPayloads['print.changed'][] = [];

async function open(): Promise<Core> {
  const c = createCore(await demoCoreDeps(dir, { printer: { tcp: { connectTimeoutMs: 500, statusTimeoutMs: 300, closeGraceMs: 300 } } }));
  c.events.subscribe((event, payload) => {
    if (event === 'emission.changed') {
      const v = payload as EmissionView;
      views.set(v.saleId, [...(views.get(v.saleId) ?? []), v]);
    }
    if (event === 'print.changed') prints.push(payload as EventPayloads['print.changed']);
  });
  await c.start();
  return c;
}

let n = 0;
async function draft(method: '01' | '04', background = true) {
  const look = await ok(core.handle('catalog.lookup', { code: '7891000000014' }));
  const price = look!.product.priceCents;
  return {
    clientId: `counter-${process.pid}-${++n}`,
    items: [{ productId: look!.product.id, qtyE4: 10_000, unitPriceCents: price }],
    payments: [method === '01' ? { method, amountCents: price + 500 } : { method, amountCents: price, card: { integration: '2' as const, brand: '01' } }],
    background,
  };
}

function sandbox() {
  const sb = core.info().sandbox;
  if (!sb) throw new Error('demo sandbox expected');
  return sb;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'balcao-counter-'));
  printer = await startFakePrinter();
  core = await open();
  await ok(core.handle('auth.login', { operatorId: 'caixa-1', pin: '1234' }));
  // Abertura: the till sells only with the register open.
  await ok(core.handle('register.open', { amountText: '100,00' }));
  await ok(
    core.handle('settings.update', {
      managerPin: '9999',
      patch: { printer: { kind: 'network', host: printer.host, port: printer.port, width: 48, codePage: 'cp860', nativeQr: true, summary: false } },
    }),
  );
});
afterAll(async () => {
  await core?.close();
  await printer?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the counter', () => {
  it('answers a background finalize before the note is authorized, then prints the receipt by itself', async () => {
    // Focus slow enough that a waiting finalize could not come back before the note.
    sandbox().controls.set({ latencyMs: 1500 });
    const jobsBefore = printer.jobs.length;
    const sold = await ok(core.handle('sales.finalize', await draft('04')));
    expect(['pending', 'sending']).toContain(sold.emission.state);
    await vi.waitFor(() => expect(views.get(sold.saleId)?.at(-1)?.state).toBe('authorized'), { timeout: 10_000 });
    sandbox().controls.reset();
    const [job] = (await printer.waitForJobs(jobsBefore + 1, 10_000)).slice(jobsBefore);
    const decoded = decodeEscPos(job!.bytes);
    const numero = Number(views.get(sold.saleId)!.at(-1)!.numero);
    expect(decoded.lines.join('\n')).toMatch(new RegExp(`N[ºo°]?\\s*0*${numero}\\b|${numero}`));
    // Card sale: no drawer; the receipt itself never kicks it.
    expect(decoded.pulses).toBe(0);
    await vi.waitFor(() => expect(prints.filter((p) => p.saleId === sold.saleId).map((p) => p.state)).toEqual(['queued', 'printing', 'done']));
  });

  it('opens the drawer at payment for cash, before the note is authorized', async () => {
    sandbox().controls.set({ latencyMs: 1500 });
    const jobsBefore = printer.jobs.length;
    const sold = await ok(core.handle('sales.finalize', await draft('01')));
    const [kick] = (await printer.waitForJobs(jobsBefore + 1, 5_000)).slice(jobsBefore);
    expect(decodeEscPos(kick!.bytes).pulses).toBe(1);
    expect(views.get(sold.saleId)?.some((v) => v.state === 'authorized')).toBe(false);
    sandbox().controls.reset();
    const jobs = await printer.waitForJobs(jobsBefore + 2, 10_000);
    expect(decodeEscPos(jobs[jobsBefore + 1]!.bytes).pulses).toBe(0);
  });

  it('a resent finalize neither prints nor opens the drawer again', async () => {
    const d = await draft('01', false);
    const first = await ok(core.handle('sales.finalize', d));
    expect(first.emission.state).toBe('authorized');
    await vi.waitFor(() => expect(prints.filter((p) => p.saleId === first.saleId && p.state === 'done')).toHaveLength(2));
    const jobs = printer.jobs.length;
    const again = await ok(core.handle('sales.finalize', d));
    expect(again.saleId).toBe(first.saleId);
    await core.handle('status.get', {});
    expect(printer.jobs.length).toBe(jobs);
  });

  it('says why a print failed (paper out) and never blocks the next sale', async () => {
    printer.setStatus({ paperOut: true });
    const sold = await ok(core.handle('sales.finalize', await draft('04')));
    await vi.waitFor(
      () => expect(prints.find((p) => p.saleId === sold.saleId && p.state === 'failed')).toMatchObject({ ok: false, code: 'paper_out', kind: 'receipt' }),
      { timeout: 10_000 },
    );
    expect((await ok(core.handle('status.get', {}))).printer.ok).toBe(false);
    printer.setStatus({});
    const next = await ok(core.handle('sales.finalize', await draft('04')));
    expect(next.saleId).toBeGreaterThan(sold.saleId);
    // Reprint from history: a queued answer, and the truth arrives as events.
    const r = await ok(core.handle('receipt.print', { saleId: sold.saleId }));
    expect(r).toMatchObject({ ok: true, state: 'queued' });
    await vi.waitFor(() => expect(prints.some((p) => p.jobId === r.jobId && p.state === 'done')).toBe(true), { timeout: 10_000 });
  });

  it('does not print by itself when the manager turned it off', async () => {
    await ok(core.handle('settings.update', { managerPin: '9999', patch: { autoPrint: false } }));
    const sold = await ok(core.handle('sales.finalize', await draft('04', false)));
    expect(sold.emission.state).toBe('authorized');
    await ok(core.handle('status.get', {}));
    expect(prints.some((p) => p.saleId === sold.saleId)).toBe(false);
    await ok(core.handle('settings.update', { managerPin: '9999', patch: { autoPrint: true } }));
  });

  it('counts a rejected note in the status bar and lists it in the contingency panel', async () => {
    const before = (await ok(core.handle('status.get', {}))).problemNotes;
    sandbox().controls.set({ reject: { count: 1, status_sefaz: '778', mensagem_sefaz: 'NCM inexistente' } });
    const sold = await ok(core.handle('sales.finalize', await draft('04')));
    await vi.waitFor(() => expect(views.get(sold.saleId)?.at(-1)?.state).toBe('rejected'), { timeout: 10_000 });
    expect((await ok(core.handle('status.get', {}))).problemNotes).toBe(before + 1);
    const panel = await ok(core.handle('contingency.list', {}));
    expect(panel.find((i) => i.saleId === sold.saleId)).toMatchObject({ state: 'rejected', problem: { title: expect.any(String) } });
    // Nothing printed for a rejected note.
    expect(prints.some((p) => p.saleId === sold.saleId)).toBe(false);
  });

  it('refuses a key map with one key for two actions', async () => {
    const r = await core.handle('settings.update', { managerPin: '9999', patch: { keyMap: { pay: 'F2' } } });
    expect(r).toMatchObject({ ok: false, error: { code: 'key_conflict', message: expect.stringContaining('F2') } });
    const s = await ok(core.handle('settings.update', { managerPin: '9999', patch: { keyMap: { pay: 'F12', park: 'F10' } } }));
    expect(s.keyMap).toEqual({ pay: 'F12', park: 'F10' });
  });

  it('keeps parked sales across a restart, each with its time and total, and recalls each once', async () => {
    const cart = (total: number): ParkedCart => ({
      lines: [
        {
          seq: 1,
          productId: 'p1',
          code: '7891000000014',
          description: 'Arroz',
          unit: 'UN',
          weighed: false,
          qtyE4: 10_000,
          unitPriceCents: total,
          discountCents: 0,
          cancelled: false,
        },
      ],
      nextSeq: 2,
      saleDiscountCents: 0,
      customerDocument: null,
      totalCents: total,
    });
    const a = await ok(core.handle('till.park', { cart: cart(1234) }));
    await ok(core.handle('till.park', { cart: cart(999) }));
    expect(a).toMatchObject({ operatorName: 'Caixa 1', totalCents: 1234, itemCount: 1, parkedAt: expect.stringMatching(/^\d{4}-/) });
    await core.close();
    core = await open();
    await ok(core.handle('auth.login', { operatorId: 'caixa-2', pin: '2345' }));
    const list = await ok(core.handle('till.parked', {}));
    expect(list.map((p) => p.totalCents)).toEqual([1234, 999]);
    expect(await ok(core.handle('till.recall', { id: a.id }))).toEqual(cart(1234));
    expect(await core.handle('till.recall', { id: a.id })).toMatchObject({ ok: false, error: { code: 'parked_not_found' } });
    expect((await ok(core.handle('till.parked', {}))).map((p) => p.totalCents)).toEqual([999]);
  });

  it('reports a damaged parked file in Portuguese and leaves it alone', async () => {
    writeFileSync(LAYOUT.parked(dir, 'demo'), '{"version": 1, "parked": [');
    expect(await core.handle('till.parked', {})).toMatchObject({
      ok: false,
      error: { code: 'parked_damaged', message: expect.stringContaining('danificado') },
    });
  });
});
