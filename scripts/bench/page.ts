/**
 * Benchmark page (built with Vite, driven by scripts/bench-sync.ts through Playwright): the real
 * RxDB + Dexie + z-schema stack of the workstation in Chromium, with the workstation's offer
 * collection (schema and conflict handler from renderer/src/db/collections.ts) and a minimal
 * replication over the sync protocol (pull, push, SSE stream with renderer/src/lib/sse.ts).
 * The API is same-origin (the bench proxy forwards /api to the sync server).
 */
import {
  createRxDatabase,
  getChangedDocumentsSince,
  getChangedDocumentsSinceQuery,
  prepareQuery,
  type RxCollection,
  type RxDatabase,
  type RxReplicationPullStreamItem,
} from 'rxdb';
import { type RxReplicationState, replicateRxCollection } from 'rxdb/plugins/replication';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { Subject } from 'rxjs';
import { importAtRestKey, protectAtRest, toBase64 } from '../../renderer/src/db/at-rest';
import { withIndexedChangesSince } from '../../renderer/src/db/changes-since';
import { collectionCreators } from '../../renderer/src/db/collections';
import { firstSync } from '../../renderer/src/db/first-sync';
import { withPulledRecordsOnDemand } from '../../renderer/src/db/pulled-records';
import { validateLocalWrites } from '../../renderer/src/db/validate-storage';
import { connectSse } from '../../renderer/src/lib/sse';
import type { OfferDoc } from '../../shared/schemas';
import type { PullResponse, SyncCheckpoint } from '../../shared/sync/protocol';
import { record, resetTrace, traceReport, traceState, traceStorage } from './trace';

/** `?trace` in the page URL (bench option --trace): storage calls and handlers are timed. */
const TRACE = new URLSearchParams(location.search).has('trace');
/** `?atrest` (bench option --at-rest): the desktop's encryption of sensitive fields at rest (offers: internal contact). */
const AT_REST = new URLSearchParams(location.search).has('atrest');
/**
 * `?dropmeta` (bench option --drop-meta, a diagnostic): the replication's records of pulled documents
 * (RxDB's meta instance, one per document) are not written, to see what the initial sync costs
 * without them. A replica synced so would push every later edit as a conflict: never in the product.
 */
const DROP_META = new URLSearchParams(location.search).has('dropmeta');
const atRestKey = AT_REST ? importAtRestKey(toBase64(crypto.getRandomValues(new Uint8Array(32)))) : null;

type Offers = RxCollection<OfferDoc>;
type Db = RxDatabase<{ offers: Offers }>;

interface Client {
  db: Db;
  replication: RxReplicationState<OfferDoc, SyncCheckpoint> | null;
  abort: AbortController | null;
  token: string;
  identifier: string;
}

const BASE = '/api/sync/offers/v1';
const clients = new Map<string, Client>();
const marks: string[] = [];
/** Step b: when the browser came back online, and when the last push was acknowledged since. */
let onlineAt = 0;
let lastPushAckAt = 0;
let rowsAckedSinceOnline = 0;
addEventListener('online', () => {
  onlineAt = performance.now();
  lastPushAckAt = 0;
  rowsAckedSinceOnline = 0;
});
let traceT0 = 0;
let replicaDocs: OfferDoc[] = [];
let counter = 0;

function maybeTrace<S extends Parameters<typeof traceStorage>[0]>(storage: S): S {
  // The workstation's own storage stack (renderer/src/db/database.ts).
  const fixed = withIndexedChangesSince(storage) as S;
  return TRACE ? (traceStorage(fixed) as S) : fixed;
}

/** The storage, less the writes of the records of pulled documents (diagnostic `?dropmeta`). */
function withoutPulledRecords<S extends ReturnType<typeof getRxStorageDexie>>(storage: S): S {
  return {
    ...storage,
    async createStorageInstance(params: Parameters<S['createStorageInstance']>[0]) {
      const instance = await storage.createStorageInstance(params);
      const write = instance.bulkWrite.bind(instance);
      instance.bulkWrite = (rows, context) =>
        context === 'replication-down-write-meta' ? Promise.resolve({ error: [] }) : write(rows, context);
      return instance;
    },
  };
}

/**
 * `replica`: the workstation's storage stack (renderer/src/db/database.ts); otherwise the reference
 * of step a, RxDB's own Dexie storage with the validation and nothing of the workstation's making.
 */
