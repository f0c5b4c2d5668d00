import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Vault keys of the throwaway data dirs: a temp dir, never the OS keyring or ~/.local/state. */
export function useTestVaultKeys(): void {
  process.env.BALCAO_KEY_DIR ??= join(tmpdir(), 'balcao-test-keys');
  process.env.BALCAO_KEYRING = 'off';
}
