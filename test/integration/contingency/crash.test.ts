// Crash during the backlog: the process draining the contingency notes is SIGKILLed mid-way, a new
// one starts on the same journal. No note lost, none transmitted twice, no number ever reused.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../../main/sandbox/index.ts';
import type { Sandbox } from '../../../main/sandbox/types.ts';
import { makeContingencyRig, type ContingencyRig } from './rig.ts';

let sandbox: Sandbox | null = null;
let rig: ContingencyRig | null = null;
afterEach(async () => {
  await rig?.close({ keepSandbox: true });
  rig = null;
  await sandbox?.close();
  sandbox = null;
});

const N = 60;

describe('crash during the backlog', () => {
  it('SIGKILL while transmitting, restart: every note authorized exactly once, counter never reused', async () => {
    // Slow enough (and rate-limited) that the kill lands mid-backlog.
    sandbox = await startSandbox({ port: 0, latencyMs: [5, 15], rateLimit: 40, rateWindowMs: 1_000 });
    const sb = sandbox;
    rig = await makeContingencyRig({}, { sandbox: sb });
    await rig.linkDown('refuse');
    const sales: number[] = [];
    for (let i = 1; i <= N; i++) sales.push((await rig.finalize(i)).saleId);
    const dir = rig.dir;
    const issued = sales.map((id) => rig!.journal.emissions.latestForSale(id)!);
    expect(issued.every((x) => x.state === 'contingency')).toBe(true);
    await rig.close({ keepSandbox: true, keepDir: true });
    rig = null;

    const ref = JSON.stringify({ port: sb.port, url: sb.url, tokens: sb.tokens, emitter: sb.emitter, cnpj: sb.cnpj });
    const child = spawn(process.execPath, [join(import.meta.dirname, 'crash-child.ts'), dir, ref], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += String(c)));
    const offlineAuthorized = () => sb.notes().filter((n) => n.offline && n.status === 'autorizado').length;
    // Killed once a third of the backlog is through, however long the machine takes to get there.
    while (offlineAuthorized() < N / 3 && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const atKill = offlineAuthorized();
    expect(stderr).toBe('');
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(N);

    // Restart on the same journal and vault.
    rig = await makeContingencyRig({ dir, certificate: false }, { sandbox: sb });
    const r = rig;
    await r.until(() => r.contingency.counts().contingencyNotes === 0, 40_000, 'backlog finished after restart');
    const notes = sb.notes().filter((n) => n.offline);
    expect(notes).toHaveLength(N);
    expect(new Set(notes.map((n) => n.ref)).size).toBe(N);
    expect(new Set(notes.map((n) => `${n.serie}/${n.numero}`)).size).toBe(N);
    for (const x of issued) {
      const note = notes.find((n) => n.ref === x.ref);
      expect(note?.status).toBe('autorizado');
      expect(note?.chave).toBe(x.chave);
      expect(r.journal.emissions.get(x.id)?.state).toBe('authorized');
    }
    expect(r.exchanges.filter((e) => e.status === 429)).toEqual([]);

    // The counter continues after the highest number ever issued.
    await r.linkDown('refuse');
    const next = await r.finalize(N + 1);
    expect(next.emission.state).toBe('contingency');
    expect(next.emission.numero).toBe(String(N + 1));
  }, 180_000);
});
