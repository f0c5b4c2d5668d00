// SIGKILL while a cancellation or an e-mail request is out (standalone sandbox, a real child
// process): the intent was journaled before the request, and the next start learns what Focus did.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLane, spawnSandbox, type SandboxProcess } from './rig.ts';

let sb: SandboxProcess;
let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'balcao-kill-'));
  sb = await spawnSandbox(join(root, 'sandbox'));
});
afterAll(async () => {
  await sb?.close();
  rmSync(root, { recursive: true, force: true });
});

async function killDuring(
  action: 'cancel' | 'email',
  path: string,
  armed: Record<string, unknown>,
  until: (ref: string, out: () => string) => Promise<boolean>,
): Promise<{ saleId: number; ref: string }> {
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, 'kill-child.ts'), JSON.stringify({ path, url: sb.url, token: sb.token, emitter: sb.emitter, action })],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  const exited = new Promise((r) => child.on('exit', r));
  try {
    await expect.poll(() => /^sold (\d+) (\S+)$/m.test(out), { timeout: 20_000 }).toBe(true);
    const [, saleId, ref] = /^sold (\d+) (\S+)$/m.exec(out)!;
    await sb.faults(armed);
    child.stdin.write('go\n');
    await expect.poll(() => until(ref!, () => out), { timeout: 10_000 }).toBe(true);
    child.kill('SIGKILL');
    await exited;
    return { saleId: Number(saleId), ref: ref! };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await sb.reset();
  }
}

describe('SIGKILL during a Focus side effect', () => {
  it('cancel: Focus cancelled the note, the app was killed before hearing it; the next start says "Cancelada"', async () => {
    const path = join(root, 'cancel.sqlite');
    const { saleId, ref } = await killDuring('cancel', path, { hang: { count: 1, match: { method: 'DELETE' }, afterCommit: true } }, async (ref) =>
      (await sb.notes()).some((n) => n.ref === ref && n.status === 'cancelado'),
    );
    const lane = openLane(path, sb);
    expect(lane.journal.sideEffects.listPending().map((e) => e.kind)).toEqual(['cancel']);
    expect(lane.journal.emissions.latestForSale(saleId)?.state).toBe('authorized');
    await lane.engine.start();
    expect(lane.engine.view(saleId)?.state).toBe('cancelled');
    expect(lane.journal.sideEffects.listPending()).toEqual([]);
    expect(lane.journal.audit.forSale(saleId).some((e) => e.action === 'cancel' && e.details.learnedAtStart === true)).toBe(true);
    const note = (await sb.notes()).find((n) => n.ref === ref)!;
    expect(note.status).toBe('cancelado');
    expect(note.posts).toBe(1);
    await lane.close();
  });

  it('cancel that never reached Focus: the note stays authorized and can be cancelled again', async () => {
    const path = join(root, 'cancel-lost.sqlite');
    const { saleId, ref } = await killDuring('cancel', path, { hang: { count: 1, match: { method: 'DELETE' } } }, async (_ref, out) => /^sent$/m.test(out()));
    const lane = openLane(path, sb);
    await lane.engine.start();
    expect(lane.engine.view(saleId)?.state).toBe('authorized');
    expect(lane.journal.sideEffects.listPending()).toEqual([]);
    expect((await lane.engine.cancel(saleId, 'Cliente desistiu da compra no caixa', 'gerente')).state).toBe('cancelled');
    expect((await sb.notes()).find((n) => n.ref === ref)?.status).toBe('cancelado');
    await lane.close();
  });

  it('e-mail: the unconfirmed request is closed at start and left in the audit for the manager', async () => {
    const path = join(root, 'email.sqlite');
    const { saleId } = await killDuring('email', path, { hang: { count: 1, match: { method: 'POST', pathPrefix: '/v2/nfce/' } } }, async (_ref, out) =>
      /^sent$/m.test(out()),
    );
    const lane = openLane(path, sb);
    expect(lane.journal.sideEffects.listPending().map((e) => e.kind)).toEqual(['email']);
    await lane.engine.start();
    expect(lane.journal.sideEffects.listPending()).toEqual([]);
    expect(lane.journal.audit.forSale(saleId).some((e) => e.action === 'email_unconfirmed')).toBe(true);
    await lane.close();
  });
});