async function openDb(prefix: string, validate = true, replica = true): Promise<Db> {
  const key = await atRestKey;
  const raw = DROP_META ? withoutPulledRecords(getRxStorageDexie()) : getRxStorageDexie();
  const base = replica ? withPulledRecordsOnDemand(raw) : getRxStorageDexie();
  const dexie = key ? protectAtRest(base, key, [collectionCreators.offers.schema] as never) : base;
  const db = await createRxDatabase<{ offers: Offers }>({
    name: `${prefix}_${Date.now().toString(36)}_${counter++}`,
    // The workstation's own storage: local writes validated, server documents trusted.
    storage: maybeTrace(validate ? validateLocalWrites(dexie, ['offer', 'notice']) : dexie),
    multiInstance: false,
    eventReduce: true,
  });
  await db.addCollections({ offers: collectionCreators.offers });
  return db;
}

async function api<T>(
  token: string,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<T> {
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  if (!res.ok) throw new Error(`${path} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Starts (or resumes, same identifier = same checkpoint) the replication of a client. */
/** One pull page, as the workstation asks it. */
async function pullPage(client: Client, checkpoint: SyncCheckpoint | null | undefined, batchSize: number) {
  const params = new URLSearchParams();
  if (checkpoint) params.set('checkpoint', JSON.stringify(checkpoint));
  params.set('batchSize', String(batchSize));
  const t0 = performance.now();
  const res = await api<PullResponse<OfferDoc>>(client.token, `${BASE}/pull?${params}`);
  record('handler pull', performance.now() - t0, res.documents.length);
  return res;
}

function startReplication(
  client: Client,
  options: {
    live: boolean;
    pullBatch: number;
    pushBatch: number;
    stream: boolean;
    /** Where both sides start when they have no checkpoint yet (after a first sync). */
    initialCheckpoint?: { pull: SyncCheckpoint | null; push: { id: string; lwt: number } | null };
  },
): RxReplicationState<OfferDoc, SyncCheckpoint> {
  const stream$ = new Subject<RxReplicationPullStreamItem<OfferDoc, SyncCheckpoint>>();
  const replication = replicateRxCollection<OfferDoc, SyncCheckpoint>({
    replicationIdentifier: client.identifier,
    collection: client.db.offers,
    live: options.live,
    retryTime: 1000,
    waitForLeadership: false,
    autoStart: true,
    pull: {
      batchSize: options.pullBatch,
      ...(options.stream ? { stream$: stream$.asObservable() } : {}),
      ...(options.initialCheckpoint?.pull ? { initialCheckpoint: options.initialCheckpoint.pull } : {}),
      handler: async (checkpoint, batchSize) => {
        const res = await pullPage(client, checkpoint, batchSize);
        return { documents: res.documents, checkpoint: res.checkpoint ?? undefined } as never;
      },
    },
    push: {
      batchSize: options.pushBatch,
      ...(options.initialCheckpoint?.push ? { initialCheckpoint: options.initialCheckpoint.push } : {}),
      handler: async (rows) => {
        const t0 = performance.now();
        if (traceState.enabled) marks.push(`push ${rows.length} start @${Math.round(t0 - traceT0)}`);
        const conflicts = await api<never[]>(client.token, `${BASE}/push`, {
          method: 'POST',
          body: rows.map((r) => ({
            assumedMasterState: r.assumedMasterState ?? null,
            newDocumentState: r.newDocumentState,
          })),
        });
        record('handler push', performance.now() - t0, rows.length);
        if (onlineAt > 0 && t0 >= onlineAt) {
          lastPushAckAt = performance.now();
          rowsAckedSinceOnline += rows.length;
        }
        if (traceState.enabled)
          marks.push(`push ${rows.length} done @${Math.round(performance.now() - traceT0)}`);
        return conflicts as never;
      },
    },
  });
  replication.error$.subscribe((err) => {
    // Pushes failing while the browser is offline (step b) are expected and retried.
    if (navigator.onLine) console.error('replication', err);
  });
  if (options.stream) {
    const abort = new AbortController();
    client.abort = abort;
    void connectSse({
      url: `${BASE}/stream`,
      headers: { authorization: `Bearer ${client.token}` },
      signal: abort.signal,
      onMessage: (message) => {
        const data = JSON.parse(message.data) as PullResponse<OfferDoc> | 'RESYNC';
        if (data === 'RESYNC') stream$.next('RESYNC');
        else stream$.next({ documents: data.documents, checkpoint: data.checkpoint ?? undefined } as never);
      },
      onError: () => stream$.next('RESYNC'),
      reconnectDelay: () => 500,
    });
  }
  client.replication = replication;
  return replication;
}

async function stopReplication(client: Client): Promise<void> {
  client.abort?.abort();
  client.abort = null;
  await client.replication?.cancel();
  client.replication = null;
}

const bench = {
  /** Initial sync of every offer the user sees into an empty Dexie database. */
  async initialSync(_url: string, token: string, batchSize: number) {
    const db = await openDb('bench_replica');
    const client: Client = { db, replication: null, abort: null, token, identifier: `bench-${db.name}` };
    clients.set('replica', client);
    const t0 = performance.now();
    // As the workstation does (replication.ts): an empty replica's first sync, then the replication.
    const first = await firstSync(
      db.offers as never,
      (checkpoint) => pullPage(client, checkpoint, batchSize) as never,
      batchSize,
    );
    const replication = startReplication(client, {
      live: false,
      pullBatch: batchSize,
      pushBatch: 50,
      stream: false,
      initialCheckpoint: { pull: first?.checkpoint ?? null, push: first?.upstream ?? null },
    });
    const firstMs = performance.now() - t0;
    await replication.awaitInitialReplication();
    const ms = performance.now() - t0;
    first?.close();
    await stopReplication(client);
    const docs = await db.offers.find().exec();
    replicaDocs = docs.map((d) => d.toMutableJSON() as OfferDoc);
    return { ms, count: docs.length, firstMs, firstDocs: first?.documents ?? 0 };
  },

  /**
   * bulkInsert into another empty database: the given documents, or (no argument) the documents
   * the initial sync just stored, without sending them through the driver. `chunk` mirrors the
   * pull batch size; 0 = one call. `validate: false` leaves out z-schema (to see its share).
   */
  async bulkInsert(docs?: OfferDoc[], chunk = 0, validate = true) {
    const source = docs ?? replicaDocs;
    const db = await openDb('bench_bulk', validate, false);
    const copies = source.map((d) => {
      const { _meta, _rev, _attachments, _deleted, ...rest } = d as OfferDoc & Record<string, unknown>;
      return rest as OfferDoc;
    });
    const t0 = performance.now();
    const size = chunk > 0 ? chunk : copies.length;
    let errors = 0;
    for (let i = 0; i < copies.length; i += size) {
      const res = await db.offers.bulkInsert(copies.slice(i, i + size));
      errors += res.error.length;
    }
    const ms = performance.now() - t0;
    const count = await db.offers.count().exec();
    await db.remove();
    return { ms, count, errors };
  },

  /**
   * As in the workstation: the synced replica keeps a live replication running. Step 1 starts it
   * and waits until it is in sync; the caller then cuts the browser's network
   * (`context.setOffline(true)`), step 2 makes `count` edits (their pushes fail and are retried),
   * the caller restores the network, and step 3 times until every edit is acknowledged.
   */
  async goLive(token: string, pushBatch: number) {
    const client = clients.get('replica');
    if (!client) throw new Error('initialSync d’abord');
    client.token = token;
    const replication = startReplication(client, { live: true, pullBatch: 1000, pushBatch, stream: false });
    client.replication = replication;
    const t0 = performance.now();
    await replication.awaitInSync();
    return { ms: performance.now() - t0 };
  },

  async editWhileOffline(count: number) {
    const client = clients.get('replica');
    if (!client?.replication) throw new Error('goLive d’abord');
    const editable = await client.db.offers.find({ selector: { status: 'brouillon' }, limit: count }).exec();
    if (editable.length < count) throw new Error(`seulement ${editable.length} brouillons à modifier`);
    const tEdit = performance.now();
    const stamp = Date.now().toString(36);
    for (const [i, doc] of editable.entries()) {
      await doc.incrementalPatch({
        title: `Modifié hors ligne ${stamp} ${i} H/F`,
        updatedAt: new Date().toISOString(),
      });
    }
    return {
      editMs: performance.now() - tEdit,
      edited: editable.length,
      ids: editable.map((d) => d.primary),
    };
  },

  /** Called right after the network is back: resolves when every local change is acknowledged. */
  async awaitAcknowledged() {
    const client = clients.get('replica');
    const replication = client?.replication;
    if (!client || !replication) throw new Error('goLive d’abord');
    if (onlineAt === 0) throw new Error('le navigateur n’est pas revenu en ligne');
    const t0 = onlineAt;
    resetTrace();
    marks.length = 0;
    traceState.enabled = TRACE;
    traceT0 = t0;
    await replication.awaitInSync();
    const ms = performance.now() - t0;
    const ackMs = lastPushAckAt - t0;
    const ackedRows = rowsAckedSinceOnline;
    onlineAt = 0;
    traceState.enabled = false;
    const stats = TRACE
      ? JSON.parse(JSON.stringify(replication.internalReplicationState?.stats ?? {}))
      : null;
    await stopReplication(client);
    return {
      ms,
      ackMs,
      ackedRows,
      trace: TRACE ? { storage: traceReport(), marks: [...marks], stats } : null,
    };
  },

  /** Two live clients (A writes, B reads) of the same user, each with pull, push and SSE. */
  async startLiveClients(token: string) {
    for (const name of ['A', 'B']) {
      const db = await openDb(`bench_live_${name}`);
      const client: Client = {
        db,
        replication: null,
        abort: null,
        token,
        identifier: `bench-live-${db.name}`,
      };
      clients.set(name, client);
      const replication = startReplication(client, {
        live: true,
        pullBatch: 200,
        pushBatch: 50,
        stream: true,
      });
      await replication.awaitInitialReplication();
    }
    return {
      a: await clients.get('A')!.db.offers.count().exec(),
      b: await clients.get('B')!.db.offers.count().exec(),
    };
  },

  /** A edits one draft `count` times; B sees each edit arrive. Latencies in ms. */
  async liveLatency(organisationId: string, count: number) {
    const a = clients.get('A')!;
    const b = clients.get('B')!;
    const id = crypto.randomUUID();
    const now = new Date().toISOString();
    const waitOnB = (title: string, timeoutMs = 10_000) =>
      new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => {
          sub.unsubscribe();
          reject(new Error(`B n’a pas reçu « ${title} » en ${timeoutMs} ms`));
        }, timeoutMs);
        const sub = b.db.offers.findOne(id).$.subscribe((doc) => {
          if (doc && doc.title === title) {
            clearTimeout(timer);
            sub.unsubscribe();
            resolve(performance.now());
          }
        });
      });
    const first = 'Offre de mesure H/F';
    const arrived = waitOnB(first);
    await a.db.offers.insert({
      id,
      organisationId,
      title: first,
      jobTitle: 'Vendeur / Vendeuse',
      city: 'Toulouse',
      companyName: 'Transports Garonne',
      contactPhone: '05 61 00 00 00',
      seasonal: false,
      contractTypes: ['CDI'],
      description: 'Offre créée par le banc de mesure de la synchronisation en direct.',
      status: 'brouillon',
      createdAt: now,
      updatedAt: now,
    });
    await arrived;
    // Wait until A has the server's version back too (number assigned), so edits do not conflict.
    await new Promise<void>((resolve) => {
      const sub = a.db.offers.findOne(id).$.subscribe((doc) => {
        if (doc?.number) {
          sub.unsubscribe();
          resolve();
        }
      });
    });
    const latencies: number[] = [];
    for (let i = 0; i < count; i++) {
      const title = `Offre de mesure ${i} H/F`;
      const seen = waitOnB(title);
      const doc = await a.db.offers.findOne(id).exec();
      const t0 = performance.now();
      await doc!.incrementalPatch({ title });
      latencies.push((await seen) - t0);
    }
    return latencies;
  },

  /**
   * Diagnostics (--trace, after step b): reads the whole replica through the storage's
   * getChangedDocumentsSince (what the upstream's initial pass does), `limit` docs per call.
   */
  async scanChanges(limit: number) {
    const client = clients.get('replica');
    if (!client) throw new Error('initialSync d’abord');
    const instance = client.db.offers.storageInstance;
    let checkpoint: unknown;
    let calls = 0;
    let docs = 0;
    const times: number[] = [];
    const t0 = performance.now();
    for (;;) {
      const t = performance.now();
      const res = await getChangedDocumentsSince(instance, limit, checkpoint as never);
      times.push(performance.now() - t);
      calls++;
      if (res.documents.length === 0) break;
      docs += res.documents.length;
      checkpoint = res.checkpoint;
    }
    const profile = [
      0,
      1,
      2,
      3,
      Math.floor(times.length / 4),
      Math.floor(times.length / 2),
      Math.floor((3 * times.length) / 4),
      times.length - 3,
      times.length - 2,
    ].map((i) => Math.round(times[i] ?? -1));
    const total = performance.now() - t0;
    // The same reads on the native IndexedDB index, outside RxDB and Dexie.
    const internals = await (
      instance as unknown as { internals: Promise<{ dexieDb: { backendDB(): IDBDatabase } }> }
    ).internals;
    const idb = internals.dexieDb.backendDB();
    const raw = async (mode: 'cursor' | 'getAll', lower: IDBValidKey) =>
      new Promise<{ ms: number; n: number; last: unknown }>((resolve, reject) => {
        const t = performance.now();
        const tx = idb.transaction('docs', 'readonly');
        const index = tx.objectStore('docs').index('[_meta.lwt+id]');
        const range = IDBKeyRange.lowerBound(lower, true);
        if (mode === 'getAll') {
          const req = index.getAll(range, limit);
          req.onsuccess = () =>
            resolve({ ms: performance.now() - t, n: req.result.length, last: req.result.at(-1) });
          req.onerror = () => reject(req.error);
        } else {
          const rows: unknown[] = [];
          const req = index.openCursor(range);
          req.onsuccess = () => {
            const c = req.result;
            if (c && rows.length < limit) {
              rows.push(c.value);
              c.continue();
            } else resolve({ ms: performance.now() - t, n: rows.length, last: rows.at(-1) });
          };
          req.onerror = () => reject(req.error);
        }
      });
    const rawTimes: Record<string, number[]> = { cursor: [], getAll: [] };
    for (const mode of ['cursor', 'getAll'] as const) {
      let lower: IDBValidKey = [-Infinity];
      for (;;) {
        const r = await raw(mode, lower);
        rawTimes[mode]!.push(Math.round(r.ms));
        if (r.n < limit) break;
        const last = r.last as { _meta: { lwt: number }; id: string };
        lower = [last._meta.lwt, last.id];
      }
    }
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
    // Same documents in the same order as RxDB's own query (the one used without a native method)?
    let same: boolean | null = null;
    if (instance.getChangedDocumentsSince) {
      const walk = async (
        read: (cp: unknown) => Promise<{ documents: { id: string; _rev: string }[]; checkpoint: unknown }>,
      ) => {
        const out: string[] = [];
        let cp: unknown;
        for (;;) {
          const r = await read(cp);
          if (r.documents.length === 0) return out;
          for (const d of r.documents) out.push(`${d.id}@${d._rev}`);
          cp = r.checkpoint;
        }
      };
      const mine = await walk((cp) => getChangedDocumentsSince(instance, limit, cp as never) as never);
      const theirs = await walk(async (cp) => {
        const q = prepareQuery(instance.schema, getChangedDocumentsSinceQuery(instance, limit, cp as never));
        const docs = (await instance.query(q)).documents as unknown as {
          id: string;
          _rev: string;
          _meta: { lwt: number };
        }[];
        const last = docs.at(-1);
        return { documents: docs, checkpoint: last ? { id: last.id, lwt: last._meta.lwt } : cp };
      });
      same = mine.length === theirs.length && mine.every((v, i) => v === theirs[i]);
    }
    return {
      same,
      limit,
      calls,
      docs,
      ms: Math.round(total),
      byPosition: profile,
      rawCursorMs: sum(rawTimes.cursor!),
      rawCursorFirst: rawTimes.cursor!.slice(0, 3),
      rawGetAllMs: sum(rawTimes.getAll!),
    };
  },

  async stopAll() {
    for (const c of clients.values()) {
      await stopReplication(c);
      await c.db.remove().catch(() => undefined);
    }
    clients.clear();
  },
};

declare global {
  interface Window {
    bench: typeof bench;
  }
}

window.bench = bench;
document.getElementById('state')!.textContent = 'Prêt';
