import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One fresh TMPDIR for the whole run; anything a test or a process it started leaves there fails the run.
    globalSetup: ['test/setup/tmp-guard.ts'],
    // Over twice what the slowest default-budget test takes on a 2-core machine under load (CI runs loaded).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // e2e tests drive real terminals and servers; two cores, so keep the fan-out small.
    maxWorkers: 2,
  },
});
