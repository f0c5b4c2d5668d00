// One directory per Playwright run, shared by its workers: the real shop's template is built there
// once (by the first worker that needs it) and every other worker waits for it instead of building
// its own (test/fixtures/run-once.ts). The global setup creates the dir and its teardown removes
// it; the workers find it through the environment they inherit from the runner.

export const RUN_DIR_ENV = 'BALCAO_E2E_RUN_DIR';
