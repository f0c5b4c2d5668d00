// The journal's -wal deleted, cut short or damaged after a crash, against a standalone sandbox
// process. SQLite says nothing about any of them: it replays the WAL up to the last commit whose
// frames are all there with good checksums and silently drops the rest. The high-water mark (kept
// outside the file) is what notices: the till stops before any sale, tells the cashier why, re-learns
// the dropped sales from Focus under their own refs, and only then sells again — with new refs, so no
// sale can adopt the note of one the journal forgot. Each case ends with the journal and Focus's
// records compared one to one.
import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readSync, rmSync, statSync, truncateSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal } from '../../../main/db/journal.ts';
import type { FinalizeResult } from '../../../main/emission/engine.ts';
import { openLane, sell, spawnSandbox, type Lane, type SandboxProcess } from './rig.ts';

let sb: SandboxProcess;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'balcao-wal-'));
  sb = await spawnSandbox(join(root, 'sandbox'));
});
afterAll(async () => {
  await sb?.close();
  rmSync(root, { recursive: true, force: true });
});

const cents = (v: unknown) => Math.round(Number(v) * 100);

async function settled(lane: Lane): Promise<void> {
  await expect.poll(() => lane.engine.busy() + lane.journal.emissions.listOpen().length, { timeout: 15_000 }).toBe(0);
}

interface CrashImage {
  path: string;
  /** Sales 1-2 (checkpointed into the main file), 3 (first in the WAL), 4-5 (later in the WAL). */
  sold: FinalizeResult[];
  /** Length of the WAL once sale 3 was committed and settled: every frame before it belongs to sales ≤ 3. */
  walAfterSale3: number;
  wal: Buffer;
}

/**
 * A till that sold 5 sales, the last 3 only in its -wal, and was killed: the files as SIGKILL leaves
 * them (synchronous = FULL: every commit's frames were written before the sale went to Focus).
 */
async function crashImage(name: string, terminalId: string): Promise<CrashImage> {
  const path = join(root, `${name}.sqlite`);
  let lane = openLane(path, sb);
  lane.settings.terminalId = terminalId;
  const sold: FinalizeResult[] = [];
  for (let n = 1; n <= 2; n++) sold.push(await sell(lane, n));
  await settled(lane);
  await lane.close(); // checkpointed: the main file holds sales 1-2
  lane = openLane(path, sb);
  lane.settings.terminalId = terminalId;
  lane.journal.db.exec('PRAGMA wal_autocheckpoint = 0');
  sold.push(await sell(lane, 3));
  await settled(lane);
  const walAfterSale3 = statSync(`${path}-wal`).size;
  for (let n = 4; n <= 5; n++) sold.push(await sell(lane, n));
  await settled(lane);
  expect(sold.map((s) => s.emission.state)).toEqual(Array(5).fill('authorized'));
  // The crash image: the main file and the WAL as they are on disk now.
  copyFileSync(path, `${path}.img`);
  const wal = Buffer.from(readFileBytes(`${path}-wal`));
  expect(wal.length).toBeGreaterThan(walAfterSale3);
  await lane.close();
  copyFileSync(`${path}.img`, path);
  for (const side of ['-wal', '-shm']) if (existsSync(path + side)) unlinkSync(path + side);
  return { path, sold, walAfterSale3, wal };
}

function readFileBytes(path: string): Uint8Array {
  const size = statSync(path).size;
  const buf = new Uint8Array(size);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buf, 0, size, 0);
  } finally {
    closeSync(fd);
  }
  return buf;
}

function writeFileBytes(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, bytes, 0, bytes.length, 0);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reopens the crashed journal with Focus unable to answer queries: the till must stop before any
 * sale, tell the cashier why in Portuguese, and send nothing. Then Focus answers again and the next
 * sale goes through after the re-learning. Returns that sale and the lane.
 */
async function recover(img: CrashImage, terminalId: string, survivors: number) {
  const notesBefore = await sb.notes();
  await sb.faults({ serverError: { count: 1_000, match: { method: 'GET' } } });
  const lane = openLane(img.path, sb);
  lane.settings.terminalId = terminalId;
  expect(lane.journal.extent().lastSaleId).toBe(survivors);
  const refusal = lane.journal.refusal();
  expect(refusal?.code).toBe('journal_rolled_back');
  expect(refusal?.message).toMatch(/voltou no tempo.*já houve a venda 5.*As vendas estão suspensas/);
  // The cashier's sale is refused with that message, and nothing reaches Focus.
  await expect(sell(lane, 6)).rejects.toMatchObject({ code: 'journal_rolled_back', message: refusal!.message });
  expect((await sb.notes()).length).toBe(notesBefore.length);
  await sb.reset();
  const next = await sell(lane, 6);
  expect(next.emission.state).toBe('authorized');
  expect(lane.journal.refusal()).toBeNull();
  await settled(lane);
  return { lane, next, notesBefore };
}

