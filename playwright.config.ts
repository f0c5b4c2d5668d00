import { defineConfig } from '@playwright/test';
import { join } from 'node:path';
import { TEST_CHROMIUM, TEST_CHROMIUM_ARGS } from './test/fixtures/chromium.ts';

// The Focus sandbox and PSP processes every real profile starts: with Node's compile cache each
// reuses the compiled modules of the previous one (set here, in the runner, so workers and their
// children inherit it; vitest.config.ts does the same).
process.env.NODE_COMPILE_CACHE ??= join(import.meta.dirname, 'node_modules', '.cache', 'node-compile-cache');

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results',
  // The run's shared dir: the real shop's template is built there once, not once per worker.
  globalSetup: './test/e2e/global-setup.ts',
  // Generous bounds: a poll returns as soon as its condition holds, so they cost nothing on a quick
  // run, and a machine shared by several sessions (load 20+) must not fail a correct journey.
  timeout: 120_000,
  expect: { timeout: 15_000 },
  // Every spec starts its own host on an ephemeral port and its own data dir: specs run side by side.
  // BALCAO_E2E_WORKERS overrides it, to compare on a given machine.
  workers: Number(process.env.BALCAO_E2E_WORKERS ?? 2),
  reporter: [['list']],
  use: {
    launchOptions: { executablePath: TEST_CHROMIUM, args: TEST_CHROMIUM_ARGS },
    locale: 'pt-BR',
    timezoneId: 'America/Sao_Paulo',
    viewport: { width: 1366, height: 768 },
  },
});
