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
    environment: 'node',
    // Vault keys of the throwaway data dirs go to a temp dir, never the OS keyring or ~/.local/state.
    env: { BALCAO_KEY_DIR: join(tmpdir(), 'balcao-test-keys'), BALCAO_KEYRING: 'off' },
    // Safety nets, not thresholds: a test passes as soon as it is done; on a machine shared by several
    // sessions (load 20+) a correct process-starting test must still finish inside them.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Four workers on two cores: the integration files mostly wait (on hosts, sandboxes, lanes,
    // PostgreSQL and their children), not compute. Measured alone, one run each at load 4–8:
    // 2 workers 262 s, 3 workers 109 s, 4 workers 82 s wall, for about the same CPU (149/155/138 s).
    maxWorkers: 4,
    projects: [
      {
        // Unit tests are pure and leave no process state behind: the workers are reused across files
        // (no new process and no re-import of the shared modules per file), which halves their time.
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'], isolate: false },
      },
      {
        // Integration tests start hosts, sandboxes and children, kill them, and hold files and ports,
        // each in its own mkdtemp dir on port 0, and stop what they started: their workers are reused
        // across files too (a new process and a re-import of the core per file cost more than most
        // files' tests). worker-leaks.ts waits after each file until its children are gone, and with
        // BALCAO_LEAKS set lists what a file left behind in the worker.
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          isolate: process.env.BALCAO_ISOLATE === '1',
          setupFiles: ['test/fixtures/worker-leaks.ts'],
          // One PostgreSQL cluster for the run's store tests, started by the first that needs it.
          globalSetup: ['test/fixtures/pg-run-setup.ts'],
        },
      },
    ],
  },
});
