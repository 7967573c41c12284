import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * The sync server bundled into one module for the test runs that start it as a process again and
 * again (every E2E spec, the campaigns' restarts): the same sources, transformed once by esbuild
 * (its packages stay in node_modules) instead of by tsx at each start. A start then took 0.83 s
 * and 1.05 s of processor, against 1.44 s and 2.0 s (measured). `npm start` and production run the
 * sources as before.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The variable that names the run's bundle (set by the global setups, inherited by the workers). */
export const SERVER_BUNDLE_ENV = 'TEST_SERVER_BUNDLE';

/** Bundles `sync-server/src/index.ts` into a new folder of `out/` (inside the project, where its packages resolve). */
export async function bundleServer(): Promise<{ file: string; remove: () => void }> {
  mkdirSync(join(ROOT, 'out'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'out', 'serveur-test-'));
  const file = join(dir, 'index.mjs');
  try {
    await build({
      entryPoints: [join(ROOT, 'sync-server', 'src', 'index.ts')],
      outfile: file,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * How to start the server as a process: the run's bundle when there is one, its sources through
 * tsx otherwise (a campaign script run by hand, whose server lives for hours, compiled as in
 * production). A test run's server lives seconds or a minute: PGlite's WebAssembly stays on V8's
 * baseline compiler, whose code is ready at once (the optimising compiler cost more processor than
 * it saved; vitest.config.ts).
 */
export function serverEntry(): { entry: string; execArgv: string[]; env: Record<string, string> } {
  const bundle = process.env[SERVER_BUNDLE_ENV];
  if (bundle && existsSync(bundle))
    return {
      entry: bundle,
      execArgv: ['--liftoff-only'],
      // The sources find the reference files from their own place; the bundle is elsewhere.
      env: { REFERENCE_DATA_DIR: process.env.REFERENCE_DATA_DIR || join(ROOT, 'resources', 'reference') },
    };
  return {
    entry: join(ROOT, 'sync-server', 'src', 'index.ts'),
    execArgv: ['--import', 'tsx'],
    env: {},
  };
}
