// SIGKILL while a cancellation or an e-mail request is out (standalone sandbox, a real child
// process): the intent was journaled before the request, and the next start learns what Focus did.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLane, spawnSandbox, type SandboxProcess } from './rig.ts';
import { Journal } from '../../../main/db/journal.ts';
import { SideEffectsRepo } from '../../../main/db/side-effects-repo.ts';
import { FocusClient } from '../../../main/focus/client.ts';
import { openRegisterDb } from '../../../main/register/db.ts';
import { Inutilizacoes } from '../../../main/register/inutilizacao.ts';
import { saleFor } from '../emission/fixtures.ts';

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
  action: 'cancel' | 'email' | 'inutilizacao' | 'inutilizacao-unsent' | 'econf' | 'econf-unsent',
  path: string,
  armed: Record<string, unknown>,
  until: (ref: string, out: () => string) => Promise<boolean>,
  gap?: [number, number],
): Promise<{ saleId: number; ref: string }> {
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, 'kill-child.ts'), JSON.stringify({ path, url: sb.url, token: sb.token, emitter: sb.emitter, action, dir: root, gap })],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  const exited = new Promise((r) => child.on('exit', r));
  try {
    // Generous limits: the child starts a Node process and sells through the sandbox, which a busy
    // machine slows tenfold; they only bound a hung child.
    await expect.poll(() => /^sold (\d+) (\S+)$/m.test(out), { timeout: 60_000 }).toBe(true);
    const [, saleId, ref] = /^sold (\d+) (\S+)$/m.exec(out)!;
    await sb.faults(armed);
    child.stdin.write('go\n');
    await expect.poll(() => until(ref!, () => out), { timeout: 30_000 }).toBe(true);
    child.kill('SIGKILL');
    await exited;
    return { saleId: Number(saleId), ref: ref! };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await sb.reset();
  }
}

