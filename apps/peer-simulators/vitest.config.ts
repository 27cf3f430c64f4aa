import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    // End-to-end tests start the order service as a process; its first start can take a while.
    hookTimeout: 90_000,
  },
});
