import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import pg from 'pg';

/** Anything that runs SQL: the database itself or an open transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

/**
 * One SQL dialect everywhere: PGlite embedded by default, a PostgreSQL server when
 * DATABASE_URL is set. Only this module knows which.
 */
export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction; rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Subscribes to NOTIFY on a channel; resolves to an unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** PGlite only: its data directory as an archive, to start another database from (`loadDataDir`). */
  dumpDataDir?(): Promise<Blob>;
}

export interface DatabaseOptions {
  /** postgres://… to use a PostgreSQL server; otherwise PGlite in `dataDir`. */
  databaseUrl?: string;
  /** PGlite data directory; `memory://` keeps everything in memory. */
  dataDir?: string;
  /** A PGlite data directory dumped by `dumpDataDir` to start from (the tests' migrated database). */
  loadDataDir?: Blob;
}

export class DamagedDataDirectoryError extends Error {
  constructor(dir: string, cause: unknown) {
    super(
      `Le répertoire de données PGlite « ${dir} » est illisible ou endommagé (arrêt brutal ?). ` +
        'Restaurez une sauvegarde ou déplacez ce répertoire pour repartir d’une base vide.',
      { cause },
    );
    this.name = 'DamagedDataDirectoryError';
  }
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openPglite(options.dataDir ?? 'memory://', options.loadDataDir);
}

async function openPglite(dataDir: string, loadDataDir?: Blob): Promise<Database> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  let db: PGlite;
  try {
    db = await PGlite.create(dataDir.startsWith('memory://') ? undefined : dataDir, {
      extensions: { unaccent, pg_trgm },
      ...(loadDataDir ? { loadDataDir } : {}),
    });
    await db.query('select 1');
  } catch (error) {
    throw new DamagedDataDirectoryError(dataDir, error);
  }
  return {
    kind: 'pglite',
    query: async <T>(sql: string, params?: unknown[]) => {
      const r = await db.query<T>(sql, params);
      return { rows: r.rows };
    },
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) =>
      db.transaction(async (tx) =>
        fn({
          query: async <R>(sql: string, params?: unknown[]) => ({
            rows: (await tx.query<R>(sql, params)).rows,
          }),
        }),
      ),
    listen: async (channel, onPayload) => {
      const unsub = await db.listen(channel, onPayload);
      return async () => unsub();
    },
    close: () => db.close(),
    dumpDataDir: () => db.dumpDataDir('none'),
  };
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.PG_POOL_SIZE ?? 20) });
  pool.on('error', () => {
    // An idle client lost its connection: the pool replaces it on next use.
  });
  await pool.query('select 1');
  let listener: pg.Client | null = null;
  const handlers = new Map<string, Set<(p: string) => void>>();
  async function ensureListener(): Promise<pg.Client> {
    if (listener) return listener;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    client.on('notification', (msg) => {
      for (const h of handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
    });
    client.on('error', () => {
      listener = null;
    });
    listener = client;
    return client;
  }
  return {
    kind: 'postgres',
    query: async <T>(sql: string, params?: unknown[]) => {
      const r = await pool.query(sql, params as unknown[]);
      return { rows: r.rows as T[] };
    },
    transaction: async <T>(fn: (tx: Queryable) => Promise<T>) => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn({
          query: async <R>(sql: string, params?: unknown[]) => ({
            rows: (await client.query(sql, params as unknown[])).rows as R[],
          }),
        });
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    listen: async (channel, onPayload) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`canal invalide : ${channel}`);
      const client = await ensureListener();
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await client.query(`listen ${channel}`);
      }
      set.add(onPayload);
      return async () => {
        set.delete(onPayload);
      };
    },
    close: async () => {
      await listener?.end().catch(() => undefined);
      await pool.end();
    },
  };
}
