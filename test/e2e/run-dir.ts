// One directory per Playwright run, shared by its workers: the real shop's template is built there
// once (by the first worker that needs it) and every other worker waits for it instead of building
// its own. The global setup creates the dir and its teardown removes it; the workers find it
// through the environment they inherit from the runner.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export const RUN_DIR_ENV = 'BALCAO_E2E_RUN_DIR';

type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

/** An atomic mkdir: true for the one caller that created it. */
function takeLock(dir: string): boolean {
  try {
    mkdirSync(dir);
    return true;
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'EEXIST') return false;
    throw e;
  }
}

/**
 * `build()`'s result, built once per run dir under `name`: the first caller takes the lock (an
 * atomic mkdir) and builds; the others poll for its outcome file, written by a rename so nobody
 * reads half of it. A failed build fails the waiters at once with its message.
 */
export async function onceInRunDir<T>(runDir: string, name: string, build: () => Promise<T>): Promise<T> {
  const outcomeFile = join(runDir, `${name}.json`);
  if (!takeLock(join(runDir, `${name}.lock`))) {
    // Another worker builds it: its outcome appears when it is done (bounded by the fixture's timeout).
    while (!existsSync(outcomeFile)) await delay(100);
    const outcome = JSON.parse(readFileSync(outcomeFile, 'utf8')) as Outcome<T>;
    if (!outcome.ok) throw new Error(`${name}, built by another worker, failed: ${outcome.message}`);
    return outcome.value;
  }
  const publish = (outcome: Outcome<T>) => {
    writeFileSync(`${outcomeFile}.tmp`, JSON.stringify(outcome));
    renameSync(`${outcomeFile}.tmp`, outcomeFile);
  };
  let value: T;
  try {
    value = await build();
  } catch (e) {
    publish({ ok: false, message: e instanceof Error ? e.message : String(e) });
    throw e;
  }
  publish({ ok: true, value });
  return value;
}
