import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    maxWorkers: 2,
    // A few specs run the real `npm sbom` and `nx show target inputs` (seconds each).
    testTimeout: 60_000,
  },
});
