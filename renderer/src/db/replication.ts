import type { RxCollection, RxReplicationPullStreamItem } from 'rxdb';
import { type RxReplicationState, replicateRxCollection } from 'rxdb/plugins/replication';
import { Subject, type Subscription } from 'rxjs';
import type { PullResponse, PushRow, SyncCheckpoint, SyncInfoResponse } from '../../../shared/sync/protocol';
import { ApiError, apiFetch, apiUrl, authHeaders, emitApiEvent, getServerUrl } from '../lib/api';
import { loadUserRecord, saveUserRecord } from '../lib/local-store';
import {
  isServerReachable,
  onServerReachableChange,
  reportNetworkFailure,
  reportNetworkSuccess,
} from '../lib/network-status';
import { rememberServerSettings, restoreServerSettings } from '../lib/server-settings';
import { connectSse } from '../lib/sse';
import {
  collectionCreators,
  OPTIONAL_COLLECTIONS,
  REPLICA_NAMES,
  type ReplicaName,
  type WorkstationDatabase,
} from './collections';
import { type FirstSync, firstSync } from './first-sync';
import { LateMasters } from './late-masters';
import { offeredOptional } from './offered-collections';
import { fingerprint, isFromMaster, type PendingSnapshot, PendingTracker } from './pending-tracker';
import { isPulled } from './pulled-records';
import { PULL_BATCH_SIZE, PUSH_BATCH_SIZE } from './sync-settings';

export interface SyncState {
  /** navigator.onLine and the server answered the last request. */
  online: boolean;
  pending: number;
  lastSyncAt: string | null;
  /** The server refuses this version of the application (426). */
  outdated: boolean;
  /** A replication error other than the network (French message), if any. */
  lastError: string | null;
}

type Listener = () => void;

