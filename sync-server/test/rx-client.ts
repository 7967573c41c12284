import {
  addRxPlugin,
  createRxDatabase,
  normalizeMangoQuery,
  prepareQuery,
  type RxCollection,
  type RxDatabase,
  type RxReplicationPullStreamItem,
} from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { type RxReplicationState, replicateRxCollection } from 'rxdb/plugins/replication';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { Subject } from 'rxjs';
import { OFFER_SERVER_FIELDS } from '../../shared/domain/offer';
import {
  type ApplicationDoc,
  applicationSchema,
  type EvaluationDoc,
  evaluationSchema,
  type NoticeDoc,
  noticeSchema,
  type OfferDoc,
  offerSchema,
} from '../../shared/schemas';
import { migrationStrategiesFor } from '../../shared/schemas/migrations';
import type { PullResponse, PushRow, SyncCheckpoint, WithDeleted } from '../../shared/sync/protocol';

/**
 * A workstation-like RxDB client for tests: memory storage (with the schema validator), the
 * collections `offers` and `notices` (by default; also `applications` and `evaluations` on demand),
 * and `replicateRxCollection` against the sync server's HTTP API (pull, push, and the SSE stream as
 * `pull.stream$`). Shared by the replication, fault, triage-convergence and benchmark suites.
 *
 * RxDB's free tier opens at most 13 collections per process: close every client you create.
 */

addRxPlugin(RxDBMigrationSchemaPlugin);

export type ClientCollectionName = 'offers' | 'notices' | 'applications' | 'evaluations';

/** A pure conflict resolver (the workstation's, e.g. `renderer/src/db/conflict-triage.ts`). */
export type ConflictResolver = (input: {
  assumedMasterState?: WithDeleted<AnyDoc>;
  realMasterState: WithDeleted<AnyDoc>;
  newDocumentState: WithDeleted<AnyDoc>;
}) => WithDeleted<AnyDoc>;

export interface RxClientOptions {
  url: string;
  token: string;
  /** Database name; made unique with a random suffix. */
  name?: string;
  collections?: ClientCollectionName[];
  /** Live replication with the SSE stream (default true); false runs once and stops. */
  live?: boolean;
  batchSize?: number;
  /** Retry delay after a failed request (default 300 ms, RxDB's default is 5 s). */
  retryTime?: number;
  /**
   * A field both this user and the master changed since the assumed master: `master` keeps the
   * master's value and records the user's in `lostEdits` (default); `mine` re-applies the user's value.
   */
  sameFieldPolicy?: 'master' | 'mine';
  /**
   * Conflict resolvers per collection, used instead of `mergeOnTopOfMaster` (e.g. the
   * workstation's own resolvers, so that a test exercises the rules the app ships with).
   */
  conflictHandlers?: Partial<Record<ClientCollectionName, ConflictResolver>>;
}

/** A local edit the conflict handler did not keep, so that nothing is dropped silently. */
export interface LostEdit {
  collection: ClientCollectionName;
  id: string;
  field: string;
  mine: unknown;
  master: unknown;
}

type AnyDoc = Record<string, unknown> & { id: string };

export interface RxClient {
  db: RxDatabase;
  offers: RxCollection<OfferDoc>;
  notices: RxCollection<NoticeDoc>;
  /** Only when `collections` includes them. */
  applications: RxCollection<ApplicationDoc>;
  evaluations: RxCollection<EvaluationDoc>;
  replications: Partial<Record<ClientCollectionName, RxReplicationState<AnyDoc, SyncCheckpoint>>>;
  /** Edits dropped by the conflict handler (same field changed on the server). */
  lostEdits: LostEdit[];
  /** Errors reported by the replications (network failures while offline, HTTP errors). */
  errors: unknown[];
  /** Requests sent, by kind: lets tests check that the client really talked to the server. */
  requests: { pull: number; push: number; stream: number };
  /** Simulates the network: offline, every request fails and the stream is closed. */
  setOnline(online: boolean): void;
  readonly online: boolean;
  /** Asks every replication to pull now (RxDB `reSync`), without waiting. */
  reSync(): void;
  /** Asks every replication to pull now, then waits until nothing is left to push or pull. */
  awaitInSync(): Promise<void>;
  cancel(): Promise<void>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Conflict handling

const LOCAL_ONLY = new Set(['_meta', '_rev', '_attachments']);

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)]))
    if (!deepEqual(ao[k], bo[k])) return false;
  return true;
}

