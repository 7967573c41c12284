import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleServer, SERVER_BUNDLE_ENV } from '../sync-server/test/server-bundle';
import { startServerProcess, TEMPLATE_ENV } from './fixtures/server';

/**
 * Once per run: the server is bundled (sync-server/test/server-bundle.ts), then a server starts on an empty PGlite directory (migrations, ROME reference, demo
 * data), stops cleanly, and its directory becomes the template every spec's server copies. The
 * workers inherit the environment variable that names it; the teardown removes it.
 */
export default async function globalSetup(): Promise<() => void> {
  const bundle = await bundleServer();
  process.env[SERVER_BUNDLE_ENV] = bundle.file;
  const dir = mkdtempSync(join(tmpdir(), 'recrutement-e2e-template-'));
  const started = Date.now();
  try {
    const server = await startServerProcess({ dataDir: dir, timeoutMs: 120_000 });
    await server.stop();
  } catch (error) {
    bundle.remove();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  console.log(
    `Modèle de base de données des tests de bout en bout prêt en ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
  process.env[TEMPLATE_ENV] = dir;
  return () => {
    rmSync(dir, { recursive: true, force: true });
    bundle.remove();
  };
}
