import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { compareCheckpoints, type SyncCheckpoint } from '../../shared/sync/protocol';
import type { Queryable } from '../src/db/database';
import { canonicalJson } from '../src/sync/canonical';

/**
 * The "No skipped change" workload (DESIGN §5, guarantee 1), and, for comparison only, the
 * naive checkpoint the design forbids: `updated_at = now()` of concurrent transactions. `now()`
 * is the start time of the writing transaction, so a transaction that started earlier but
 * commits later lands behind a checkpoint a client already holds, and is never pulled.
 */

type AnyDoc = Record<string, unknown> & { id: string };

export interface PullPage<C> {
  documents: (AnyDoc & { _deleted?: boolean })[];
  checkpoint: C | null;
}

/** One change of the workload: a new document, or an edit of an existing one. */
export interface Change {
  kind: 'create' | 'edit';
  id: string;
  writer: number;
  /** Global number of the change, unique: each change writes a different document state. */
  n: number;
}

/** What the workload needs from a replication scheme. */
export interface WorkloadTarget<C> {
  readonly name: string;
  /** Writes one change, retrying conflicts; resolves when it is committed. Answers the conflicts met. */
  write(change: Change): Promise<number>;
  pull(checkpoint: C | null, limit: number): Promise<PullPage<C>>;
  /** True when no committed change visible to the puller lies after `checkpoint`. */
  caughtUp(checkpoint: C | null): Promise<boolean>;
  /** The server's documents in the puller's scope: id → canonical JSON (without `_deleted`). */
  serverState(): Promise<Map<string, string>>;
}

export interface WorkloadOptions {
  writers?: number;
  changes?: number;
  batchSize?: number;
  /** Share of changes that create a new document (the rest edit one). */
  createShare?: number;
  seed?: number;
  /** Gives up draining after this long (a skipped change never comes back). */
  drainTimeoutMs?: number;
}

export interface WorkloadResult {
  name: string;
  writers: number;
  changes: number;
  creates: number;
  edits: number;
  conflicts: number;
  pullPages: number;
  pulledDocuments: number;
  serverDocuments: number;
  durationMs: number;
  writeMs: number;
  /** Documents whose final state the continuous puller does not hold (missing or stale). */
  missed: string[];
  /** Documents the puller holds that the server does not have. */
  extra: string[];
  /** The same comparison for a client pulling everything from scratch afterwards. */
  missedFromScratch: string[];
}

/** Small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function stripDeleted(doc: AnyDoc & { _deleted?: boolean }): string {
  const { _deleted, ...rest } = doc;
  return canonicalJson(rest);
}

function apply(map: Map<string, string>, documents: PullPage<unknown>['documents']) {
  for (const d of documents) {
    if (d._deleted) map.delete(d.id);
    else map.set(d.id, stripDeleted(d));
  }
}

function diff(client: Map<string, string>, server: Map<string, string>) {
  const missed = [...server].filter(([id, doc]) => client.get(id) !== doc).map(([id]) => id);
  const extra = [...client.keys()].filter((id) => !server.has(id));
  return { missed, extra };
}

/**
 * `writers` concurrent loops make `changes` changes in total while one client pulls
 * continuously with a small batch, applying documents into a Map; when the writers are done it
 * pulls to the end, and its Map is compared with the server's state.
 */