function stripLocal<T extends object>(doc: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!LOCAL_ONLY.has(k) && v !== undefined) out[k] = v;
  return out as T;
}

export function replicatedEqual(a: object, b: object): boolean {
  return deepEqual(stripLocal(a), stripLocal(b));
}

const FROM_MASTER: Record<ClientCollectionName, Set<string>> = {
  offers: new Set<string>([...OFFER_SERVER_FIELDS, 'id', 'organisationId', '_deleted']),
  notices: new Set<string>([
    'id',
    'userId',
    'kind',
    'collection',
    'documentId',
    'title',
    'message',
    'fields',
    'createdAt',
    '_deleted',
  ]),
  // Defaults only: the triage suites pass the workstation's resolvers (`conflictHandlers`).
  applications: new Set([
    'id',
    'organisationId',
    'history',
    'createdAt',
    'updatedAt',
    'duplicateOf',
    'duplicateReasons',
    'followUpAt',
    '_deleted',
  ]),
  evaluations: new Set([
    'id',
    'organisationId',
    'authorId',
    'subjectKind',
    'subjectId',
    'createdAt',
    '_deleted',
  ]),
};

/**
 * Merges the fields the user changed (their state against the master they started from) on top
 * of the real master. Takes the master as is when it is deleted (or out of scope), when there is no
 * base to compare with, or when it equals the assumed master (the server refused the change).
 */
export function mergeOnTopOfMaster<T extends object>(
  collection: ClientCollectionName,
  input: {
    assumedMasterState?: WithDeleted<T>;
    realMasterState: WithDeleted<T>;
    newDocumentState: WithDeleted<T>;
  },
  policy: 'master' | 'mine',
  lost: LostEdit[],
): WithDeleted<T> {
  const master = stripLocal(input.realMasterState) as Record<string, unknown>;
  const mine = stripLocal(input.newDocumentState) as Record<string, unknown>;
  const assumed = input.assumedMasterState
    ? (stripLocal(input.assumedMasterState) as Record<string, unknown>)
    : null;
  if (master._deleted === true || !assumed || deepEqual(master, assumed)) return master as WithDeleted<T>;
  const result = { ...master };
  for (const key of new Set([...Object.keys(assumed), ...Object.keys(mine)])) {
    if (FROM_MASTER[collection].has(key) || deepEqual(assumed[key], mine[key])) continue;
    const masterMoved = !deepEqual(assumed[key], master[key]);
    if (masterMoved && !deepEqual(master[key], mine[key]) && policy === 'master') {
      lost.push({ collection, id: String(master.id), field: key, mine: mine[key], master: master[key] });
      continue;
    }
    if (mine[key] === undefined) delete result[key];
    else result[key] = mine[key];
  }
  return result as WithDeleted<T>;
}

// ---------------------------------------------------------------------------------------------
// Server-Sent Events over fetch

export interface SseOptions {
  url: string;
  token?: string;
  cookie?: string;
  signal: AbortSignal;
  /** Each event's `data`, parsed as JSON. */
  onEvent(data: unknown): void;
  /** Called once the response headers arrived. */
  onOpen?(status: number): void;
}

