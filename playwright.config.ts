import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/chromium';

/** E2E in Debian's Chromium (never a downloaded browser). Each spec file starts its own server. */
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // A database template (migrated, reference imported, demo data) that every spec's server copies.
  globalSetup: './e2e/global-setup.ts',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  // Two spec files side by side (each has its own server and database): the suite took 8 minutes
  // on one worker. Tests within a file stay in order.
  fullyParallel: false,
  workers: Number(process.env.E2E_WORKERS) || 2,
  retries: 0,
  reporter: [
    ['list'],
    ['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? 'out/test-reports/playwright.json' }],
  ],
  outputDir: 'out/test-results',
  use: {
    browserName: 'chromium',
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    // Traces cost a quarter of the suite's processor time (measured: 71 s against 54 s for two
    // specs) and CI keeps only its log: E2E_TRACE=retain-on-failure records them to debug a failure.
    trace: process.env.E2E_TRACE === 'retain-on-failure' ? 'retain-on-failure' : 'off',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
});
