import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess, TEMPLATE_ENV } from './fixtures/server';

/**
 * Once per run: a server starts on an empty PGlite directory (migrations, ROME reference, demo
 * data), stops cleanly, and its directory becomes the template every spec's server copies. The
 * workers inherit the environment variable that names it; the teardown removes it.
 */
export default async function globalSetup(): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'recrutement-e2e-template-'));
  const started = Date.now();
  const server = await startServerProcess({ dataDir: dir, timeoutMs: 120_000 });
  await server.stop();
  console.log(
    `Modèle de base de données des tests de bout en bout prêt en ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
  process.env[TEMPLATE_ENV] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
