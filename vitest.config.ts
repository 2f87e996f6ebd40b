import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // e2e tests drive real terminals and servers; two cores, so keep the fan-out small.
    maxWorkers: 2,
  },
});
