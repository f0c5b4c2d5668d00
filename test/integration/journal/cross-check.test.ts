// The monthly cross-check against a standalone sandbox's backup listing (GET /v2/backups/CNPJ.json and
// the month's XML ZIP): a journal that agrees with Focus says so; a note Focus has and the journal
// lacks, a cancellation the journal missed, and notes a Focus that lost its data no longer has are
// each reported (or re-learned) — and every run is journaled as a side effect.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FocusClient } from '../../../main/focus/client.ts';
import { FocusScheduler } from '../../../main/emission/scheduler.ts';
import { CrossCheckScheduler, crossCheckHistory, crossCheckMonth, monthDue, type CrossCheckDeps } from '../../../main/emission/cross-check.ts';
import { resolvePendingSideEffects } from '../../../main/emission/side-effects.ts';
import { openLane, sell, spawnSandbox, type Lane, type SandboxProcess } from './rig.ts';

let sb: SandboxProcess;
let root: string;
let lane: Lane;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'balcao-crosscheck-'));
  sb = await spawnSandbox(join(root, 'sandbox'));
  lane = openLane(join(root, 'j.sqlite'), sb);
  for (let n = 1; n <= 4; n++) expect((await sell(lane, n)).emission.state).toBe('authorized');
});
afterAll(async () => {
  await lane?.close();
  await sb?.close();
  rmSync(root, { recursive: true, force: true });
});

function deps(api: FocusClient, now = Date.now): CrossCheckDeps {
  return {
    journal: lane.journal,
    api,
    scheduler: new FocusScheduler({ rateLimit: () => api.rateLimit(), now }),
    environment: 'homologacao',
    cnpj: sb.emitter.cnpj,
    now,
    queryDeadlineMs: 3_000,
    relearn: () => lane.engine.relearn(),
  };
}

/** The month of the sandbox's notes ('YYYY-MM'), from the chave's AAMM. */
async function month(): Promise<string> {
  const chave = (await sb.notes()).find((n) => n.chave)!.chave!;
  return `20${chave.slice(2, 4)}-${chave.slice(4, 6)}`;
}

describe('monthly cross-check with Focus backups', () => {
  it('a journal that agrees with Focus: every note confirmed, journaled as a done side effect', async () => {
    const m = await month();
    const v = await crossCheckMonth(deps(lane.client), m, 'gerente');
    expect(v).toMatchObject({ month: m, state: 'ok', focusNotes: 4, journalNotes: 4, onlyAtFocus: [], onlyInJournal: [], relearned: 0 });
    expect(v.message).toMatch(/as 4 notas conferem/);
    const row = lane.journal.db.prepare("SELECT state, actor, payload FROM side_effects WHERE kind = 'cross_check' ORDER BY id DESC").get()!;
    expect(row).toMatchObject({ state: 'done', actor: 'gerente' });
    expect(JSON.parse(String(row.payload))).toMatchObject({ month: m, cnpj: sb.emitter.cnpj });
    expect(crossCheckHistory(lane.journal)[0]).toMatchObject({ month: m, state: 'ok' });
  });

  it('a note Focus has that the journal lacks is listed with its número; a cancellation done elsewhere is re-learned', async () => {
    const m = await month();
    // Another journal (a lost file, another till) issued a note under the same CNPJ.
    const other = openLane(join(root, 'other.sqlite'), sb);
    const foreign = await sell(other, 9);
    await other.close();
    expect(foreign.emission.state).toBe('authorized');
    const foreignChave = (await sb.notes()).find((n) => n.ref === foreign.emission.ref)!.chave!;
    // Sale 1 is cancelled at Focus behind the journal's back (its answer was lost, say).
    const first = lane.journal.emissions.latestForSale(1)!;
    const del = await lane.client.cancel(first.ref, 'Cancelamento feito pelo painel da Focus por teste');
    expect(del.kind).toBe('ok');
    expect(lane.journal.emissions.latestForSale(1)!.state).toBe('authorized');

    const v = await crossCheckMonth(deps(lane.client), m, 'gerente');
    expect(v.state).toBe('differences');
    expect(v.relearned).toBe(1);
    expect(lane.journal.emissions.latestForSale(1)!.state).toBe('cancelled');
    expect(v.onlyAtFocus).toHaveLength(1);
    expect(v.onlyAtFocus[0]).toContain(foreignChave);
    expect(v.onlyAtFocus[0]).toMatch(/série \d+, nº \d+, R\$ \d+,\d\d/);
    expect(v.onlyInJournal).toEqual([]);
    expect(v.message).toMatch(/1 nota\(s\) só na Focus, 0 só no caixa/);
  });

  it('a Focus that lost its data: the notes the journal holds are asked by ref and reported', async () => {
    const m = await month();
    const empty = await spawnSandbox(join(root, 'sandbox-empty'));
    try {
      // One note at the empty Focus, so a backup of the month exists.
      const other = openLane(join(root, 'other2.sqlite'), empty);
      expect((await sell(other, 10)).emission.state).toBe('authorized');
      await other.close();
      const api = new FocusClient({ baseUrl: empty.url, token: empty.token, keepWarmMs: 0, defaultDeadlineMs: 5_000 });
      const v = await crossCheckMonth(deps(api), m, 'system');
      await api.close();
      expect(v.state).toBe('differences');
      expect(v.onlyInJournal).toHaveLength(4);
      for (const line of v.onlyInJournal) expect(line).toMatch(/a Focus não conhece esta nota/);
    } finally {
      await empty.close();
    }
  });

  it('the automatic run checks the previous month once, from day 2; a run a crash cut short is closed at start', async () => {
    const m = await month();
    const [y, mo] = m.split('-').map(Number) as [number, number];
    const day1 = new Date(y, mo, 1, 12).getTime();
    const day5 = new Date(y, mo, 5, 12).getTime();
    expect(monthDue(lane.journal, day1)).toBeNull();
    // Earlier manual runs of the month ended with differences: still 'done', so the month counts as checked.
    lane.journal.db.prepare("DELETE FROM side_effects WHERE kind = 'cross_check'").run();
    expect(monthDue(lane.journal, day5)).toBe(m);
    const auto = new CrossCheckScheduler(
      deps(lane.client, () => day5),
      { firstDelayMs: 0, intervalMs: 0, report: () => {} },
    );
    const v = await auto.runDue();
    expect(v?.month).toBe(m);
    expect(monthDue(lane.journal, day5)).toBeNull();
    expect(await auto.runDue()).toBeNull();
    await auto.close();

    // A run interrupted by a crash (pending): resolved at start, and the month is due again.
    lane.journal.db.prepare("DELETE FROM side_effects WHERE kind = 'cross_check'").run();
    lane.journal.sideEffects.begin({ kind: 'cross_check', actor: 'system', payload: { month: m } });
    const r = await resolvePendingSideEffects({
      journal: lane.journal,
      api: lane.client,
      scheduler: new FocusScheduler({ rateLimit: () => lane.client.rateLimit(), now: Date.now }),
      clock: { now: Date.now },
      queryDeadlineMs: 3_000,
      changed: () => {},
    });
    expect(r.resolved).toBeGreaterThanOrEqual(1);
    expect(lane.journal.sideEffects.listPending().filter((p) => p.kind === 'cross_check')).toEqual([]);
    expect(monthDue(lane.journal, day5)).toBe(m);
  });
});
