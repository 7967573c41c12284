/**
 * Benchmark page (built with Vite, driven by scripts/bench-sync.ts through Playwright): the real
 * RxDB + Dexie + z-schema stack of the workstation in Chromium, with the workstation's offer
 * collection (schema and conflict handler from renderer/src/db/collections.ts) and a minimal
 * replication over the sync protocol (pull, push, SSE stream with renderer/src/lib/sse.ts).
 * The API is same-origin (the bench proxy forwards /api to the sync server).
 */
import { createRxDatabase, type RxCollection, type RxDatabase, type RxReplicationPullStreamItem } from 'rxdb';
import { type RxReplicationState, replicateRxCollection } from 'rxdb/plugins/replication';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { Subject } from 'rxjs';
import { collectionCreators } from '../../renderer/src/db/collections';
import { validateLocalWrites } from '../../renderer/src/db/validate-storage';
import { connectSse } from '../../renderer/src/lib/sse';
import type { OfferDoc } from '../../shared/schemas';
import type { PullResponse, SyncCheckpoint } from '../../shared/sync/protocol';

type Offers = RxCollection<OfferDoc>;
type Db = RxDatabase<{ offers: Offers }>;

interface Client {
  db: Db;
  replication: RxReplicationState<OfferDoc, SyncCheckpoint> | null;
  abort: AbortController | null;
  token: string;
  identifier: string;
}

const BASE = '/api/sync/offers/v0';
const clients = new Map<string, Client>();
let replicaDocs: OfferDoc[] = [];
let counter = 0;

async function openDb(prefix: string, validate = true): Promise<Db> {
  const db = await createRxDatabase<{ offers: Offers }>({
    name: `${prefix}_${Date.now().toString(36)}_${counter++}`,
    // The workstation's own storage: local writes validated, server documents trusted.
    storage: validate ? validateLocalWrites(getRxStorageDexie(), ['offer', 'notice']) : getRxStorageDexie(),
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
function startReplication(
  client: Client,
  options: { live: boolean; pullBatch: number; pushBatch: number; stream: boolean },
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
      handler: async (checkpoint, batchSize) => {
        const params = new URLSearchParams();
        if (checkpoint) params.set('checkpoint', JSON.stringify(checkpoint));
        params.set('batchSize', String(batchSize));
        const res = await api<PullResponse<OfferDoc>>(client.token, `${BASE}/pull?${params}`);
        return { documents: res.documents, checkpoint: res.checkpoint ?? undefined } as never;
      },
    },
    push: {
      batchSize: options.pushBatch,
      handler: async (rows) =>
        api<never>(client.token, `${BASE}/push`, {
          method: 'POST',
          body: rows.map((r) => ({
            assumedMasterState: r.assumedMasterState ?? null,
            newDocumentState: r.newDocumentState,
          })),
        }),
    },
  });
  replication.error$.subscribe((err) => console.error('replication', err));
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
    const replication = startReplication(client, {
      live: false,
      pullBatch: batchSize,
      pushBatch: 50,
      stream: false,
    });
    await replication.awaitInitialReplication();
    const ms = performance.now() - t0;
    await stopReplication(client);
    const docs = await db.offers.find().exec();
    replicaDocs = docs.map((d) => d.toMutableJSON() as OfferDoc);
    return { ms, count: docs.length };
  },

  /**
   * bulkInsert into another empty database: the given documents, or (no argument) the documents
   * the initial sync just stored, without sending them through the driver. `chunk` mirrors the
   * pull batch size; 0 = one call. `validate: false` leaves out z-schema (to see its share).
   */
  async bulkInsert(docs?: OfferDoc[], chunk = 0, validate = true) {
    const source = docs ?? replicaDocs;
    const db = await openDb('bench_bulk', validate);
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
   * On the synced replica, offline (no replication running): edit `count` offers, then reconnect
   * and time until every push is acknowledged (awaitInSync).
   */
  async offlineEditsThenReconnect(token: string, count: number, pushBatch: number) {
    const client = clients.get('replica');
    if (!client) throw new Error('initialSync d’abord');
    client.token = token;
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
    const editMs = performance.now() - tEdit;
    const t0 = performance.now();
    const replication = startReplication(client, { live: true, pullBatch: 1000, pushBatch, stream: false });
    await replication.awaitInSync();
    const ms = performance.now() - t0;
    await stopReplication(client);
    return { ms, editMs, edited: editable.length, ids: editable.map((d) => d.primary) };
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
