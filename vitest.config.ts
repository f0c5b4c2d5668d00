import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx', 'test/integration/**/*.test.ts'],
    environment: 'node',
    // Vault keys of the throwaway data dirs go to a temp dir, never the OS keyring or ~/.local/state.
    env: { BALCAO_KEY_DIR: join(tmpdir(), 'balcao-test-keys'), BALCAO_KEYRING: 'off' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: keep parallelism modest so timing-sensitive integration tests stay stable.
    maxWorkers: 2,
  },
});
