import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Temporal's native bridge does not survive worker threads.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    projects: [
      // Pure code and fakes: no servers.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      // Workflow code on the Java time-skipping test server, one environment per file.
      { extends: true, test: { name: 'workflows', include: ['test/workflows/**/*.test.ts'] } },
      // Real PostgreSQL, Temporal dev server and provider sandbox, started once for the run.
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/api/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          // Files share the API port the sandbox calls back: one at a time.
          fileParallelism: false,
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
});
