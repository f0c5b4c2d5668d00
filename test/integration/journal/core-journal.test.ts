// What the cashier's screen gets when the journal file itself is in trouble: the core (both
// shells' entry point) stops on the 'journal' phase with the journal's code and the pt-BR steps,
// never a generic error or a crash, and starts normally once the file is usable again.
import { copyFileSync, existsSync, mkdtempSync, openSync, closeSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../main/core/core.ts';
import { LAYOUT } from '../../../main/core/layout.ts';
import { demoCoreDeps } from '../../fixtures/core-rig.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'balcao-core-journal-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function core(): Promise<Core> {
  return createCore(await demoCoreDeps(dir));
}

describe('the core with a damaged journal', () => {
  it('stops on the journal phase with the recovery steps, then works once a sound file is back', async () => {
    const c1 = await core();
    await c1.start();
    const boot = await c1.handle('session.bootstrap', {});
    expect(boot.ok).toBe(true);
    await c1.close();
    const journal = LAYOUT.journal(dir, 'demo');
    copyFileSync(journal, `${journal}.good`);
    // One damaged page in the middle of the file.
    const pages = Math.floor(statSync(journal).size / 4096);
    const fd = openSync(journal, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, Math.max(1, Math.floor(pages / 2)) * 4096);
    closeSync(fd);

    const c2 = await core();
    await c2.start();
    const r = await c2.handle('session.bootstrap', {});
    expect(r.ok && r.value.phase).toBe('journal');
    if (r.ok) {
      expect(r.value.journal?.code).toBe('journal_damaged');
      expect(r.value.journal?.message).toMatch(/arquivo de vendas deste caixa está danificado.*O que fazer: 1\)/);
    }
    const sale = await c2.handle('sales.list', {});
    expect(sale).toMatchObject({ ok: false, error: { code: 'phase_journal' } });
    // The manager puts a sound copy back: the next call starts the core, no restart needed.
    copyFileSync(`${journal}.good`, journal);
    for (const side of ['-wal', '-shm']) if (existsSync(journal + side)) rmSync(journal + side);
    const again = await c2.handle('session.bootstrap', {});
    expect(again.ok && again.value.phase).toBe('ready');
    await c2.close();
  });
});
