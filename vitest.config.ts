import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Temporal's native bridge does not survive worker threads.
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    globalSetup: ['test/global-setup.ts'],
  },
});