/** Background replication of the user's collections, and the sync state shown in the header. */
export class SyncController {
  private state: SyncState;
  private readonly listeners = new Set<Listener>();
  private readonly subs: Subscription[] = [];
  private readonly aborts: AbortController[] = [];
  private readonly replications: RxReplicationState<unknown, SyncCheckpoint>[] = [];
  private readonly tracker: PendingTracker;
  /** The master state the server answered for a conflicting or refused push row, by collection/id. */
  private readonly conflictAnswers = new Map<string, string>();
  private readonly cleanups: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly db: WorkstationDatabase,
    private readonly userId: string,
    /** Delay before a failed pull or push is tried again (RxDB's `retryTime`). */
    private readonly retryTime = 5000,
  ) {
    this.tracker = new PendingTracker(loadUserRecord<PendingSnapshot>(userId, 'pending') ?? {});
    this.state = {
      online: navigatorOnline() && isServerReachable(),
      pending: this.tracker.count,
      lastSyncAt: loadUserRecord<string>(userId, 'last-sync'),
      outdated: false,
      lastError: null,
    };
    this.cleanups.push(
      this.tracker.subscribe((count) => {
        saveUserRecord(this.userId, 'pending', this.tracker.snapshot());
        this.update({ pending: count });
      }),
      onServerReachableChange(() => this.refreshOnline()),
    );
    if (typeof window !== 'undefined') {
      const onOnline = () => {
        this.refreshOnline();
        for (const r of this.replications) r.reSync();
      };
      const onOffline = () => this.refreshOnline();
      window.addEventListener('online', onOnline);
      window.addEventListener('offline', onOffline);
      this.cleanups.push(() => {
        window.removeEventListener('online', onOnline);
        window.removeEventListener('offline', onOffline);
      });
    }
  }

  getState = (): SyncState => this.state;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  isPending(collection: ReplicaName, id: string): boolean {
    return this.tracker.has(collection, id);
  }

  private update(patch: Partial<SyncState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  private refreshOnline(): void {
    const online = navigatorOnline() && isServerReachable();
    if (online !== this.state.online) this.update({ online });
  }

  private markSynced(): void {
    reportNetworkSuccess();
    const now = new Date().toISOString();
    saveUserRecord(this.userId, 'last-sync', now);
    this.update({ lastSyncAt: now, lastError: null });
  }

  private handleError(err: unknown): void {
    if (err instanceof ApiError) {
      if (err.status === 426) {
        this.update({ outdated: true });
        void this.stop();
      } else if (err.status !== 401) {
        this.update({ lastError: err.message });
      }
    }
  }

  /** The live change feed of each collection (fed by the one stream of `openStream`). */
  private readonly streams = new Map<
    ReplicaName,
    Subject<RxReplicationPullStreamItem<Record<string, unknown>, SyncCheckpoint>>
  >();

  /** The collections replicating now (optional ones only once the server offered them). */
  private readonly started = new Set<ReplicaName>();
  private streamAbort: AbortController | null = null;

  /** Server states RxDB may have left out while a change was being sent (see `LateMasters`). */
  private readonly late = new LateMasters();

  /**
   * Starts live replication of every collection. Local work never waits for it. Optional
   * collections (`OPTIONAL_COLLECTIONS`) start only when the server lists them in `GET /api/sync`
   * (remembered for an offline start), so the app keeps working against an older server.
   */
  start(): void {
    restoreServerSettings(this.userId);
    const offered = new Set(loadUserRecord<string[]>(this.userId, 'offered-collections') ?? []);
    for (const name of REPLICA_NAMES)
      if (!OPTIONAL_COLLECTIONS.includes(name) || offered.has(name)) this.startCollection(name);
    this.openStream();
    void this.discoverCollections();
  }

  /** Asks the server which collections it offers; starts the optional ones it lists. */
  private async discoverCollections(): Promise<void> {
    if (this.stopped) return;
    let info: SyncInfoResponse;
    try {
      info = await apiFetch<SyncInfoResponse>('/api/sync');
    } catch {
      // Offline or refused: ask again when the server answers again.
      const off = onServerReachableChange((reachable) => {
        if (!reachable) return;
        off();
        void this.discoverCollections();
      });
      this.cleanups.push(off);
      return;
    }
    if (this.stopped) return;
    rememberServerSettings(this.userId, info.settings);
    const offered = offeredOptional(info, OPTIONAL_COLLECTIONS, (n) => collectionCreators[n].schema.version);
    saveUserRecord(this.userId, 'offered-collections', offered);
    const added = offered.filter((n) => !this.started.has(n));
    if (added.length === 0) return;
    for (const name of added) this.startCollection(name);
    this.openStream();
    // Screens reading `isReplicating` render again.
    this.update({});
  }

  /** Whether a collection replicates with this server (the messaging needs a recent server). */
  isReplicating(name: ReplicaName): boolean {
    return this.started.has(name);
  }

  private resyncAll(): void {
    for (const s of this.streams.values()) s.next('RESYNC');
  }

  /**
   * One Server-Sent Events stream for every collection: a browser (and Electron) opens at most six
   * HTTP/1.1 connections per server, and one stream per collection would leave none for pulls,
   * pushes and searches.
   */
  private openStream(): void {
    // A stream opened earlier for fewer collections gives way to one for all of them.
    this.streamAbort?.abort();
    const abort = new AbortController();
    this.streamAbort = abort;
    /** Per collection, the checkpoint of this connection's previous event. */
    const streamAt = new Map<ReplicaName, SyncCheckpoint>();
    this.aborts.push(abort);
    const list = [...this.started]
      .map((name) => `${name}:v${collectionCreators[name].schema.version}`)
      .join(',');
    void connectSse({
      url: apiUrl(`/api/sync/stream?collections=${encodeURIComponent(list)}`),
      headers: authHeaders(),
      signal: abort.signal,
      onOpen: () => {
        // A new connection: its first event starts where the server was, not known here.
        streamAt.clear();
        reportNetworkSuccess();
      },
      onMessage: (message) => {
        let data: unknown;
        try {
          data = JSON.parse(message.data);
        } catch {
          return;
        }
        if (data === 'RESYNC') this.resyncAll();
        else if (
          data &&
          typeof data === 'object' &&
          Array.isArray((data as PullResponse<unknown>).documents)
        ) {
          const ev = data as PullResponse<Record<string, unknown>> & { collection?: string };
          const stream$ = this.streams.get(ev.collection as ReplicaName);
          if (!stream$) return;
          const name = ev.collection as ReplicaName;
          // The stream's events follow each other: this one starts where the previous one ended.
          this.noteReceived(name, ev.documents, ev.checkpoint, streamAt.get(name));
          if (ev.checkpoint) streamAt.set(name, ev.checkpoint);
          stream$.next({ documents: ev.documents, checkpoint: ev.checkpoint ?? undefined } as never);
          this.markSynced();
        }
      },
      onError: (_err, status) => {
        if (status === 401) emitApiEvent('unauthenticated');
        else if (status === 426) {
          emitApiEvent('outdated');
          this.update({ outdated: true });
        } else if (status === undefined) reportNetworkFailure();
        if (!this.stopped && !abort.signal.aborted) this.resyncAll();
      },
      reconnectDelay: (attempt, status) =>
        status === 401 || status === 426 ? null : Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5)),
    });
  }

  private startCollection(name: ReplicaName): void {
    if (this.started.has(name)) return;
    this.started.add(name);
    const collection = this.db[name] as unknown as RxCollection<Record<string, unknown>>;
    // Pending changes: every write to the local collection except the master states the replication
    // writes (their bulk context is RxDB's downstream flag, « replication-downstream-… »).
    this.subs.push(
      collection.eventBulks$.subscribe((bulk) => {
        const fromMaster = typeof bulk.context === 'string' && bulk.context.startsWith(DOWNSTREAM_CONTEXT);
        // A conflict resolved to the server's answer (a refused change) is the master again, not a
        // new local change: it is never pushed, so nothing would ever clear it.
        const resolvedConflict = bulk.context === CONFLICT_CONTEXT;
        for (const ev of bulk.events) {
          const key = `${name}/${ev.documentId}`;
          const answered = resolvedConflict ? this.conflictAnswers.get(key) : undefined;
          if (resolvedConflict) this.conflictAnswers.delete(key);
          const isMaster =
            fromMaster || (answered !== undefined && answered === fingerprint(ev.documentData));
          const wasPending = this.tracker.has(name, ev.documentId);
          this.tracker.onLocalWrite(name, ev.documentId, ev.documentData, isMaster, ev.previousDocumentData);
          this.afterPendingChange(name, ev.documentId, wasPending);
        }
      }),
    );
    void this.reconcilePending(name, collection);

    const stream$ = new Subject<RxReplicationPullStreamItem<Record<string, unknown>, SyncCheckpoint>>();
    this.streams.set(name, stream$);
    void this.replicate(name, collection, stream$);
  }

  /**
   * An empty replica first takes the server's documents directly (first-sync.ts), then RxDB's live
   * replication runs from where that ended. Live events arriving meanwhile are not lost: the
   * replication's first pull starts at the first sync's checkpoint.
   */
  private async replicate(
    name: ReplicaName,
    collection: RxCollection<Record<string, unknown>>,
    stream$: Subject<RxReplicationPullStreamItem<Record<string, unknown>, SyncCheckpoint>>,
  ): Promise<void> {
    const version = collectionCreators[name].schema.version;
    const base = `/api/sync/${name}/v${version}`;
    const replicationIdentifier = `ws-${name}-v${version}-${getServerUrl() || 'same-origin'}`;
    let first: FirstSync | null = null;
    try {
      first = await firstSync(
        collection,
        (checkpoint) => this.pullPage(name, checkpoint, PULL_BATCH_SIZE),
        PULL_BATCH_SIZE,
        () => this.stopped,
      );
    } catch {
      // The database closed meanwhile (sign-out): nothing to start.
    }
    if (this.stopped) {
      first?.close();
      return;
    }
    if (first) {
      const done = first;
      this.cleanups.push(() => done.close());
    }
    const replication = replicateRxCollection<Record<string, unknown>, SyncCheckpoint>({
      replicationIdentifier,
      collection,
      live: true,
      retryTime: this.retryTime,
      waitForLeadership: false,
      autoStart: true,
      pull: {
        batchSize: PULL_BATCH_SIZE,
        stream$: stream$.asObservable(),
        ...(first?.checkpoint ? { initialCheckpoint: first.checkpoint } : {}),
        handler: async (checkpoint, batchSize) => {
          const from = this.late.pullFrom(name, checkpoint ?? null);
          const res = await this.pullPage(name, from, batchSize);
          this.late.pulled(name, from);
          this.noteReceived(name, res.documents, res.checkpoint, from);
          return { documents: res.documents, checkpoint: res.checkpoint ?? undefined };
        },
      },
      push: {
        batchSize: PUSH_BATCH_SIZE,
        ...(first?.upstream ? { initialCheckpoint: first.upstream } : {}),
        handler: async (rows) => {
          const body: PushRow<Record<string, unknown>>[] = rows.map((r) => ({
            assumedMasterState: r.assumedMasterState ?? null,
            newDocumentState: r.newDocumentState,
          }));
          const conflicts = await apiFetch<Record<string, unknown>[]>(`${base}/push`, {
            method: 'POST',
            body,
          });
          this.markSynced();
          for (const master of conflicts) {
            if (typeof master.id === 'string')
              this.conflictAnswers.set(`${name}/${master.id}`, fingerprint(master));
          }
          return conflicts as never;
        },
      },
    });
    this.replications.push(replication as unknown as RxReplicationState<unknown, SyncCheckpoint>);
    this.subs.push(
      replication.sent$.subscribe((doc) => {
        const id = (doc as Record<string, unknown>).id;
        if (typeof id !== 'string') return;
        const wasPending = this.tracker.has(name, id);
        this.tracker.onSent(name, id, doc);
        this.afterPendingChange(name, id, wasPending);
      }),
      replication.error$.subscribe((err) => {
        const parameters = (err as { parameters?: { errors?: unknown[] } }).parameters;
        const cause = (err as { cause?: unknown }).cause;
        this.handleError(cause);
        for (const e of parameters?.errors ?? []) {
          const plain = e as { name?: string; message?: string; status?: number };
          if (plain?.name === 'ApiError' && plain.message) this.update({ lastError: plain.message });
        }
      }),
    );
  }

  private async pullPage(
    name: ReplicaName,
    checkpoint: SyncCheckpoint | null,
    batchSize: number,
  ): Promise<PullResponse<Record<string, unknown>>> {
    const params = new URLSearchParams();
    if (checkpoint) params.set('checkpoint', JSON.stringify(checkpoint));
    params.set('batchSize', String(batchSize));
    const version = collectionCreators[name].schema.version;
    const res = await apiFetch<PullResponse<Record<string, unknown>>>(
      `/api/sync/${name}/v${version}/pull?${params}`,
    );
    this.markSynced();
    return res;
  }

  /** A pull page or live event: notes the states that arrived while their document had an unsent change. */
  private noteReceived(
    name: ReplicaName,
    documents: readonly Record<string, unknown>[],
    checkpoint: SyncCheckpoint | null | undefined,
    pageStart: SyncCheckpoint | null | undefined,
  ): void {
    const ids = documents.map((d) => d.id).filter((id): id is string => typeof id === 'string');
    this.late.received(name, ids, checkpoint, (id) => this.tracker.has(name, id), pageStart);
  }

  /**
   * After the pending state of a document may have changed: remembers where the replica was when it
   * got an unsent change and, once it has none, pulls again if a server state of it arrived
   * meanwhile (RxDB may have left it out). The pull waits for RxDB's own queue, so it reads the
   * outcome of the push, and takes its starting point from `LateMasters` whenever it comes.
   */
  private afterPendingChange(name: ReplicaName, id: string, wasPending: boolean): void {
    const pending = this.tracker.has(name, id);
    if (pending && !wasPending) this.late.becamePending(name, id);
    else if (!pending && wasPending && this.late.settled(name, id)) {
      const stream$ = this.streams.get(name);
      // RxDB writes the push's outcome right after the event that got us here: pull after it.
      setTimeout(() => stream$?.next('RESYNC'), 0);
    }
  }

  /** Drops remembered pending ids whose local document is gone or is the master state again. */
  private async reconcilePending(name: ReplicaName, collection: RxCollection<Record<string, unknown>>) {
    const ids = this.tracker.idsOf(name);
    if (ids.length === 0) return;
    try {
      const docs = await collection.findByIds(ids).exec();
      for (const id of ids) {
        const doc = docs.get(id);
        const data = doc ? ((doc as unknown as { _data: StoredMeta })._data ?? null) : null;
        // The server's state, as RxDB marks it (`_meta.o`, lost when its write was an insert) or as
        // this workstation's storage does (pulled-records.ts).
        if (!doc || (data && (isFromMaster(data) || isPulled(data)))) {
          this.tracker.forget(name, id);
          this.late.settled(name, id);
        }
      }
    } catch {
      // Best effort: the next master write or push clears them anyway.
    }
  }

  /** Asks every replication to pull and push now (e.g. the user clicked « Synchroniser »). */
  resync(): void {
    for (const r of this.replications) r.reSync();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const a of this.aborts) a.abort();
    for (const s of this.subs) s.unsubscribe();
    for (const c of this.cleanups) c();
    await Promise.all(this.replications.map((r) => r.cancel().catch(() => undefined)));
  }
}

/** Context of the writes RxDB's replication makes with master states (replication-protocol/index.js). */
const DOWNSTREAM_CONTEXT = 'replication-downstream-';
/** RxDB's context when it writes the outcome of a push conflict into the local database. */
const CONFLICT_CONTEXT = 'replication-up-write-conflict';

type StoredMeta = { _rev?: string; _meta?: Record<string, unknown> };

function navigatorOnline(): boolean {
  return typeof navigator === 'undefined' ? true : navigator.onLine;
}
