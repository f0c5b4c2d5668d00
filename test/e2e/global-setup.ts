// Playwright's global setup: the run's shared dir (run-dir.ts), handed to the workers through the
// environment they inherit; its teardown removes the dir and the vault keys of the data dirs in it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyDir, vaultIdFor } from '../../main/secrets/key-store.ts';
import { RUN_DIR_ENV } from './run-dir.ts';
import { useTestVaultKeys } from './test-keys.ts';

export default function globalSetup(): () => void {
  useTestVaultKeys();
  const runDir = mkdtempSync(join(tmpdir(), 'balcao-e2e-run-'));
  process.env[RUN_DIR_ENV] = runDir;
  return () => {
    // The template's data dir (fixtures.ts): its vault key lives apart, named after its path.
    rmSync(join(keyDir(), `${vaultIdFor(join(runDir, 'shop-template', 'shop'))}.key`), { force: true });
    rmSync(runDir, { recursive: true, force: true });
  };
}
