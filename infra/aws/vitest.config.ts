import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Each test file synthesizes the EKS stack once (~10 s per environment); two workers fit 2 cores.
    maxWorkers: 2,
    // Share the per-worker template cache (src/testing/synthesized.ts) between test files.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
