import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Many tests start Node children (hosts, sandboxes, crash workers, lanes): with Node's compile cache
// a child reuses the type-stripped and compiled modules of the previous one instead of redoing it
// at every start (a host starts about twice as fast). Set here, in the process that forks the test
// workers, so the workers and every child they spawn inherit it; a fresh clone fills it on the way.
process.env.NODE_COMPILE_CACHE ??= join(import.meta.dirname, 'node_modules', '.cache', 'node-compile-cache');

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