export async function runWorkload<C>(
  target: WorkloadTarget<C>,
  options: WorkloadOptions = {},
): Promise<WorkloadResult> {
  const writers = options.writers ?? 20;
  const total = options.changes ?? 5000;
  const batchSize = options.batchSize ?? 7;
  const createShare = options.createShare ?? 0.4;
  const random = prng(options.seed ?? 1);
  const started = performance.now();

  const ids: string[] = [];
  let issued = 0;
  let creates = 0;
  let conflicts = 0;
  let writersDone = false;

  const writer = async (w: number) => {
    while (issued < total) {
      const n = issued++;
      const create = ids.length < writers || random() < createShare;
      const change: Change = create
        ? { kind: 'create', id: randomUUID(), writer: w, n }
        : { kind: 'edit', id: ids[Math.floor(random() * ids.length)]!, writer: w, n };
      conflicts += await target.write(change);
      if (create) {
        creates++;
        ids.push(change.id);
      }
    }
  };

  const client = new Map<string, string>();
  let checkpoint: C | null = null;
  let pullPages = 0;
  let pulledDocuments = 0;
  const pullOnce = async () => {
    const page = await target.pull(checkpoint, batchSize);
    pullPages++;
    pulledDocuments += page.documents.length;
    apply(client, page.documents);
    checkpoint = page.checkpoint;
    return page.documents.length;
  };
  const puller = async () => {
    while (!writersDone) {
      if ((await pullOnce()) === 0) await sleep(1);
    }
  };

  const pulling = puller();
  await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
  const writeMs = performance.now() - started;
  writersDone = true;
  await pulling;

  // Pull to the end: until an empty page at (or after) the newest visible position.
  const deadline = Date.now() + (options.drainTimeoutMs ?? 15_000);
  for (;;) {
    if ((await pullOnce()) > 0) continue;
    if (await target.caughtUp(checkpoint)) break;
    if (Date.now() > deadline) break;
    await sleep(10);
  }
  const durationMs = performance.now() - started;

  const server = await target.serverState();
  const { missed, extra } = diff(client, server);

  const scratch = new Map<string, string>();
  let cp: C | null = null;
  for (;;) {
    const page = await target.pull(cp, 1000);
    if (page.documents.length === 0) break;
    apply(scratch, page.documents);
    cp = page.checkpoint;
  }

  return {
    name: target.name,
    writers,
    changes: total,
    creates,
    edits: total - creates,
    conflicts,
    pullPages,
    pulledDocuments,
    serverDocuments: server.size,
    durationMs: Math.round(durationMs),
    writeMs: Math.round(writeMs),
    missed,
    extra,
    missedFromScratch: diff(scratch, server).missed,
  };
}

export function describeResult(r: WorkloadResult): string {
  return (
    `[${r.name}] ${r.changes} modifications (${r.creates} créations, ${r.edits} éditions, ${r.conflicts} conflits rejoués) ` +
    `par ${r.writers} rédacteurs en ${r.writeMs} ms ; lecteur : ${r.pullPages} pages, ${r.pulledDocuments} documents reçus, ` +
    `${r.durationMs} ms au total ; serveur : ${r.serverDocuments} documents ; ` +
    `modifications manquées : ${r.missed.length}, documents en trop : ${r.extra.length}, ` +
    `manquées par une lecture complète : ${r.missedFromScratch.length}`
  );
}

// ---------------------------------------------------------------------------------------------
// The naive scheme (for comparison only: never use it).

export interface NaiveCheckpoint {
  updatedAt: string;
  id: string;
}

/** A table whose checkpoint is `(updated_at, id)` with `updated_at = now()` of the writing transaction. */
export class NaiveStore implements WorkloadTarget<NaiveCheckpoint> {
  readonly name = 'naïf (updated_at = now())';
  private readonly table: string;

