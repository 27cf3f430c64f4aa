import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // bench/: the benchmarks' own helpers (the benchmarks themselves are not tests).
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    // Each test file gets its own database; two workers match the two cores of CI.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