describe('SIGKILL during a Focus side effect', { timeout: 180_000 }, () => {
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

  it('inutilização journaled, killed before the request left: sent at start, voided once', async () => {
    const path = await journalWithGap('inut-lost.sqlite');
    await killDuring('inutilizacao-unsent', path, {}, async (_ref, out) => /^dying$/m.test(out()));
    expect(await voided()).toEqual([]);
    const { db, inut, effects } = openInut(path);
    expect(effects.listPending().map((e) => e.kind)).toEqual(['inutilizacao']);
    expect(await inut.resolvePending()).toBe(1);
    expect(inut.list().map((i) => [i.from, i.state])).toEqual([[900_002, 'authorized']]);
    expect(effects.listPending()).toEqual([]);
    expect(await voided()).toEqual(['900002-900003']);
    db.close();
  });

  it('inutilização sent, answer lost: found in Focus’s list at start, never sent twice', async () => {
    const path = await journalWithGap('inut-answered.sqlite', 900_010);
    await killDuring(
      'inutilizacao',
      path,
      { hang: { count: 1, afterCommit: true, match: { method: 'POST', pathPrefix: '/v2/nfce/inutilizacao' } } },
      async () => (await voided()).includes('900012-900013'),
      [900_012, 900_013],
    );
    const { db, inut, effects } = openInut(path);
    expect(effects.listPending().map((e) => e.kind)).toEqual(['inutilizacao']);
    expect(inut.list().map((i) => [i.from, i.state])).toEqual([[900_012, 'pending']]);
    expect(await inut.resolvePending()).toBe(1);
    // Settled from Focus's list: had it been sent again, SEFAZ would have refused it (256) and the row would read 'rejected'.
    expect(inut.list().map((i) => [i.from, i.state])).toEqual([[900_012, 'authorized']]);
    expect(effects.listPending()).toEqual([]);
    expect((await voided()).filter((r) => r === '900012-900013')).toHaveLength(1);
    db.close();
  });

  it('ECONF journaled, never sent (Focus unreachable when it was attached): sent once at start', async () => {
    const path = join(root, 'econf-unsent.sqlite');
    const { saleId, ref } = await killDuring('econf-unsent', path, {}, async (_r, out) => /^answered$/m.test(out()));
    const lane = openLane(path, sb);
    const pending = lane.journal.sideEffects.listPending();
    expect(pending.map((e) => e.kind)).toEqual(['econf']);
    await lane.engine.start();
    expect(lane.engine.econfList(saleId)[0]?.state).toBe('authorized');
    expect(lane.journal.sideEffects.listPending()).toEqual([]);
    expect((await sb.notes()).find((n) => n.ref === ref)?.econf).toHaveLength(1);
    await lane.close();
  });

  it('ECONF sent, answer lost: closed as unconfirmed at start, never posted twice', async () => {
    const path = join(root, 'econf-answered.sqlite');
    const { saleId, ref } = await killDuring(
      'econf',
      path,
      { hang: { count: 1, afterCommit: true, match: { method: 'POST', pathPrefix: '/v2/nfce/' } } },
      async (r) => ((await sb.notes()).find((n) => n.ref === r)?.econf?.length ?? 0) === 1,
    );
    const lane = openLane(path, sb);
    expect(lane.journal.sideEffects.listPending().map((e) => e.kind)).toEqual(['econf']);
    await lane.engine.start();
    expect(lane.engine.econfList(saleId)[0]?.state).toBe('unknown');
    expect(lane.journal.sideEffects.listPending()).toEqual([]);
    expect(lane.journal.audit.forSale(saleId).some((e) => e.action === 'econf_unconfirmed')).toBe(true);
    expect((await sb.notes()).find((n) => n.ref === ref)?.econf).toHaveLength(1);
    // The manager finds it in Focus's panel and gives its protocol: recorded, the side effect done.
    const protocolo = (await sb.notes()).find((n) => n.ref === ref)!.econf![0]!.protocolo;
    const econfId = lane.engine.econfList(saleId)[0]!.id;
    expect(await lane.engine.econfResolve(econfId, 'gerente', { kind: 'check', protocolo })).toMatchObject({ state: 'authorized', protocolo });
    expect(lane.journal.db.prepare("SELECT state FROM side_effects WHERE kind = 'econf'").all()).toEqual([{ state: 'done' }]);
    expect((await sb.notes()).find((n) => n.ref === ref)?.econf).toHaveLength(1);
    await lane.close();
  });
});

/** A journal whose série 1 has a hole at base+2…base+3 (numbers base+1 and base+4 were issued). */
async function journalWithGap(name: string, base = 900_000): Promise<string> {
  const path = join(root, name);
  const j = Journal.open({ path });
  for (const [i, numero] of [base + 1, base + 4].entries()) {
    const { emission } = j.sales.commitSale(await saleFor(i, `${name}_${numero}`), { environment: 'homologacao' });
    j.db.prepare("UPDATE emissions SET state = 'authorized', numero = ?, serie = '1' WHERE id = ?").run(String(numero), emission.id);
  }
  j.close();
  return path;
}

function openInut(path: string) {
  const db = openRegisterDb(path, Date.now());
  const client = new FocusClient({ baseUrl: sb.url, token: sb.token, keepWarmMs: 0, defaultDeadlineMs: 5_000 });
  const inut = new Inutilizacoes({ db, api: client, clock: Date.now, environment: 'homologacao', cnpj: () => sb.emitter.cnpj, archiveDir: root });
  return { db, inut, effects: new SideEffectsRepo(db, Date.now) };
}

/** Ranges the sandbox voided, as 'from-to'. */
async function voided(): Promise<string[]> {
  const client = new FocusClient({ baseUrl: sb.url, token: sb.token, keepWarmMs: 0, defaultDeadlineMs: 5_000 });
  const o = await client.listInutilizacoes({ cnpj: sb.emitter.cnpj });
  await client.close();
  return o.kind === 'ok' ? o.body.filter((i) => i.status === 'autorizado').map((i) => `${i.numero_inicial}-${i.numero_final}`) : [];
}
