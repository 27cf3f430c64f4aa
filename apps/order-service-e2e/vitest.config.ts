import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    // The order service's first start (migrations, or the embedded database) can take a while.
    hookTimeout: 90_000,
  },
});