  constructor(
    readonly pool: pg.Pool,
    readonly schema: string,
    /** Upper bound of the work each writing transaction does after `now()` and before commit. */
    readonly workSeconds = 0.005,
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`schéma invalide : ${schema}`);
    this.table = `${schema}.naive_offers`;
  }

  static async create(url: string, schema: string, workSeconds?: number): Promise<NaiveStore> {
    const pool = new pg.Pool({ connectionString: url, max: 25 });
    pool.on('error', () => undefined);
    const store = new NaiveStore(pool, schema, workSeconds);
    await pool.query(`create schema if not exists ${schema}`);
    await pool.query(
      `create table if not exists ${store.table} (id text primary key, doc jsonb not null, updated_at timestamptz not null)`,
    );
    await pool.query(`create index if not exists naive_offers_position on ${store.table} (updated_at, id)`);
    return store;
  }

  async close(dropSchema = true): Promise<void> {
    if (dropSchema) await this.pool.query(`drop schema if exists ${this.schema} cascade`);
    await this.pool.end();
  }

  /** Begins a transaction that writes `doc` at `now()`; the caller decides when it commits. */
  async begin(doc: AnyDoc): Promise<{ commit(): Promise<void>; client: pg.PoolClient }> {
    const client = await this.pool.connect();
    await client.query('begin');
    await client.query(
      `insert into ${this.table} (id, doc, updated_at) values ($1, $2, now())
       on conflict (id) do update set doc = excluded.doc, updated_at = now()`,
      [doc.id, JSON.stringify(doc)],
    );
    return {
      client,
      async commit() {
        try {
          await client.query('commit');
        } finally {
          client.release();
        }
      },
    };
  }

  async write(change: Change): Promise<number> {
    const doc = { id: change.id, title: `Offre ${change.writer}-${change.n}`, version: change.n };
    const t = await this.begin(doc);
    // A little work between `now()` and the commit, as any real transaction does.
    await t.client.query('select pg_sleep(random() * $1::float8)', [this.workSeconds]);
    await t.commit();
    return 0;
  }

  async pull(checkpoint: NaiveCheckpoint | null, limit: number): Promise<PullPage<NaiveCheckpoint>> {
    const { rows } = await this.pool.query<{ id: string; doc: AnyDoc; updated_at: string }>(
      `select id, doc, updated_at::text as updated_at from ${this.table}
        where (updated_at, id) > ($1::timestamptz, $2::text) order by updated_at, id limit $3`,
      [checkpoint?.updatedAt ?? '-infinity', checkpoint?.id ?? '', limit],
    );
    const last = rows[rows.length - 1];
    return {
      documents: rows.map((r) => ({ ...r.doc, _deleted: false })),
      checkpoint: last ? { updatedAt: last.updated_at, id: last.id } : checkpoint,
    };
  }

  async caughtUp(checkpoint: NaiveCheckpoint | null): Promise<boolean> {
    const { rows } = await this.pool.query(
      `select 1 from ${this.table} where (updated_at, id) > ($1::timestamptz, $2::text) limit 1`,
      [checkpoint?.updatedAt ?? '-infinity', checkpoint?.id ?? ''],
    );
    return rows.length === 0;
  }

  async serverState(): Promise<Map<string, string>> {
    const { rows } = await this.pool.query<{ id: string; doc: AnyDoc }>(`select id, doc from ${this.table}`);
    return new Map(rows.map((r) => [r.id, canonicalJson(r.doc)]));
  }
}

/**
 * The race, provoked on purpose: A takes `now()` and is still working when B, which started
 * later, commits; the client pulls B, so its checkpoint passes A's `now()`; A commits behind it.
 * Answers the ids the client never receives.
 */
export async function provokeSkip<C>(
  target: Pick<WorkloadTarget<C>, 'pull' | 'caughtUp' | 'serverState'>,
  steps: {
    /** Opens transaction A, writes `a`, and answers its commit (A stays open until then). */
    beginA(a: AnyDoc): Promise<() => Promise<void>>;
    /** Writes and commits `b` in another transaction. */
    writeB(b: AnyDoc): Promise<void>;
  },
  makeDoc: (label: string) => AnyDoc,
): Promise<{ missed: string[]; a: string; b: string; pulledWhileAOpen: number }> {
  // Start from the end of the feed.
  let checkpoint: C | null = null;
  const client = new Map<string, string>();
  for (;;) {
    const page = await target.pull(checkpoint, 1000);
    if (page.documents.length === 0) break;
    apply(client, page.documents);
    checkpoint = page.checkpoint;
  }
  const a = makeDoc('A');
  const b = makeDoc('B');
  const commitA = await steps.beginA(a);
  let pulledWhileAOpen = 0;
  try {
    await sleep(20);
    await steps.writeB(b);
    // The client pulls while A is still open.
    for (;;) {
      const page = await target.pull(checkpoint, 7);
      pulledWhileAOpen += page.documents.length;
      if (page.documents.length === 0) break;
      apply(client, page.documents);
      checkpoint = page.checkpoint;
    }
  } finally {
    await commitA();
  }
  const deadline = Date.now() + 5000;
  for (;;) {
    const page = await target.pull(checkpoint, 7);
    if (page.documents.length > 0) {
      apply(client, page.documents);
      checkpoint = page.checkpoint;
      continue;
    }
    if ((await target.caughtUp(checkpoint)) || Date.now() > deadline) break;
    await sleep(10);
  }
  const server = await target.serverState();
  const missed = [a.id, b.id].filter((id) => client.get(id) !== server.get(id));
  return { missed, a: a.id, b: b.id, pulledWhileAOpen };
}

// ---------------------------------------------------------------------------------------------
// Our engine, through HTTP.

export interface HttpTargetOptions {
  /** Base URL of the sync server. */
  url: string;
  /** Bearer token of the writers and of the puller. */
  token: string;
  organisationId: string;
  /** Audience keys of the puller (see `userKeys`). */
  keys: string[];
  /** Direct access to the server's database, for masters, the head position and the final state. */
  db: Queryable;
}

