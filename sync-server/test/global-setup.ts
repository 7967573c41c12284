import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/database';
import { migrate } from '../src/db/migrations';
import { createScratchPostgres } from './harness';

/**
 * Runs once per `vitest run`, before the test files: migrates one database that every test
 * server then starts from, instead of creating and migrating its own (a fresh PGlite takes 4–13 s
 * to initialise, loading a migrated one about 1 s). On PGlite, the migrated data directory is
 * dumped to a file (`TEST_PGLITE_DUMP`); on PostgreSQL, a template database
 * (`TEST_POSTGRES_TEMPLATE`) that `create database … template` copies. The workers inherit both
 * variables. Skipped when the run has file filters and none of them is a server suite.
 * Made once per Vitest process: in watch mode, a migration edited since the start is not in it
 * (restart Vitest after changing a migration).
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  // Never a database of another run (a variable left in the shell).
  delete process.env.TEST_PGLITE_DUMP;
  delete process.env.TEST_POSTGRES_TEMPLATE;
  if (!runsServerSuites()) return undefined;
  if (process.env.TEST_DB === 'postgres') {
    const admin = process.env.TEST_DATABASE_URL;
    if (!admin) return undefined;
    const template = await createScratchPostgres(admin, 'test_template');
    try {
      const db = await openDatabase({ databaseUrl: template.url });
      try {
        await migrate(db);
      } finally {
        await db.close();
      }
    } catch (error) {
      await template.drop();
      throw error;
    }
    process.env.TEST_POSTGRES_TEMPLATE = new URL(template.url).pathname.slice(1);
    return template.drop;
  }
  const db = await openDatabase({ dataDir: 'memory://' });
  let dump: Blob;
  try {
    await migrate(db);
    dump = await db.dumpDataDir!();
  } finally {
    await db.close();
  }
  const dir = mkdtempSync(join(tmpdir(), 'recrutement-test-dump-'));
  const file = join(dir, 'migrated.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  process.env.TEST_PGLITE_DUMP = file;
  return async () => rmSync(dir, { recursive: true, force: true });
}

/** Whether this run includes server suites: no file filter, or a filter naming one. */
function runsServerSuites(): boolean {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('-') && a !== 'run' && a !== 'watch');
  return args.length === 0 || args.some((a) => /sync-server|scripts|server/.test(a));
}
