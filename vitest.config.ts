import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The campaigns take a minute or more each, mostly waiting on their processes: started last (a
 * fresh clone has no timings, and Vitest then starts larger files first), one ran alone at the end
 * while the other worker stood idle. They start first, longest first.
 */
const LONG_FILES = ['fault-campaign', 'crash-safety', 'faults', 'no-skip', 'load-campaign'];

class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const name = /([^/]+)\.test\.ts$/.exec(spec.moduleId)?.[1] ?? '';
      const i = LONG_FILES.indexOf(name);
      return i < 0 ? LONG_FILES.length : i;
    };
    // A stable sort: the other files keep Vitest's order.
    return sorted
      .map((spec, i) => ({ spec, i, r: rank(spec) }))
      .sort((a, b) => a.r - b.r || a.i - b.i)
      .map((x) => x.spec);
  }
}

export default defineConfig({
  test: {
    exclude: ['**/node_modules/**', '**/out/**', '**/dist/**'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // WebAssembly compiled by the baseline compiler only: each test file's process runs PGlite for
    // seconds, not long enough for V8's optimising compiler to pay for itself (the PGlite run took
    // 216 s with it, 192 s without; measured). A flag of the test run, not of the product.
    execArgv: ['--liftoff-only'],
    sequence: { sequencer: LongFilesFirst },
    projects: [
      {
        extends: true,
        test: {
          // Pure units (domain rules, renderer logic, Electron main-process modules): no database, no
          // server. They share their workers' modules instead of importing them again for each file
          // (their 109 files took 24.6 s isolated, 7.9 s shared, measured).
          name: 'unitaires',
          include: ['{shared,electron,renderer}/**/*.test.{ts,tsx}'],
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          // The server, its database and the scripts. Their files share their workers' modules too:
          // a new process and module graph per file cost about 2 s each (PGlite run 192 → 165 s,
          // PostgreSQL 197 → 169 s, measured). What a file may leave in module state (the clock, mail
          // settings, reference files, the environment) is put back before the next (file-setup.ts).
          name: 'serveur',
          include: ['{sync-server,scripts}/**/*.test.{ts,tsx}'],
          isolate: false,
          setupFiles: ['sync-server/test/file-setup.ts'],
          // One migrated PGlite database per run that these suites load (a dump of its data directory).
          globalSetup: ['sync-server/test/global-setup.ts'],
        },
      },
    ],
  },
});