/** Writes offers through `POST …/push` and pulls through `GET …/pull`, like a workstation. */
export class HttpOffersTarget implements WorkloadTarget<SyncCheckpoint> {
  readonly name = 'moteur (txid, seq)';

  constructor(readonly options: HttpTargetOptions) {}

  private async request<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(`${this.options.url}${path}`, {
          method: init.method ?? 'GET',
          headers: {
            authorization: `Bearer ${this.options.token}`,
            ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
        });
        const text = await res.text();
        if (res.status !== 200)
          throw new Error(`${init.method ?? 'GET'} ${path} : ${res.status} ${text.slice(0, 300)}`);
        return JSON.parse(text) as T;
      } catch (error) {
        // Sockets can run out under load: retry transport errors a few times, never HTTP errors.
        if (attempt >= 3 || (error instanceof Error && /: \d{3} /.test(error.message))) throw error;
        await sleep(20 * (attempt + 1));
      }
    }
  }

  newOffer(id: string, title: string): AnyDoc {
    const now = new Date().toISOString();
    return {
      id,
      organisationId: this.options.organisationId,
      title,
      jobTitle: '',
      city: '',
      companyName: '',
      contactPhone: '',
      seasonal: false,
      contractTypes: [],
      description: '',
      status: 'brouillon',
      createdAt: now,
      updatedAt: now,
    };
  }

  async push(rows: { assumedMasterState: AnyDoc | null; newDocumentState: AnyDoc }[]): Promise<AnyDoc[]> {
    return this.request<AnyDoc[]>('/api/sync/offers/v1/push', { method: 'POST', body: rows });
  }

  async write(change: Change): Promise<number> {
    const title = `Offre ${change.writer}-${change.n}`;
    const description = `Modification n° ${change.n} par le rédacteur ${change.writer}.`;
    if (change.kind === 'create') {
      const doc = { ...this.newOffer(change.id, title), description, _deleted: false };
      const answer = await this.push([{ assumedMasterState: null, newDocumentState: doc }]);
      if (answer.length > 0) throw new Error(`création refusée : ${JSON.stringify(answer)}`);
      return 0;
    }
    const { rows } = await this.options.db.query<{ doc: AnyDoc }>('select doc from offers where id = $1', [
      change.id,
    ]);
    let master: AnyDoc = { ...rows[0]!.doc, _deleted: false };
    for (let conflicts = 0; conflicts < 50; conflicts++) {
      const answer = await this.push([
        { assumedMasterState: master, newDocumentState: { ...master, title, description, _deleted: false } },
      ]);
      if (answer.length === 0) return conflicts;
      // Someone wrote first: start again from the master the server answered.
      master = answer[0]!;
      if (master._deleted) throw new Error(`offre ${change.id} introuvable : ${JSON.stringify(master)}`);
    }
    throw new Error(`offre ${change.id} : trop de conflits`);
  }

  pull(checkpoint: SyncCheckpoint | null, limit: number): Promise<PullPage<SyncCheckpoint>> {
    const cp = checkpoint ? `checkpoint=${encodeURIComponent(JSON.stringify(checkpoint))}&` : '';
    return this.request<PullPage<SyncCheckpoint>>(`/api/sync/offers/v1/pull?${cp}batchSize=${limit}`);
  }

  async caughtUp(checkpoint: SyncCheckpoint | null): Promise<boolean> {
    const { rows } = await this.options.db.query<{ position_txid: string; seq: string | number }>(
      `select txid::text as position_txid, seq from offers where keys && $1::text[] order by offers.txid desc, offers.seq desc limit 1`,
      [this.options.keys],
    );
    const head = rows[0];
    if (!head) return true;
    return (
      !!checkpoint && compareCheckpoints(checkpoint, { txid: head.position_txid, seq: Number(head.seq) }) >= 0
    );
  }

  async serverState(): Promise<Map<string, string>> {
    const { rows } = await this.options.db.query<{ id: string; doc: AnyDoc; deleted: boolean }>(
      'select id, doc, deleted from offers where keys && $1::text[]',
      [this.options.keys],
    );
    return new Map(rows.filter((r) => !r.deleted).map((r) => [r.id, canonicalJson(r.doc)]));
  }
}
