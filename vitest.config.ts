import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,sync-server,electron,renderer,scripts}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', '**/out/**', '**/dist/**'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One migrated PGlite database per run that the server suites load (a dump of its data directory).
    globalSetup: ['sync-server/test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
  },
});