/** Reads one SSE response until it ends or the signal aborts; resolves with the HTTP status. */
export async function readSse(options: SseOptions): Promise<number> {
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = options.cookie;
  const res = await fetch(options.url, { headers, signal: options.signal });
  options.onOpen?.(res.status);
  if (!res.ok || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    return res.status;
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value.replace(/\r\n/g, '\n');
      let cut = buffer.indexOf('\n\n');
      while (cut >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).replace(/^ /, ''))
          .join('\n');
        if (data) options.onEvent(JSON.parse(data));
        cut = buffer.indexOf('\n\n');
      }
    }
  } catch (error) {
    if (!options.signal.aborted) throw error;
  }
  return res.status;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns true (or a value that is not false/undefined). */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  {
    timeout = 15_000,
    interval = 50,
    message = 'condition',
  }: { timeout?: number; interval?: number; message?: string } = {},
): Promise<Exclude<T, false | undefined | null>> {
  const start = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== false && v !== undefined && v !== null) return v as Exclude<T, false | undefined | null>;
    } catch (error) {
      last = error;
    }
    if (Date.now() - start > timeout) {
      throw new Error(`waitFor(${message}) : délai dépassé${last ? ` (${String(last)})` : ''}`);
    }
    await sleep(interval);
  }
}

// ---------------------------------------------------------------------------------------------
// Reading a replica at storage level

/**
 * The non-deleted documents of a local collection, read from its storage instance rather than
 * through RxDocuments. Needed for `notices`: its top-level field `collection` is a reserved
 * RxDocument property (RxDB schema check SC17), so `notices.find().exec()` throws
 * "Cannot set property collection of #<Object> which has only a getter".
 */
export async function rawDocs<T = Record<string, unknown>>(
  collection: RxCollection,
  selector: Record<string, unknown> = {},
): Promise<T[]> {
  const query = normalizeMangoQuery(collection.schema.jsonSchema, { selector });
  const result = await collection.storageInstance.query(prepareQuery(collection.schema.jsonSchema, query));
  return result.documents.map((d) => {
    const { _meta, _rev, _attachments, _deleted, ...rest } = d as Record<string, unknown>;
    return rest as T;
  });
}

// ---------------------------------------------------------------------------------------------
// The client

const SCHEMAS = {
  offers: offerSchema,
  notices: noticeSchema,
  applications: applicationSchema,
  evaluations: evaluationSchema,
} as const;

class OfflineError extends Error {
  constructor() {
    super('Réseau indisponible (hors ligne simulé).');
    this.name = 'OfflineError';
  }
}

