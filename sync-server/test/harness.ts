import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { LoginResponse } from '../../shared/domain/account';
import { type App, type AppDeps, createApp } from '../src/app';
import { type Database, openDatabase, type Queryable } from '../src/db/database';
import { migrate } from '../src/db/migrations';
import { DEMO_PASSWORD, seedDemo } from '../src/db/seed-demo';
import type { MailTransport } from '../src/email/outbox';

/**
 * Test servers. `TEST_DB=postgres` (with `TEST_DATABASE_URL`, an admin URL such as
 * postgres://postgres@localhost/postgres) runs the suites on a fresh PostgreSQL database per
 * server; otherwise they run on PGlite.
 */
export const TEST_DB: 'pglite' | 'postgres' = process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';
export const onPostgres = TEST_DB === 'postgres';

export interface TestDatabase {
  /** Connection options for `openDatabase`. */
  options: { databaseUrl?: string; dataDir?: string };
  /** Drops the database / data directory. */
  destroy(): Promise<void>;
}

/**
 * A new PostgreSQL database next to `adminUrl`'s, empty or a copy of `template`, and a function
 * that drops it.
 */
export async function createScratchPostgres(
  adminUrl: string,
  prefix: string,
  template?: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(template ? `create database ${name} template "${template}"` : `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}

const dumps = new Map<string, Blob>();

/**
 * A PGlite data directory made once per run (global-setup.ts), if there is one: migrated
 * (`TEST_PGLITE_DUMP`), or migrated and seeded with the demo data (`TEST_PGLITE_SEEDED_DUMP`).
 */
function pgliteDump(variable = 'TEST_PGLITE_DUMP'): Blob | undefined {
  const file = process.env[variable];
  if (!dumps.has(variable) && file && existsSync(file)) dumps.set(variable, new Blob([readFileSync(file)]));
  return dumps.get(variable);
}

/** Options for a PGlite database in memory, migrated already when the run prepared one. */
export function memoryDatabaseOptions(): { dataDir: string; loadDataDir?: Blob } {
  const dump = pgliteDump();
  return { dataDir: 'memory://', ...(dump ? { loadDataDir: dump } : {}) };
}

/**
 * A fresh database: a new PostgreSQL database, or a PGlite directory. An in-memory PGlite is
 * migrated already when the run prepared a migrated one (global-setup.ts), a persistent one too;
 * the others are empty; `migrate` brings either up to date.
 */
export async function createTestDatabase(
  options: { persistent?: boolean /** PostgreSQL: the database to copy. */; template?: string } = {},
): Promise<TestDatabase> {
  if (onPostgres) {
    const admin = process.env.TEST_DATABASE_URL;
    if (!admin)
      throw new Error('TEST_DB=postgres demande TEST_DATABASE_URL (URL d’administration PostgreSQL).');
    const scratch = await createScratchPostgres(admin, 'test', options.template);
    return { options: { databaseUrl: scratch.url }, destroy: scratch.drop };
  }
  if (options.persistent) {
    const dir = mkdtempSync(join(tmpdir(), 'recrutement-test-'));
    const destroy = async () => rmSync(dir, { recursive: true, force: true });
    // The run's migrated database written into the directory: a server started on it (often a child
    // process) skips creating and migrating one (5.1 s on an empty directory, measured) and seeds
    // what it seeds (a child with --demo adds the triage applicants the campaigns work on).
    const migrated = pgliteDump();
    if (migrated) {
      try {
        await (await openDatabase({ dataDir: dir, loadDataDir: migrated })).close();
      } catch (error) {
        await destroy();
        throw error;
      }
    }
    return { options: { dataDir: dir }, destroy };
  }
  return { options: memoryDatabaseOptions(), destroy: async () => undefined };
}

export interface TestServer {
  url: string;
  db: Database;
  /** How to open another connection to the same database (a second server instance, on PostgreSQL). */
  databaseOptions: TestDatabase['options'];
  app: App;
  /** Signs in a demo (or any) account and returns its bearer token. */
  login(email: string, password?: string): Promise<string>;
  /** Empties every table and seeds the demo data again (faster than a new PGlite). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the app in this process on an ephemeral port, migrated and seeded with the demo data. */
export async function startTestServer(
  options: {
    database?: TestDatabase;
    demo?: boolean;
    heartbeatMs?: number;
    /** Where the outbox sends (e.g. `startTestMailbox().transport`, test/mail.ts); sent on `app.outbox.flush()`. */
    mailTransport?: MailTransport;
    /** The desktop update feed (issue 8). */
    updates?: AppDeps['updates'];
    /** The public address (e.g. `https://…`: secure cookies, HSTS). */
    publicUrl?: string;
  } = {},
): Promise<TestServer> {
  // A server with the demo data and a database of its own starts from the run's seeded one: a
  // dump of it on PGlite, a copy of the template database on PostgreSQL (global-setup.ts).
  const fromSeeded = !options.database && options.demo !== false;
  const seededDump = fromSeeded && !onPostgres ? pgliteDump('TEST_PGLITE_SEEDED_DUMP') : undefined;
  const seededTemplate = fromSeeded && onPostgres ? process.env.TEST_PG_SEEDED_TEMPLATE : undefined;
  const database =
    options.database ??
    (seededDump
      ? { options: { dataDir: 'memory://', loadDataDir: seededDump }, destroy: async () => undefined }
      : await createTestDatabase(seededTemplate ? { template: seededTemplate } : {}));
  const db = await openDatabase(database.options);
  await migrate(db);
  const app = await createApp({
    db,
    jobsIntervalMs: 0,
    ...(options.mailTransport ? { mailTransport: options.mailTransport } : {}),
    ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
    ...(options.updates ? { updates: options.updates } : {}),
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
  });
  if (options.demo !== false) await seedDemo(db, app.engine);
  await app.fastify.listen({ port: 0, host: '127.0.0.1' });
  const address = app.fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  // The rows a reset puts back (kept already in the seeded dump); 'reseed' where the database
  // refuses to put them back that way.
  let seeded: KeptTable[] | 'reseed' | null = seededDump || seededTemplate ? await keptTables(db) : null;
  return {
    url,
    db,
    databaseOptions: database.options,
    app,
    async login(email, password = DEMO_PASSWORD) {
      const res = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      if (!res.ok) throw new Error(`connexion de ${email} impossible : ${res.status} ${await res.text()}`);
      return ((await res.json()) as LoginResponse).token;
    },
    async reset() {
      if (options.demo === false) return resetDatabase(db);
      if (seeded !== null && seeded !== 'reseed') {
        if (await restoreSeeded(db, seeded)) return;
        seeded = 'reseed';
      }
      await resetDatabase(db);
      await seedDemo(db, app.engine);
      if (seeded === null) seeded = await keepSeeded(db);
    },
    async stop() {
      await app.close();
      await db.close();
      if (!options.database) await database.destroy();
    },
  };
}

