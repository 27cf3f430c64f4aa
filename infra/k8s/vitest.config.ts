import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // Synthesis is CPU-bound and the CI machine has two cores.
    maxWorkers: 2,
    testTimeout: 30_000,
  },
});