export async function createRxClient(options: RxClientOptions): Promise<RxClient> {
  const names = options.collections ?? ['offers', 'notices'];
  const live = options.live ?? true;
  const policy = options.sameFieldPolicy ?? 'master';
  const lostEdits: LostEdit[] = [];
  const errors: unknown[] = [];
  const requests = { pull: 0, push: 0, stream: 0 };
  let online = true;
  let closed = false;

  const db = await createRxDatabase({
    name: `${options.name ?? 'client'}-${Math.random().toString(36).slice(2, 10)}`,
    storage: wrappedValidateAjvStorage({ storage: getRxStorageMemory() }),
    multiInstance: false,
    eventReduce: true,
  });
  const creators: Record<string, unknown> = {};
  for (const name of names) {
    const resolver = options.conflictHandlers?.[name];
    creators[name] = {
      schema: SCHEMAS[name],
      migrationStrategies: migrationStrategiesFor(name),
      conflictHandler: {
        isEqual: (a: object, b: object) => replicatedEqual(a, b),
        resolve: async (input: {
          assumedMasterState?: WithDeleted<AnyDoc>;
          realMasterState: WithDeleted<AnyDoc>;
          newDocumentState: WithDeleted<AnyDoc>;
        }) => (resolver ? resolver(input) : mergeOnTopOfMaster(name, input, policy, lostEdits)),
      },
    };
  }
  await db.addCollections(creators as never);

  const headers = { authorization: `Bearer ${options.token}` };
  const call = async <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
    if (!online) throw new OfflineError();
    const res = await fetch(`${options.url}${path}`, {
      method: init.method ?? 'GET',
      headers: init.body !== undefined ? { ...headers, 'content-type': 'application/json' } : headers,
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`HTTP ${res.status} sur ${path} : ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  };

  const replications: RxClient['replications'] = {};
  const streams: {
    subject: Subject<RxReplicationPullStreamItem<AnyDoc, SyncCheckpoint>>;
    abort?: AbortController;
    base: string;
  }[] = [];

  const runStream = async (s: (typeof streams)[number]) => {
    while (!closed && online) {
      const abort = new AbortController();
      s.abort = abort;
      requests.stream++;
      try {
        await readSse({
          url: `${options.url}${s.base}/stream`,
          token: options.token,
          signal: abort.signal,
          onEvent: (data) => {
            if (data === 'RESYNC') s.subject.next('RESYNC');
            else if (
              data &&
              typeof data === 'object' &&
              Array.isArray((data as PullResponse<AnyDoc>).documents)
            ) {
              const ev = data as PullResponse<AnyDoc>;
              s.subject.next({ documents: ev.documents, checkpoint: ev.checkpoint ?? undefined } as never);
            }
          },
        });
      } catch (error) {
        if (!abort.signal.aborted) errors.push(error);
      }
      if (closed || !online) break;
      // The stream ended on its own: reconnect and catch up with a pull.
      await sleep(200);
      s.subject.next('RESYNC');
    }
  };

  for (const name of names) {
    const version = SCHEMAS[name].version;
    const base = `/api/sync/${name}/v${version}`;
    const subject = new Subject<RxReplicationPullStreamItem<AnyDoc, SyncCheckpoint>>();
    const replication = replicateRxCollection<AnyDoc, SyncCheckpoint>({
      replicationIdentifier: `test-${name}-v${version}-${options.url}`,
      collection: db.collections[name] as unknown as RxCollection<AnyDoc>,
      live,
      retryTime: options.retryTime ?? 300,
      waitForLeadership: false,
      autoStart: true,
      pull: {
        batchSize: options.batchSize ?? 50,
        ...(live ? { stream$: subject.asObservable() } : {}),
        handler: async (checkpoint, batchSize) => {
          requests.pull++;
          const params = new URLSearchParams({ batchSize: String(batchSize) });
          if (checkpoint) params.set('checkpoint', JSON.stringify(checkpoint));
          const res = await call<PullResponse<AnyDoc>>(`${base}/pull?${params}`);
          return { documents: res.documents, checkpoint: res.checkpoint ?? undefined };
        },
      },
      push: {
        batchSize: options.batchSize ?? 50,
        handler: async (rows) => {
          requests.push++;
          const body: PushRow<AnyDoc>[] = rows.map((r) => ({
            assumedMasterState: r.assumedMasterState ?? null,
            newDocumentState: r.newDocumentState,
          }));
          return call<WithDeleted<AnyDoc>[]>(`${base}/push`, { method: 'POST', body });
        },
      },
    });
    replication.error$.subscribe((e) => errors.push(e));
    replications[name] = replication;
    if (live) {
      const s = { subject, base };
      streams.push(s);
      void runStream(s);
    }
  }

  const all = () => Object.values(replications) as RxReplicationState<AnyDoc, SyncCheckpoint>[];

  const client: RxClient = {
    db,
    offers: db.collections.offers as unknown as RxCollection<OfferDoc>,
    notices: db.collections.notices as unknown as RxCollection<NoticeDoc>,
    applications: db.collections.applications as unknown as RxCollection<ApplicationDoc>,
    evaluations: db.collections.evaluations as unknown as RxCollection<EvaluationDoc>,
    replications,
    lostEdits,
    errors,
    requests,
    get online() {
      return online;
    },
    setOnline(value: boolean) {
      if (value === online) return;
      online = value;
      if (!value) {
        for (const s of streams) s.abort?.abort();
        return;
      }
      for (const s of streams) void runStream(s);
      for (const r of all()) r.reSync();
    },
    reSync() {
      for (const r of all()) if (!r.isStopped()) r.reSync();
    },
    async awaitInSync() {
      for (const r of all()) if (!r.isStopped()) r.reSync();
      await Promise.all(all().map((r) => (r.isStopped() ? r.awaitInitialReplication() : r.awaitInSync())));
    },
    async cancel() {
      closed = true;
      for (const s of streams) s.abort?.abort();
      await Promise.all(all().map((r) => r.cancel()));
    },
    async close() {
      if (!closed) await client.cancel();
      if (!db.closed) await db.close();
    },
  };
  return client;
}
