import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    // The client's tests start the order service as a process; its first start can take a while.
    hookTimeout: 90_000,
  },
});
