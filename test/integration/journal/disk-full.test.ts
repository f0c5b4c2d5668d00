// A full disk never kills the app and never lets a sale reach Focus unrecorded: against a
// standalone sandbox, with SQLite's own SQLITE_FULL on a small tmpfs (root only) and an injected
// write error (everywhere).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setWriteFault } from '../../../main/db/sqlite.ts';
import { openLane, sell, spawnSandbox, type SandboxProcess } from './rig.ts';

let sb: SandboxProcess;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'balcao-diskfull-'));
  sb = await spawnSandbox(join(root, 'sandbox'));
});
afterAll(async () => {
  await sb?.close();
  rmSync(root, { recursive: true, force: true });
});

const full = () => Object.assign(new Error('database or disk is full'), { code: 'ERR_SQLITE_ERROR', errcode: 13 });

describe('disk full', () => {
  it('injected SQLITE_FULL: the sale is refused in Portuguese with the space needed, nothing goes to Focus, selling resumes', async () => {
    const lane = openLane(join(root, 'injected.sqlite'), sb);
    await sell(lane, 1);
    const before = (await sb.notes()).length;
    setWriteFault(lane.journal.db, () => {
      throw full();
    });
    const err = await sell(lane, 2).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'disk_full' });
    expect((err as Error).message).toMatch(/disco do caixa está cheio.*Libere pelo menos \d+ MB/);
    expect((await sb.notes()).length).toBe(before);
    expect(lane.journal.sales.count()).toBe(1);
    setWriteFault(lane.journal.db, null);
    expect((await sell(lane, 3)).emission.state).toBe('authorized');
    await lane.close();
  });

  it('full while the POST is out: no crash, the fault is reported, the note is learned by GET when space returns', async () => {
    let armed = true;
    const lane = openLane(join(root, 'in-flight.sqlite'), sb, {
      engine: {
        crashPoint: (point) => {
          if (point === 'post-in-flight' && armed) {
            armed = false;
            setWriteFault(lane.journal.db, () => {
              throw full();
            });
          }
        },
      },
    });
    const before = (await sb.notes()).length;
    const pending = sell(lane, 4);
    await expect.poll(() => lane.faults.some((f) => f.code === 'disk_full'), { timeout: 10_000 }).toBe(true);
    expect(lane.engine.fault()?.message).toMatch(/disco do caixa está cheio/);
    // Focus authorized it; the journal still says 'sending' (resolved by GET, never re-POSTed blindly).
    const notes = await sb.notes();
    expect(notes.length).toBe(before + 1);
    const row = lane.journal.emissions.listOpen()[0]!;
    expect(row.state).toBe('sending');
    setWriteFault(lane.journal.db, null);
    const r = await pending;
    expect(r.emission.state).toBe('authorized');
    expect(r.emission.numero).toBe(String(notes.at(-1)!.numero));
    expect((await sb.notes()).find((n) => n.ref === r.emission.ref)?.posts).toBe(1);
    expect(lane.engine.fault()).toBeNull();
    await lane.close();
  });

  it('a real full tmpfs: SQLITE_FULL named as such, nothing sent, resumes when space returns', async (ctx) => {
    if (process.getuid?.() !== 0) return ctx.skip('needs root to mount a small tmpfs (the injected test covers the logic)');
    const dir = join(root, 'tmpfs');
    mkdirSync(dir);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', dir], { stdio: 'ignore' });
    } catch {
      return ctx.skip('mount -t tmpfs is not permitted here');
    }
    try {
      const lane = openLane(join(dir, 'journal.sqlite'), sb, { journal: { markPath: join(root, 'tmpfs.mark') } });
      await sell(lane, 1);
      const before = (await sb.notes()).length;
      // Fill every byte left.
      const fd = openSync(join(dir, 'filler'), 'w');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (e) {
        expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
      }
      try {
        for (;;) writeSync(fd, chunk.subarray(0, 512));
      } catch {
        // the last few bytes
      }
      closeSync(fd);
      let refused: unknown = null;
      for (let n = 2; n < 40 && !refused; n++)
        refused = await sell(lane, n).then(
          () => null,
          (e: unknown) => e,
        );
      expect(refused).toMatchObject({ code: 'disk_full' });
      expect((refused as Error).message).toMatch(/disco do caixa está cheio \(livre: \d+ MB\).*Libere pelo menos/);
      const committed = lane.journal.sales.count();
      // Every note at Focus is one the journal recorded.
      expect((await sb.notes()).length).toBe(before + committed - 1);
      rmSync(join(dir, 'filler'));
      const r = await sell(lane, 50);
      expect(r.emission.state).toBe('authorized');
      await lane.close();
    } finally {
      execFileSync('umount', [dir], { stdio: 'ignore' });
    }
  });
});
