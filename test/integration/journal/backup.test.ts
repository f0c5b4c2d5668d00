// Hot backups while selling, verified by reopening; a guided restore re-learns from Focus the
// sales the backup lacks before the next sale (standalone sandbox).
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backup } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupScheduler, backupJournal, listBackups, restoreJournal, verifyBackup } from '../../../main/db/backup.ts';
import { openLane, sell, spawnSandbox, type SandboxProcess } from './rig.ts';

let sb: SandboxProcess;
let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'balcao-backup-'));
  sb = await spawnSandbox(join(root, 'sandbox'));
});
afterAll(async () => {
  await sb?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('journal backups', () => {
  it("when the stepped copy on the till's connection keeps failing, one copy from a second connection still makes a verified backup", async () => {
    const path = join(root, 'fallback.sqlite');
    const dest = join(root, 'fallback-backups');
    const lane = openLane(path, sb);
    try {
      await sell(lane, 1);
      const calls: string[] = [];
      // node:sqlite's spurious "not an error" (errcode 0), seen while selling, on every stepped copy.
      const copy: typeof backup = (src, to, opts) => {
        const own = src === lane.journal.db;
        calls.push(own ? 'till' : 'second');
        return own ? Promise.reject(Object.assign(new Error('not an error'), { code: 'ERR_SQLITE_ERROR', errcode: 0 })) : backup(src, to, opts);
      };
      const b = await backupJournal(lane.journal.db, dest, 'caixa', { copy });
      expect(calls).toEqual(['till', 'till', 'till', 'second']);
      expect(verifyBackup(b.path).sales).toBe(1);
      expect(readdirSync(dest).filter((f) => f.endsWith('.part'))).toEqual([]);

      // Every way failing: a named failure, and no half-written copy left behind.
      const never: typeof backup = () => Promise.reject(Object.assign(new Error('not an error'), { code: 'ERR_SQLITE_ERROR', errcode: 0 }));
      await expect(backupJournal(lane.journal.db, dest, 'caixa', { copy: never })).rejects.toMatchObject({ code: 'backup_failed' });
      expect(readdirSync(dest).filter((f) => f.includes('.part'))).toEqual([]);
      expect(listBackups(dest, 'caixa')).toHaveLength(1);
    } finally {
      await lane.close();
    }
  });

  it('a backup taken while selling is verified, and a restore re-learns the later sales from Focus', async () => {
    const path = join(root, 'caixa.sqlite');
    const dest = join(root, 'pendrive');
    let lane = openLane(path, sb);
    await sell(lane, 1);
    // The backup runs while a sale is being finalized.
    const [b] = await Promise.all([backupJournal(lane.journal.db, dest, 'caixa'), sell(lane, 2)]);
    expect(b.sales).toBeGreaterThanOrEqual(1);
    expect(verifyBackup(b.path).sales).toBe(b.sales);
    expect(readdirSync(dest).filter((f) => f.endsWith('.part'))).toEqual([]);
    const later = [await sell(lane, 3), await sell(lane, 4)];
    await lane.close();

    restoreJournal(b.path, path);
    lane = openLane(path, sb);
    expect(lane.journal.refusal()?.code).toBe('journal_rolled_back');
    const next = await sell(lane, 5);
    expect(next.emission.state).toBe('authorized');
    for (const r of later) expect(lane.journal.emissions.latestForSale(r.saleId)?.numero).toBe(r.emission.numero);
    const notes = await sb.notes();
    expect(new Set(notes.map((n) => n.ref)).size).toBe(notes.length);
    await lane.close();
  });

  it('a damaged copy is never listed as a backup; a failing destination is reported, not thrown', async () => {
    const path = join(root, 'sched.sqlite');
    const lane = openLane(path, sb);
    await sell(lane, 1);
    const reports: string[] = [];
    const file = join(root, 'not-a-dir');
    writeFileSync(file, 'x');
    let dir = file;
    const s = new BackupScheduler({
      db: lane.journal.db,
      dir: () => dir,
      name: 'sched',
      intervalMs: 0,
      report: (r) => reports.push(r.ok ? 'ok' : r.error.code),
    });
    expect(await s.run()).toBeNull();
    expect(reports).toEqual(['backup_failed']);
    dir = join(root, 'good');
    expect((await s.run())?.sales).toBe(1);
    await s.close();
    expect(listBackups(dir, 'sched').length).toBeGreaterThanOrEqual(1);
    expect(reports.slice(1).every((r) => r === 'ok')).toBe(true);
    await lane.close();
  });
});