/** Every table but the migrations and the reference data (slow to import, never changed by tests). */
async function dataTables(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `select tablename as name from pg_tables
      where schemaname = current_schema()
        and tablename <> 'schema_migrations' and tablename <> 'seed_state'
        and tablename not like 'rome\\_%' and tablename <> 'reference_versions'
      order by tablename`,
  );
  return rows.map((r) => r.name);
}

/**
 * A copy of every data table just after the demo seed (schema `test_seeded`), so that the next
 * resets copy the rows back instead of seeding again (a seed is a few hundred writes; a reset took
 * 0.3 s on PGlite, a file of 20 tests 18 s instead of 5 on PostgreSQL).
 */
export async function keepSeeded(db: Database): Promise<KeptTable[]> {
  const tables = await dataTables(db);
  await db.transaction(async (tx) => {
    await tx.query('drop schema if exists test_seeded cascade');
    await tx.query('create schema test_seeded');
    for (const t of [...tables, 'seed_state'])
      await tx.query(`create table test_seeded."${t}" as select * from "${t}"`);
  });
  return keptTables(db);
}

interface KeptTable {
  table: string;
  columns: string;
}

/** The tables kept by `keepSeeded` (every data table and `seed_state`), with their columns, named. */
async function keptTables(db: Queryable): Promise<KeptTable[]> {
  const { rows } = await db.query<{ table: string; columns: string }>(
    `select c.relname as table, string_agg(quote_ident(a.attname), ', ' order by a.attnum) as columns
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'test_seeded'
       join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      where c.relkind = 'r'
      group by c.relname order by c.relname`,
  );
  return rows;
}

/**
 * Puts back the rows kept after the seed, in one transaction, triggers and foreign-key checks off
 * (the copy is whole and consistent: derived tables such as the search index come back with it).
 * A lock first waits for a write the last test left running (as `truncate` did; `truncate` itself
 * made a file of 20 tests take 13 s instead of 5 on PostgreSQL).
 * Restored rows keep their positions and wake no live stream: a stream left open across a reset
 * does not see them come back (none is; a new one catches up by itself). False when PostgreSQL
 * refuses `session_replication_role` (not a superuser): the caller seeds each time instead.
 */
async function restoreSeeded(db: Database, kept: KeptTable[]): Promise<boolean> {
  try {
    await db.transaction(async (tx) => {
      await tx.query('set local session_replication_role = replica');
      const tables = kept.map(({ table }) => `"${table}"`);
      // Waits for the writes still running, then none starts until the rows are back.
      await tx.query(`lock table ${tables.join(', ')} in exclusive mode`);
      for (const t of tables) await tx.query(`delete from ${t}`);
      for (const { table, columns } of kept)
        await tx.query(`insert into "${table}" (${columns}) select ${columns} from test_seeded."${table}"`);
    });
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '42501') return false;
    throw error;
  }
}

export async function resetDatabase(db: Database): Promise<void> {
  const tables = await dataTables(db);
  if (tables.length > 0) await db.query(`truncate ${tables.map((t) => `"${t}"`).join(', ')}`);
  await db.query(
    'create table if not exists seed_state (name text primary key, at timestamptz not null default now())',
  );
  await db.query('truncate seed_state');
}

/** Small typed fetch helper for tests: JSON in, status and JSON out. */
export async function api<T = unknown>(
  url: string,
  init: {
    method?: string;
    token?: string;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body: string | undefined;
  if (init.rawBody !== undefined) body = init.rawBody;
  else if (init.body !== undefined) body = JSON.stringify(init.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method: init.method ?? (body !== undefined ? 'POST' : 'GET'),
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/**
 * Waits until every transaction that started before now has finished. Pulls only return changes
 * below the oldest running transaction (`pg_snapshot_xmin`), and on a shared PostgreSQL server a
 * transaction of another suite's database holds that line back for a moment: a test that pulls
 * right after a write settles first. Immediate on PGlite (one transaction at a time).
 */
export async function settle(db: Database, timeoutMs = 10_000): Promise<void> {
  const { rows } = await db.query<{ x: string }>('select pg_current_xact_id()::text as x');
  const mark = rows[0]!.x;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows: now } = await db.query<{ done: boolean }>(
      'select pg_snapshot_xmin(pg_current_snapshot())::text::bigint > $1::bigint as done',
      [mark],
    );
    if (now[0]?.done || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