/** Journal and Focus one to one: every note of this terminal is one journal emission with the same total, posted once. */
async function assertOneToOne(lane: Lane, img: CrashImage, next: FinalizeResult, terminalId: string, notesBefore: number): Promise<void> {
  const notes = (await sb.notes()).filter((n) => n.ref.startsWith(`${terminalId}_`));
  expect(notes).toHaveLength(6);
  expect((await sb.notes()).length).toBe(notesBefore + 1);
  expect(notes.every((n) => n.posts === 1)).toBe(true);
  const saleIds = new Set<number>();
  for (const n of notes) {
    const row = lane.journal.emissions.getByRef(n.ref);
    expect(row, `note ${n.ref} is in the journal`).toBeDefined();
    expect(row!.state).toBe('authorized');
    expect(row!.numero).toBe(String(n.numero));
    expect(lane.journal.sales.require(row!.saleId).totalCents).toBe(cents((n.requisicao as { valor_total: string }).valor_total));
    saleIds.add(row!.saleId);
  }
  expect([...saleIds].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  // The sales the WAL lost are back under their own refs and numbers.
  for (const s of img.sold) {
    const back = lane.journal.emissions.latestForSale(s.saleId)!;
    expect(back.ref).toBe(s.emission.ref);
    expect(back.numero).toBe(s.emission.numero);
  }
  // The next sale got a new id and a ref no earlier sale ever used.
  expect(next.saleId).toBe(6);
  expect(img.sold.map((s) => s.emission.ref)).not.toContain(next.emission.ref);
  expect(lane.journal.checkIntegrity(true)).toEqual([]);
}

describe('a -wal lost or broken by a crash', () => {
  it('deleted: the main file alone is 3 sales behind; the till stops, re-learns them from Focus, then sells', async () => {
    const img = await crashImage('wal-deleted', 'WD1');
    // The WAL is simply gone (an antivirus, a "cleanup", a copy of the .sqlite alone).
    const { lane, next, notesBefore } = await recover(img, 'WD1', 2);
    await assertOneToOne(lane, img, next, 'WD1', notesBefore.length);
    expect(lane.journal.audit.recent(30).some((a) => a.action === 'journal_relearn' && a.details.recovered === 3)).toBe(true);
    await lane.close();
  });

  it('truncated mid-frame: SQLite keeps the commits before the cut and drops the rest; the 2 lost sales come back from Focus', async () => {
    const img = await crashImage('wal-truncated', 'WT1');
    // Cut inside the first frame written after sale 3 settled (a disk that lost the file's tail).
    writeFileBytes(`${img.path}-wal`, img.wal);
    truncateSync(`${img.path}-wal`, img.walAfterSale3 + 24 + 1_000);
    const { lane, next, notesBefore } = await recover(img, 'WT1', 3);
    await assertOneToOne(lane, img, next, 'WT1', notesBefore.length);
    expect(lane.journal.audit.recent(30).some((a) => a.action === 'journal_relearn' && a.details.recovered === 2)).toBe(true);
    await lane.close();
  });

  it('one damaged frame: its checksum fails, SQLite silently drops it and every later frame; detected and re-learned', async () => {
    const img = await crashImage('wal-damaged', 'WX1');
    const bad = Buffer.from(img.wal);
    // Garbage in the page data of the first frame after sale 3 (its 24-byte header is left intact).
    bad.fill(0x5a, img.walAfterSale3 + 24 + 512, img.walAfterSale3 + 24 + 1_536);
    writeFileBytes(`${img.path}-wal`, bad);
    const { lane, next, notesBefore } = await recover(img, 'WX1', 3);
    await assertOneToOne(lane, img, next, 'WX1', notesBefore.length);
    await lane.close();
  });

  it('a damaged WAL header: the whole WAL is ignored, like a deleted one', async () => {
    const img = await crashImage('wal-header', 'WH1');
    const bad = Buffer.from(img.wal);
    bad.fill(0xff, 8, 16); // page size and checkpoint sequence: the header's checksum no longer matches
    writeFileBytes(`${img.path}-wal`, bad);
    const { lane, next, notesBefore } = await recover(img, 'WH1', 2);
    await assertOneToOne(lane, img, next, 'WH1', notesBefore.length);
    await lane.close();
    // Reopened after the recovery, the journal is no longer behind.
    const again = Journal.open({ path: img.path });
    expect(again.refusal()).toBeNull();
    again.close();
  });
});
