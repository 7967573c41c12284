import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSyncEngine } from '../src/app';
import { type Database, openDatabase } from '../src/db/database';
import { migrate } from '../src/db/migrations';
import { seedDemo } from '../src/db/seed-demo';
import { createScratchPostgres, keepSeeded } from './harness';
import { bundleServer, SERVER_BUNDLE_ENV } from './server-bundle';

/**
 * Runs once per `vitest run`, before the test files: migrates one PGlite database and dumps its
 * data directory to a file (`TEST_PGLITE_DUMP`, inherited by the workers) that every in-memory
 * test database then loads, instead of creating and migrating its own (a fresh PGlite takes 4–13 s
 * to initialise, loading the dump about 1 s); then seeds the demo data and dumps again
 * (`TEST_PGLITE_SEEDED_DUMP`), where the test servers with the demo data start (a seed took 0.8 s
 * of each file). Skipped when the run has file filters and none of them is a server suite.
 * The server is bundled once too (server-bundle.ts), for the suites that start it as a process.
 * On PostgreSQL (`TEST_DB=postgres`), a template database migrated and seeded the same way
 * (`TEST_PG_SEEDED_TEMPLATE`) that test servers copy: 0.2 s, against 1.1 s to migrate and seed an
 * empty database (measured, 11 MB).
 * Made once per Vitest process: in watch mode, a migration edited since the start is not in it
 * (restart Vitest after changing a migration).
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  // Never a database of another run (a variable left in the shell).
  delete process.env.TEST_PGLITE_DUMP;
  delete process.env.TEST_PGLITE_SEEDED_DUMP;
  delete process.env.TEST_PG_SEEDED_TEMPLATE;
  delete process.env[SERVER_BUNDLE_ENV];
  if (!runsServerSuites()) return undefined;
  // The server bundled once for the suites that start it as a process (server-process.ts).
  const bundle = await bundleServer();
  process.env[SERVER_BUNDLE_ENV] = bundle.file;
  try {
    const teardown = await databases();
    return async () => {
      await teardown?.();
      bundle.remove();
    };
  } catch (error) {
    bundle.remove();
    throw error;
  }
}

/** The run's databases: the PGlite dumps, or the PostgreSQL template. */
async function databases(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.TEST_DB === 'postgres') return postgresTemplate();
  const db = await openDatabase({ dataDir: 'memory://' });
  let migrated: Blob;
  let seeded: Blob;
  try {
    await migrate(db);
    migrated = await db.dumpDataDir!();
    // Then the demo data, and its copy that resets put back: most suites start there.
    await seedAndKeep(db);
    seeded = await db.dumpDataDir!();
  } finally {
    await db.close();
  }
  const dir = mkdtempSync(join(tmpdir(), 'recrutement-test-dump-'));
  const write = async (name: string, blob: Blob) => {
    const file = join(dir, name);
    writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
    return file;
  };
  process.env.TEST_PGLITE_DUMP = await write('migrated.tar', migrated);
  process.env.TEST_PGLITE_SEEDED_DUMP = await write('seeded.tar', seeded);
  return async () => rmSync(dir, { recursive: true, force: true });
}

/** The demo data, and the copy of its rows that a test server's reset puts back (harness.ts). */
async function seedAndKeep(db: Database): Promise<void> {
  await seedDemo(db, createSyncEngine(db));
  await keepSeeded(db);
}

/** The seeded template database on PostgreSQL; the teardown drops it. */
async function postgresTemplate(): Promise<(() => Promise<void>) | undefined> {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) return undefined; // the suites say what is missing
  const template = await createScratchPostgres(admin, 'test_modele');
  try {
    const db = await openDatabase({ databaseUrl: template.url });
    try {
      await migrate(db);
      await seedAndKeep(db);
    } finally {
      // No connection may stay open on a database that `create database … template` copies.
      await db.close();
    }
  } catch (error) {
    await template.drop();
    throw error;
  }
  process.env.TEST_PG_SEEDED_TEMPLATE = new URL(template.url).pathname.slice(1);
  return template.drop;
}

/** Whether this run includes server suites: no file filter, or a filter naming one. */
function runsServerSuites(): boolean {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('-') && a !== 'run' && a !== 'watch');
  return args.length === 0 || args.some((a) => /sync-server|scripts|server/.test(a));
}
