// A journal copied back to an older state, or one that lost its -wal, against a standalone sandbox:
// it is detected before any sale, the missing sales are re-learned from Focus, and no later sale
// can adopt a vanished sale's note.
import { copyFileSync, existsSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal } from '../../../main/db/journal.ts';
import { NOTE_MISMATCH } from '../../../main/emission/note-match.ts';
import { openLane, sell, spawnSandbox, type Lane, type SandboxProcess } from './rig.ts';
import { saleFor } from '../emission/fixtures.ts';

let sb: SandboxProcess;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'balcao-rollback-'));
  sb = await spawnSandbox(join(root, 'sandbox'));
});
afterAll(async () => {
  await sb?.close();
  rmSync(root, { recursive: true, force: true });
});

const notesByRef = async () => new Map((await sb.notes()).map((n) => [n.ref, n]));

describe('a journal that went back in time', () => {
  it('an older copy restored: selling stops, the lost sales come back from Focus, the next sale gets its own note', async () => {
    const path = join(root, 'restored.sqlite');
    let lane = openLane(path, sb);
    for (let n = 1; n <= 3; n++) expect((await sell(lane, n)).emission.state).toBe('authorized');
    await lane.close();
    copyFileSync(path, `${path}.copy`);
    lane = openLane(path, sb);
    const lost = [];
    for (let n = 4; n <= 5; n++) lost.push(await sell(lane, n));
    expect(lost.map((r) => r.emission.state)).toEqual(['authorized', 'authorized']);
    await lane.close();

    // The manager "restores" yesterday's copy.
    copyFileSync(`${path}.copy`, path);
    const before = await sb.notes();
    await sb.faults({ serverError: { count: 1_000, match: { method: 'GET' } } });
    lane = openLane(path, sb);
    expect(lane.journal.refusal()?.code).toBe('journal_rolled_back');
    expect(lane.journal.refusal()?.message).toMatch(/voltou no tempo.*venda 5/);
    // Focus cannot answer yet: the cashier is told why, and nothing reaches Focus.
    await expect(sell(lane, 6)).rejects.toMatchObject({ code: 'journal_rolled_back' });
    expect((await sb.notes()).length).toBe(before.length);

    await sb.reset();
    const r6 = await sell(lane, 6);
    expect(r6.emission.state).toBe('authorized');
    expect(lane.journal.refusal()).toBeNull();
    // Sales 4 and 5 are back with Focus's numbers; sale 6 got a new sale id and its own note.
    const notes = await notesByRef();
    for (const r of lost) {
      const back = lane.journal.emissions.latestForSale(r.saleId)!;
      expect(back.ref).toBe(r.emission.ref);
      expect(back.state).toBe('authorized');
      expect(back.numero).toBe(r.emission.numero);
      expect(lane.journal.sales.require(r.saleId).totalCents).toBe(
        Math.round(Number((notes.get(r.emission.ref)!.requisicao as { valor_total: string }).valor_total) * 100),
      );
    }
    expect(r6.saleId).toBe(6);
    const note6 = notes.get(r6.emission.ref)!;
    expect(Math.round(Number((note6.requisicao as { valor_total: string }).valor_total) * 100)).toBe(lane.journal.sales.require(6).totalCents);
    expect(notes.size).toBe(before.length + 1);
    expect([...notes.values()].every((n) => n.posts === 1)).toBe(true);
    expect(lane.journal.audit.recent(20).some((a) => a.action === 'journal_relearn' && a.details.recovered === 2)).toBe(true);
    await lane.close();
    // Reopened, the journal is no longer behind.
    const again = Journal.open({ path });
    expect(again.refusal()).toBeNull();
    again.close();
  });

  it('a lost -wal: detected at open and re-learned before the next sale', async () => {
    const path = join(root, 'wal-lost.sqlite');
    let lane = openLane(path, sb);
    await sell(lane, 1);
    await lane.close(); // checkpointed: the main file holds sale 1
    lane = openLane(path, sb);
    lane.journal.db.exec('PRAGMA wal_autocheckpoint = 0');
    const inWal = await sell(lane, 2);
    // A copy of the main file alone is what a lost -wal leaves.
    copyFileSync(path, `${path}.main`);
    await lane.close();
    copyFileSync(`${path}.main`, path);
    if (existsSync(`${path}-wal`)) unlinkSync(`${path}-wal`);
    lane = openLane(path, sb);
    expect(lane.journal.refusal()?.code).toBe('journal_rolled_back');
    const r3 = await sell(lane, 3);
    expect(r3.emission.state).toBe('authorized');
    expect(lane.journal.emissions.latestForSale(inWal.saleId)?.ref).toBe(inWal.emission.ref);
    expect(lane.journal.emissions.latestForSale(inWal.saleId)?.state).toBe('authorized');
    await lane.close();
  });

  it('restored twice from the same copy, with an open refused in between: every sale comes back, none is numbered twice', async () => {
    const path = join(root, 'twice.sqlite');
    const reopen = (l: Lane) => l.close().then(() => openLane(path, sb));
    const restore = () => {
      copyFileSync(`${path}.copy`, path);
      for (const side of ['-wal', '-shm']) if (existsSync(path + side)) unlinkSync(path + side);
    };
    let lane = openLane(path, sb);
    for (let n = 1; n <= 3; n++) await sell(lane, n);
    lane = await reopen(lane);
    copyFileSync(path, `${path}.copy`);
    for (let n = 4; n <= 5; n++) await sell(lane, n); // refs of this open's generation
    await lane.close();
    restore();
    lane = openLane(path, sb);
    const six = await sell(lane, 6); // 4 and 5 re-learned first: this generation numbers from 6
    expect(six.saleId).toBe(6);
    await lane.close();
    restore();
    // An open that cannot re-learn (Focus not answering) numbers nothing; the next one must still find 4, 5 and 6.
    await sb.faults({ serverError: { count: 1_000, match: { method: 'GET' } } });
    lane = openLane(path, sb);
    await expect(sell(lane, 7)).rejects.toMatchObject({ code: 'journal_rolled_back' });
    await lane.close();
    await sb.reset();
    lane = openLane(path, sb);
    const seven = await sell(lane, 7);
    expect(seven.saleId).toBe(7);
    expect(seven.emission.state).toBe('authorized');
    // Journal and Focus one to one for this till's file: seven sales, seven notes, each posted once.
    const tags = new Set<string>();
    for (let id = 1; id <= 7; id++) {
      const row = lane.journal.emissions.latestForSale(id)!;
      expect(row.state).toBe('authorized');
      tags.add(row.ref.split('_')[1]!);
    }
    const ours = (await sb.notes()).filter((n) => tags.has(n.ref.split('_')[1]!));
    expect(ours).toHaveLength(7);
    expect(ours.every((n) => n.posts === 1 && lane.journal.emissions.getByRef(n.ref) !== undefined)).toBe(true);
    await lane.close();
  });

  it('a note Focus holds under this ref that is not this sale is never adopted', async () => {
    const path = join(root, 'collision.sqlite');
    const first = openLane(path, sb);
    const one = await sell(first, 1);
    await first.close();
    // A journal from before ref generations, copied to another terminal with the same id, hands
    // its next sale (another total, other items) the ref Focus already authorized.
    const otherPath = join(root, 'collision-other.sqlite');
    const other = Journal.open({ path: otherPath });
    const committed = other.sales.commitSale(await saleFor(2, 'collide_2'), { environment: 'homologacao' });
    other.db.prepare('UPDATE emissions SET ref = ? WHERE id = ?').run(one.emission.ref, committed.emission.id);
    other.close();
    const before = (await sb.notes()).length;
    const lane = openLane(otherPath, sb);
    await lane.engine.start();
    await expect.poll(() => lane.journal.emissions.latestForSale(committed.sale.id)?.state, { timeout: 10_000 }).toBe('blocked');
    const blocked = lane.journal.emissions.latestForSale(committed.sale.id)!;
    expect(blocked.blockReason).toBe(NOTE_MISMATCH);
    expect(blocked.problemFix).toMatch(/vale R\$ .* e a venda R\$/);
    expect(blocked.numero).toBeNull();
    expect(lane.engine.view(committed.sale.id)?.state).not.toBe('authorized');
    // Resend issues the sale under a new ref: one new note, with this sale's total.
    const again = await lane.engine.resend(committed.sale.id, 'gerente');
    expect(again.state).toBe('authorized');
    expect(again.ref).not.toBe(one.emission.ref);
    const notes = await notesByRef();
    expect(notes.size).toBe(before + 1);
    expect(Math.round(Number((notes.get(again.ref)!.requisicao as { valor_total: string }).valor_total) * 100)).toBe(committed.sale.totalCents);
    await lane.close();
  });
});
